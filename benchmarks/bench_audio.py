"""``audio build``: the time to render every phone prompt in every language with a voice,
cold (empty cache) on one process and on one process per core, and warm (everything
rendered: all reused), and per prompt.

Baseline in the same run: the espeak-ng program writing the same sentences to WAV files
(synthesis alone: no trimming, no MP3, no cache, no checks).

Run: .venv/bin/python -m benchmarks.bench_audio [--languages en,cy,...]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks.common import write_result
from ivr.commands import phone_inventory
from speech.build import build_audio_in_parallel, default_workers
from speech.inventory import PromptLine
from speech.render import SpeechRenderer
from translations.languages import BY_CODE, LANGUAGES

DEADLINE_SECONDS = 600


def main() -> None:
    parser = argparse.ArgumentParser()
    voiced = [language.code for language in LANGUAGES if language.espeak_voice]
    parser.add_argument("--languages", default=",".join(voiced))
    languages = parser.parse_args().languages.split(",")
    work = [(language, line) for language in languages for line in phone_inventory(language)]
    workers = default_workers()
    with tempfile.TemporaryDirectory() as tmp:
        serial, _ = _timed(partial(SpeechRenderer, Path(tmp) / "serial"), work, 1)
        cold, report = _timed(partial(SpeechRenderer, Path(tmp) / "cache"), work, workers)
        warm, again = _timed(partial(SpeechRenderer, Path(tmp) / "cache"), work, 1)
        baseline = _espeak_program(work, Path(tmp) / "baseline")
    prompts = len(work)
    results: dict[str, Any] = {
        "languages": languages,
        "prompts": prompts,
        "workers": workers,
        "cold_one_process_seconds": round(serial, 2),
        "cold_seconds": round(cold, 2),
        "cold_ms_per_prompt": round(1000 * cold / prompts, 1),
        "cold_rendered": report.rendered,
        "warm_seconds": round(warm, 3),
        "warm_reused": again.reused,
        "baseline_espeak_program_seconds": round(baseline, 2),
        "failed_checks": [f"{lang} {pid}: {why}" for lang, pid, why in report.failed],
    }
    print(f"\naudio build: {prompts} prompts in {len(languages)} languages")
    print(f"  {'case':<52} {'seconds':>9} {'ms/prompt':>10}")
    for name, seconds in (
        ("cold, one process: render, trim, check, MP3", serial),
        (f"cold, {workers} processes: the same", cold),
        ("warm: everything already rendered", warm),
        ("baseline: espeak-ng program, WAV only", baseline),
    ):
        print(f"  {name:<52} {seconds:>9.2f} {1000 * seconds / prompts:>10.1f}")
    if results["failed_checks"]:
        print("  audio that failed its check:", *results["failed_checks"], sep="\n    ")
    print(f"\nwritten to {write_result('audio', results)}")


def _timed(
    make_renderer: Callable[[], SpeechRenderer], work: list[tuple[str, PromptLine]], workers: int
) -> tuple[float, Any]:
    start = time.perf_counter()
    report = build_audio_in_parallel(make_renderer, work, workers=workers)
    return time.perf_counter() - start, report


def _espeak_program(work: list[tuple[str, PromptLine]], folder: Path) -> float:
    program = shutil.which("espeak-ng")
    assert program is not None
    folder.mkdir()
    start = time.perf_counter()
    deadline = start + DEADLINE_SECONDS
    for number, (language, line) in enumerate(work):
        voice = BY_CODE[language].espeak_voice
        if voice is None or time.monotonic() > deadline:
            continue
        out = folder / f"{number}.wav"
        # Fixed program and arguments; the sentence is one argument, no shell.
        subprocess.run(
            [program, "-v", voice, "-s", "150", "-w", str(out), "--", line.text], check=True
        )
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
