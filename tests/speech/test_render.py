"""The audio cache: rendered once, safe under threads and processes, recorded prompts win."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest

from speech.cache import AudioFormat
from speech.checks import check_audio
from speech.render import NoVoice, SpeechRenderer
from tests.speech.conftest import write_wav

SENTENCE = "If you are in danger now, press 1."


def test_audio_is_rendered_once_then_served_from_the_cache(renderer: SpeechRenderer) -> None:
    assert renderer.cached(SENTENCE, "en") is None
    first = renderer.audio_for(SENTENCE, "en")
    modified = first.stat().st_mtime_ns
    again = renderer.audio_for(SENTENCE, "en")
    assert again == first and again.stat().st_mtime_ns == modified
    assert renderer.cached(SENTENCE, "en") == first
    assert check_audio(first, text=SENTENCE).ok


def test_both_formats_are_real_audio(renderer: SpeechRenderer) -> None:
    formats: tuple[AudioFormat, ...] = ("mp3", "wav")
    for fmt in formats:
        path = renderer.audio_for(SENTENCE, "cy", fmt=fmt)
        assert path.suffix == f".{fmt}"
        assert check_audio(path, text=SENTENCE).ok


def test_a_language_without_a_voice_needs_a_recorded_prompt(
    renderer: SpeechRenderer, tmp_path: Path
) -> None:
    with pytest.raises(NoVoice):
        renderer.audio_for(SENTENCE, "so")
    assert not renderer.has_audio(SENTENCE, "so")
    recording = write_wav(tmp_path / "so.wav", 2.5, amplitude=0.3)
    assert renderer.recorded is not None
    renderer.recorded.store(recording, text=SENTENCE, language="so")
    assert renderer.has_audio(SENTENCE, "so")
    assert check_audio(renderer.audio_for(SENTENCE, "so")).ok


def test_a_recorded_prompt_replaces_the_synthetic_voice_and_a_new_one_wins(
    renderer: SpeechRenderer, tmp_path: Path
) -> None:
    synthetic = renderer.audio_for(SENTENCE, "en", fmt="wav")
    assert renderer.recorded is not None
    renderer.recorded.store(
        write_wav(tmp_path / "a.wav", 2.0, amplitude=0.3), text=SENTENCE, language="en"
    )
    recorded = renderer.audio_for(SENTENCE, "en", fmt="wav")
    assert recorded != synthetic and ".rec." in recorded.name
    first = check_audio(recorded).duration_seconds
    renderer.recorded.store(
        write_wav(tmp_path / "b.wav", 3.0, amplitude=0.3), text=SENTENCE, language="en"
    )
    second = check_audio(renderer.audio_for(SENTENCE, "en", fmt="wav")).duration_seconds
    assert second > first  # the re-imported recording is what is played now


def test_threads_asking_at_once_get_one_good_file(renderer: SpeechRenderer) -> None:
    text = "Many workers ask for this sentence at the same moment."
    paths: list[Path] = []
    errors: list[BaseException] = []

    def ask() -> None:
        try:
            paths.append(renderer.audio_for(text, "pl"))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and len(paths) == 8 and len(set(paths)) == 1
    assert check_audio(paths[0], text=text).ok
    leftovers = [p for p in paths[0].parent.iterdir() if p.is_dir()]
    assert leftovers == []  # no half-written work left behind


def _render_in_child(cache: str, text: str, queue: multiprocessing.Queue[str]) -> None:
    path = SpeechRenderer(Path(cache)).audio_for(text, "en", fmt="wav")
    queue.put(str(path))


def test_a_forked_worker_renders_without_hanging(renderer: SpeechRenderer) -> None:
    """pyttsx3 hangs in a child forked after it started (gunicorn --preload): not here."""
    renderer.audio_for("The parent process speaks first.", "en")  # starts the engine
    context = multiprocessing.get_context("fork")
    queue: multiprocessing.Queue[str] = context.Queue()
    children = [
        context.Process(
            target=_render_in_child,
            args=(str(renderer.cache_dir), "Forked workers speak too.", queue),
        )
        for _ in range(3)
    ]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=60)
        assert child.exitcode == 0, "a forked worker hung or failed"
    results = {queue.get(timeout=5) for _ in children}
    assert len(results) == 1
    assert check_audio(Path(results.pop()), text="Forked workers speak too.").ok
