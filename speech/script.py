"""Recording prompts by hand: a numbered script to read out, and importing the recordings.

``script_for`` lists the prompts of a language, numbered, with the file name each
recording should have (``007-danger.question.wav``). ``import_recordings`` takes a
folder of such files, checks each one and keeps the good ones as recorded prompts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from speech.inventory import PromptLine
from speech.overrides import RecordedPrompts, RecordingRejected

AUDIO_SUFFIXES = (".wav", ".mp3", ".ogg", ".m4a", ".flac", ".webm")
_FILE = re.compile(r"^(\d{3,4})-")


def file_name(number: int, line: PromptLine, suffix: str = ".wav") -> str:
    return f"{number:03d}-{line.id}{suffix}"


def script_for(lines: list[PromptLine], language: str, recorded: RecordedPrompts) -> str:
    """A plain-text script: one numbered prompt a paragraph, saying which are done."""
    out = [
        f"# Prompts to record for language {language!r}: {len(lines)} in all.",
        "# Read each sentence slowly and clearly. Save each one as the file name shown.",
        "",
    ]
    for number, line in enumerate(lines, start=1):
        done = " (already recorded)" if recorded.find(line.text, language) else ""
        out.append(f"{number:03d}  {file_name(number, line)}{done}")
        out.append(f"     {line.text}")
        out.append("")
    return "\n".join(out)


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)  # prompt ids
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (file name, why)
    unknown: list[str] = field(default_factory=list)  # files that match no prompt
    missing: list[str] = field(default_factory=list)  # prompt ids still without a recording


def import_recordings(
    folder: Path, lines: list[PromptLine], language: str, recorded: RecordedPrompts
) -> ImportReport:
    report = ImportReport()
    by_number = dict(enumerate(lines, start=1))
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in AUDIO_SUFFIXES or not path.is_file():
            continue
        line = _line_for(path.name, by_number)
        if line is None:
            report.unknown.append(path.name)
            continue
        try:
            recorded.store(path, text=line.text, language=language)
        except RecordingRejected as exc:
            report.rejected.append((path.name, str(exc)))
            continue
        report.imported.append(line.id)
    report.missing = [line.id for line in lines if recorded.find(line.text, language) is None]
    return report


def _line_for(name: str, by_number: dict[int, PromptLine]) -> PromptLine | None:
    """The prompt a file is for: its number must agree with its prompt id, if it has one."""
    match = _FILE.match(name)
    if match is None:
        return None
    line = by_number.get(int(match.group(1)))
    if line is None:
        return None
    rest = name[match.end() :].rsplit(".", 1)[0]
    return line if rest in ("", line.id) else None
