"""Recording prompts by hand: a numbered script to read out, and importing the recordings.

``script_for`` lists the prompts of a language, numbered, with the file name each
recording should have (``007-danger.question.wav``). ``import_recordings`` takes a
folder of such files, checks each one and hands the good ones to a ``PromptKeeper`` (the
database, through the rules of who may change what callers hear).
``import_instance_folder`` brings in recordings kept on disk by releases before the
database kept them (``<instance>/prompts/<language>/<key>.wav``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from speech.cache import text_key
from speech.inventory import PromptLine
from speech.overrides import PreparedRecording, RecordingRejected, prepare_recording
from speech.render import SpeechRenderer

AUDIO_SUFFIXES = (".wav", ".mp3", ".ogg", ".m4a", ".flac", ".webm")
_FILE = re.compile(r"^(\d{3,4})-")


class PromptKeeper(Protocol):
    """Where imported recordings go, for one establishment or the installation."""

    establishment_id: int | None  # None: the installation's defaults

    @property
    def renderer(self) -> SpeechRenderer:
        """What that scope's callers hear now."""
        ...

    def keep(self, line: PromptLine, language: str, recording: PreparedRecording) -> None: ...

    def finish(self, language: str, count: int) -> None:
        """Called once after an import that kept ``count`` recordings (to tell staff)."""
        ...


def file_name(number: int, line: PromptLine, suffix: str = ".wav") -> str:
    return f"{number:03d}-{line.id}{suffix}"


def script_for(lines: list[PromptLine], language: str, renderer: SpeechRenderer) -> str:
    """A plain-text script: one numbered prompt a paragraph, saying which are done."""
    out = [
        f"# Prompts to record for language {language!r}: {len(lines)} in all.",
        "# Read each sentence slowly and clearly. Save each one as the file name shown.",
        "",
    ]
    for number, line in enumerate(lines, start=1):
        done = " (already recorded)" if renderer.recorded_prompt(line.text, language) else ""
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
    folder: Path, lines: list[PromptLine], language: str, keeper: PromptKeeper
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
        _keep(path, line, language, keeper, report)
    keeper.finish(language, len(report.imported))
    after = keeper.renderer
    report.missing = [
        line.id for line in lines if after.recorded_prompt(line.text, language) is None
    ]
    return report


def import_instance_folder(
    folder: Path, lines_of: Mapping[str, list[PromptLine]], keeper: PromptKeeper
) -> dict[str, ImportReport]:
    """Recordings an older release kept on one server's disk, by language: each file is
    named by its sentence's key, so a file whose sentence changed since matches nothing."""
    reports: dict[str, ImportReport] = {}
    for language, lines in lines_of.items():
        place = folder / language
        if not place.is_dir():
            continue
        report = reports.setdefault(language, ImportReport())
        by_key = {text_key(line.text, language): line for line in lines}
        for path in sorted(place.glob("*.wav")):
            line = by_key.get(path.stem)
            if line is None:
                report.unknown.append(f"{language}/{path.name}")
                continue
            _keep(path, line, language, keeper, report)
        keeper.finish(language, len(report.imported))
    return reports


def _keep(
    path: Path, line: PromptLine, language: str, keeper: PromptKeeper, report: ImportReport
) -> None:
    try:
        recording = prepare_recording(path, text=line.text)
    except RecordingRejected as exc:
        report.rejected.append((path.name, str(exc)))
        return
    keeper.keep(line, language, recording)
    report.imported.append(line.id)


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
