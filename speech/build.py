"""Render every prompt in every language ahead of time, reusing what is already rendered."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from speech.cache import AudioFormat
from speech.checks import check_audio
from speech.engine import SpeechError
from speech.inventory import PromptLine
from speech.render import NoVoice, SpeechRenderer


@dataclass
class BuildReport:
    rendered: int = 0
    reused: int = 0
    missing: list[tuple[str, str]] = field(default_factory=list)  # (language, prompt id)
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # (+ what went wrong)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.failed


def build_audio(
    renderer: SpeechRenderer,
    work: Iterable[tuple[str, PromptLine]],
    *,
    fmt: AudioFormat = "mp3",
    check: bool = True,
    advance: Callable[[], None] = lambda: None,
) -> BuildReport:
    """Make sure each (language, line) has audio; check new audio when ``check``."""
    report = BuildReport()
    for language, line in work:
        try:
            if renderer.cached(line.text, language, fmt=fmt) is not None:
                report.reused += 1
                continue
            path = renderer.audio_for(line.text, language, fmt=fmt)
            report.rendered += 1
            if check:
                verdict = check_audio(path, text=line.text)
                if not verdict.ok:
                    report.failed.append((language, line.id, verdict.problem or ""))
        except NoVoice:
            report.missing.append((language, line.id))
        except SpeechError as exc:
            report.failed.append((language, line.id, str(exc)))
        finally:
            advance()
    return report
