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
from tests.support.prompts import MemoryRecordings

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
    renderer: SpeechRenderer, recordings: MemoryRecordings, tmp_path: Path
) -> None:
    with pytest.raises(NoVoice):
        renderer.audio_for(SENTENCE, "so")
    assert not renderer.has_audio(SENTENCE, "so")
    recordings.store(
        write_wav(tmp_path / "so.wav", 2.5, amplitude=0.3), text=SENTENCE, language="so"
    )
    now = renderer.scoped(None)  # what the source says now, as each request asks
    assert now.has_audio(SENTENCE, "so")
    assert check_audio(now.audio_for(SENTENCE, "so")).ok


def test_a_recorded_prompt_replaces_the_synthetic_voice_and_a_new_one_wins(
    renderer: SpeechRenderer, recordings: MemoryRecordings, tmp_path: Path
) -> None:
    synthetic = renderer.audio_for(SENTENCE, "en", fmt="wav")
    recordings.store(
        write_wav(tmp_path / "a.wav", 2.0, amplitude=0.3), text=SENTENCE, language="en"
    )
    recorded = renderer.scoped(None).audio_for(SENTENCE, "en", fmt="wav")
    assert recorded != synthetic and ".rec." in recorded.name
    first = check_audio(recorded).duration_seconds
    recordings.store(
        write_wav(tmp_path / "b.wav", 3.0, amplitude=0.3), text=SENTENCE, language="en"
    )
    replaced = renderer.scoped(None).audio_for(SENTENCE, "en", fmt="wav")
    assert replaced != recorded  # named by the new recording's hash: never the stale file
    assert check_audio(replaced).duration_seconds > first


def test_an_establishment_hears_its_own_recording_else_the_default_else_the_voice(
    renderer: SpeechRenderer, recordings: MemoryRecordings, tmp_path: Path
) -> None:
    default = recordings.store(
        write_wav(tmp_path / "d.wav", 2.0, amplitude=0.3), text=SENTENCE, language="en"
    )
    own = recordings.store(
        write_wav(tmp_path / "o.wav", 3.0, amplitude=0.3), text=SENTENCE, language="en",
        establishment_id=1,
    )  # fmt: skip
    assert renderer.scoped(1).recorded_prompt(SENTENCE, "en") == own
    assert renderer.scoped(2).recorded_prompt(SENTENCE, "en") == default
    assert renderer.scoped(2).recorded_prompt("Another sentence.", "en") is None
    assert renderer.scoped(2).has_audio("Another sentence.", "en")  # the computer voice


def test_a_damaged_or_missing_local_copy_is_fetched_again_from_the_source(
    renderer: SpeechRenderer, recordings: MemoryRecordings, tmp_path: Path
) -> None:
    digest = recordings.store(
        write_wav(tmp_path / "so.wav", 2.5, amplitude=0.3), text=SENTENCE, language="so"
    )
    scoped = renderer.scoped(None)
    first = scoped.audio_for(SENTENCE, "so", fmt="wav").read_bytes()
    assert scoped.recorded is not None
    copy = scoped.recorded.file(digest)
    assert copy.name == f"{digest}.wav" and recordings.reads == 1
    # Someone edits the cache by hand (or the disk damages it), and the rendered files go.
    copy.write_bytes(copy.read_bytes()[:100] + b"\0" * 100)
    for rendered in (renderer.cache_dir / "so").glob("*.rec.*"):
        rendered.unlink()
    again = renderer.scoped(None).audio_for(SENTENCE, "so", fmt="wav").read_bytes()
    assert again == first and recordings.reads == 2
    assert scoped.recorded.file(digest).read_bytes() == recordings.blobs[digest]
    copy.unlink()
    assert scoped.recorded.file(digest).read_bytes() == recordings.blobs[digest]
    assert recordings.reads == 3


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


@pytest.mark.parametrize(
    ("written", "spelled"),
    [
        # What the phone line says as it hangs up, and the kiosk's Sent screen.
        (
            "You can call Samaritans free on 116 123.",
            "You can call Samaritans free on 1 1 6, 1 2 3.",
        ),
        ("Call \u2066020 7946 0000\u2069 now.", "Call 0 2 0, 7 9 4 6, 0 0 0 0 now."),
    ],
)
def test_the_computer_voice_reads_phone_numbers_digit_by_digit(
    renderer: SpeechRenderer, written: str, spelled: str
) -> None:
    """Read as thousands ("one hundred and sixteen, one hundred and twenty-three") a number
    cannot be dialled. The same words give the same length of audio within 0.1 s (espeak-ng
    varies that much from run to run); as thousands the Samaritans sentence is 0.9 s longer
    (measured 2026-12-06)."""
    heard = check_audio(renderer.audio_for(written, "en", fmt="wav")).duration_seconds
    meant = check_audio(renderer.audio_for(spelled, "en", fmt="wav")).duration_seconds
    assert abs(heard - meant) < 0.25, (heard, meant)
