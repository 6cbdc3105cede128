"""Listen: every screen read aloud with espeak-ng, never a code or typed text in the cache."""

from __future__ import annotations

import io
import re
import wave
from pathlib import Path

import pytest
from click.testing import CliRunner

import speech.render
from kiosk.listen import AudioMismatch, join_wav
from safeguarding.services import Services
from safereport.checks import Finding, Status, run_checks
from safereport.cli import main
from safereport.config import Config
from speech.render import SpeechRenderer
from tests.factories import submit
from tests.kiosk.audio import assert_speech
from tests.kiosk.journey import ANSWERS, answer, fill_report, send, start_report
from tests.kiosk.pages import Kiosk, code_on

# Audio is the subject, not storage: SQLite only (tests/conftest.py); the kiosk's journeys
# run on both databases.
pytestmark = pytest.mark.one_database


def listen(kiosk: Kiosk, screen: str) -> bytes:
    response = kiosk.client.get(f"/kiosk/listen/{screen}")
    assert response.status_code == 200, screen
    assert response.mimetype == "audio/wav"
    assert response.headers["Cache-Control"] == "no-store, max-age=0"
    return response.get_data()


def test_every_report_screen_has_audio_that_is_not_silent(kiosk: Kiosk) -> None:
    start_report(kiosk)
    assert_speech(listen(kiosk, "menu"))
    for question, data in ANSWERS.items():
        page = kiosk.get(f"/kiosk/report/{question}")
        button = page.by_class("kiosk-listen")
        assert button and button[0].attrs["data-listen"] == f"/kiosk/listen/{question}"
        assert_speech(listen(kiosk, question), min_seconds=1.5)
        answer(kiosk, question, data)
    assert_speech(listen(kiosk, "check"), min_seconds=5)
    assert_speech(listen(kiosk, "warning"))
    send(kiosk)
    assert_speech(listen(kiosk, "sent"), min_seconds=5)


def _no_speech_made(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("Listen made speech: audio build should have rendered it")


def _kiosk_audio(config: Config) -> Finding:
    [finding] = [
        f for f in run_checks(config, production=False) if f.item.startswith("kiosk audio")
    ]
    return finding


def _unrendered(finding: Finding) -> set[str]:
    """The languages a finding counts sentences of ("... rendered on this server: en 227")."""
    return set(re.findall(r"\b([a-z]{2}) \d+", finding.detail))


def test_after_audio_build_no_listen_waits_for_speech_to_be_made(
    kiosk: Kiosk, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``safereport audio build`` renders every sentence Listen can say at this kiosk, so the
    first frightened person to touch Listen after a deploy waits for nothing to be spoken by
    the computer voice; ``safereport check`` says while that is not done."""
    before = _kiosk_audio(config)
    assert before.status is Status.RISKY and _unrendered(before) == {"en", "cy", "ar"}
    env = {"SAFEREPORT_INSTANCE_PATH": str(config.instance_path),
           "SAFEREPORT_DATABASE_URL": config.database_url}  # fmt: skip
    command = ["audio", "build", "--door", "kiosk", "--lang", "en", "--workers", "1"]
    built = CliRunner().invoke(main, command, env=env)
    assert built.exit_code == 0, built.output
    assert int(built.output.split(" rendered,")[0].split()[-1]) > 200
    after = _kiosk_audio(config)  # Welsh and Arabic are offered here and not yet built
    assert after.status is Status.RISKY and _unrendered(after) == {"cy", "ar"}
    monkeypatch.setattr(speech.render, "synthesise_wav", _no_speech_made)
    assert_speech(kiosk.client.get("/kiosk/listen/language/en").get_data())
    start_report(kiosk)
    assert_speech(listen(kiosk, "menu"))
    for question, data in ANSWERS.items():
        assert_speech(listen(kiosk, question), min_seconds=1.5)
        answer(kiosk, question, data)
    for screen in ("check", "warning"):
        assert_speech(listen(kiosk, screen))
    send(kiosk)
    assert_speech(listen(kiosk, "sent"), min_seconds=5)


def test_the_code_and_typed_text_never_reach_the_audio_cache(kiosk: Kiosk, config: Config) -> None:
    fill_report(kiosk)
    listen(kiosk, "check")
    code = code_on(send(kiosk))
    listen(kiosk, "sent")
    renderer = SpeechRenderer(config.audio_cache_path)
    for secret in (
        code,
        " ".join(code[i : i + 4] for i in range(0, 12, 4)),
        ANSWERS["more"]["details"],
    ):
        assert renderer.cached(secret, "en", fmt="wav") is None
    # The digits are there, one clip each.
    assert all(renderer.cached(digit, "en", fmt="wav") for digit in set(code))


def test_the_follow_up_screens_have_audio(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    receipt = submit(services, establishment_id)
    start_report(kiosk)
    assert_speech(listen(kiosk, "code"))
    kiosk.submit("/kiosk/code", {"code": receipt.code, "key": "check"})
    assert_speech(listen(kiosk, "status"))
    assert_speech(listen(kiosk, "add"))


def test_each_language_on_the_start_screen_speaks_its_own_name(kiosk: Kiosk) -> None:
    start = kiosk.get("/kiosk/")
    offered = [b.attrs["value"] for b in start.all("button", name="language")]
    buttons = start.by_class("kiosk-speak")
    assert [b.attrs["data-listen"] for b in buttons] == [
        f"/kiosk/listen/language/{code}" for code in offered
    ]
    assert buttons[0].attrs["aria-label"] == "Listen: English"
    for code in offered:
        response = kiosk.client.get(f"/kiosk/listen/language/{code}")
        assert response.status_code == 200, code
        assert_speech(response.get_data())
    assert kiosk.client.get("/kiosk/listen/language/so").status_code == 404  # not offered here


def test_listen_needs_a_kiosk_session_and_a_known_screen(kiosk: Kiosk) -> None:
    assert kiosk.client.get("/kiosk/listen/menu").location == "/kiosk/"
    start_report(kiosk)
    assert kiosk.client.get("/kiosk/listen/nothing-here").status_code == 404


def _tone(path: Path, rate: int) -> Path:
    with wave.open(str(path), "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(2)
        clip.setframerate(rate)
        clip.writeframes(b"\x10\x27" * rate)
    return path


def test_joining_clips_adds_a_pause_and_matches_sample_rates(tmp_path: Path) -> None:
    a, b = _tone(tmp_path / "a.wav", 8000), _tone(tmp_path / "b.wav", 16000)
    joined = join_wav([a, b], pause=0.5)
    with wave.open(io.BytesIO(joined), "rb") as clip:
        assert clip.getframerate() == 8000
        assert clip.getnframes() == 8000 + 4000 + 8000  # one second, a pause, one second


def test_joining_refuses_audio_that_is_not_16_bit_mono(tmp_path: Path) -> None:
    stereo = tmp_path / "stereo.wav"
    with wave.open(str(stereo), "wb") as clip:
        clip.setnchannels(2)
        clip.setsampwidth(2)
        clip.setframerate(8000)
        clip.writeframes(b"\0\0\0\0" * 100)
    with pytest.raises(AudioMismatch):
        join_wav([_tone(tmp_path / "a.wav", 8000), stereo], pause=0.1)
