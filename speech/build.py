"""Render every prompt in every language ahead of time, reusing what is already rendered.

``build_audio`` renders in this process; ``build_audio_in_parallel`` shares the work out
to one process per core. Each process has its own speech child (speech.engine keeps one
per process), so synthesis, the only slow step, runs on every core at once. The cache is
safe to fill from many processes (speech.cache).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from speech.cache import AudioFormat
from speech.checks import AudioCheck, check_audio
from speech.engine import SpeechError
from speech.inventory import PromptLine
from speech.render import NoVoice, SpeechRenderer

# Small enough that both cores stay busy to the end, big enough that handing out a batch
# costs nothing next to rendering it (about 40 ms a prompt).
BATCH_SIZE = 24

Work = list[tuple[str, PromptLine]]


@dataclass
class BuildReport:
    rendered: int = 0
    reused: int = 0
    missing: list[tuple[str, str]] = field(default_factory=list)  # (language, prompt id)
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # (+ what went wrong)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.failed

    def add(self, other: BuildReport) -> None:
        self.rendered += other.rendered
        self.reused += other.reused
        self.missing.extend(other.missing)
        self.failed.extend(other.failed)


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
            _render_one(renderer, language, line, fmt=fmt, check=check, report=report)
        except NoVoice:
            report.missing.append((language, line.id))
        except SpeechError as exc:
            report.failed.append((language, line.id, str(exc)))
        finally:
            advance()
    return report


def build_audio_in_parallel(
    make_renderer: Callable[[], SpeechRenderer],
    work: Work,
    *,
    workers: int,
    fmt: AudioFormat = "mp3",
    check: bool = True,
    advance: Callable[[int], None] = lambda done: None,
) -> BuildReport:
    """``build_audio`` on ``workers`` processes. ``make_renderer`` must be picklable (a
    module-level function or a partial of one): each process makes its own renderer."""
    if workers <= 1:
        return build_audio(make_renderer(), work, fmt=fmt, check=check, advance=lambda: advance(1))
    report = BuildReport()
    # spawn, not fork: a forked copy of a process holding a database pool or the parent's
    # speech child must not reuse either.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending = {
            pool.submit(_build_batch, make_renderer, batch, fmt, check): len(batch)
            for batch in _batches(work, BATCH_SIZE)
        }
        for finished in as_completed(pending):
            report.add(finished.result())
            advance(pending[finished])
    return report


def default_workers() -> int:
    """One process per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _build_batch(
    make_renderer: Callable[[], SpeechRenderer], batch: Work, fmt: AudioFormat, check: bool
) -> BuildReport:
    return build_audio(make_renderer(), batch, fmt=fmt, check=check)


def _batches(work: Work, size: int) -> Iterator[Work]:
    items = iter(work)
    while batch := list(islice(items, size)):
        yield batch


def _render_one(
    renderer: SpeechRenderer,
    language: str,
    line: PromptLine,
    *,
    fmt: AudioFormat,
    check: bool,
    report: BuildReport,
) -> None:
    if renderer.cached(line.text, language, fmt=fmt) is not None:
        report.reused += 1
        return
    verdicts: list[AudioCheck] = []

    def inspect(wav: Path) -> None:
        # The trimmed WAV is what the MP3 is made from: checking it saves decoding the MP3.
        if check:
            verdicts.append(check_audio(wav, text=line.text))

    path = renderer.audio_for(line.text, language, fmt=fmt, inspect=inspect)
    report.rendered += 1
    if check and not verdicts:  # another process rendered it while we waited
        verdicts.append(check_audio(path, text=line.text))
    for verdict in verdicts:
        if not verdict.ok:
            report.failed.append((language, line.id, verdict.problem or ""))
