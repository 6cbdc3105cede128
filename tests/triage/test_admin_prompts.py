"""Administrators record their establishment's prompts in the web UI: each prompt's audio, an
upload per prompt (checked, refused with a reason), listening, removal; all audited."""

from __future__ import annotations

import io
import json
import math
import struct
import subprocess
import wave
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from speech.convert import to_mp3
from speech.engine import synthesise_wav
from speech.prompt_audio import EXTENSION, PromptAudio
from storage.models import AuditEvent
from tests.support.pages import Element, Page, parse, words
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import csrf, page_at, signed_in_client
from triage.guard import PROMPT_UPLOAD_BYTES

INDEX = "/triage/admin/phone-prompts"
PROMPT = "start.danger"


@pytest.fixture
def base(establishment: int) -> str:
    """The prompts pages of the administrator's establishment."""
    return f"{INDEX}/{establishment}"


def prompt_audio(app: Flask) -> PromptAudio:
    found: PromptAudio = app.extensions[EXTENSION]
    return found


def text_of(app: Flask, language: str, prompt_id: str) -> str:
    with app.app_context():
        line = prompt_audio(app).line(language, prompt_id)
    assert line is not None
    return line.text


def is_recorded(app: Flask, language: str, prompt_id: str, establishment_id: int) -> bool:
    """Whether callers of this establishment hear a person's recording of the prompt."""
    text = text_of(app, language, prompt_id)
    with app.app_context():
        renderer = prompt_audio(app).renderer().scoped(establishment_id)
        return renderer.recorded_prompt(text, language) is not None


def spoken(app: Flask, language: str, prompt_id: str, tmp_path: Path) -> bytes:
    """A person's recording of the sentence (here espeak reading it)."""
    wav = tmp_path / f"{prompt_id}.wav"
    synthesise_wav(text_of(app, language, prompt_id), "en", wav)
    return wav.read_bytes()


def silent_wav(seconds: float = 3.0) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(8000)
        audio.writeframes(b"\0\0" * int(8000 * seconds))
    return out.getvalue()


def tone_wav(seconds: float) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(8000)
        samples = (int(8000 * math.sin(i / 3)) for i in range(int(8000 * seconds)))
        audio.writeframes(b"".join(struct.pack("<h", s) for s in samples))
    return out.getvalue()


def upload(
    client: FlaskClient, base: str, language: str, prompt_id: str, data: bytes, name: str
) -> Any:
    return client.post(
        f"{base}/{language}/{prompt_id}",
        data={"csrf_token": csrf(client), "recording": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def audit_details(services: Services, action: str) -> list[dict[str, Any]]:
    with services.db.transaction() as session:
        rows = session.scalars(select(AuditEvent.detail).where(AuditEvent.action == action))
        return [json.loads(detail) for detail in rows]


def test_the_page_lists_every_prompt_with_where_its_audio_comes_from(
    app: Flask, admin_client: FlaskClient, base: str, establishment: int
) -> None:
    overview = admin_client.get(base)
    assert overview.status_code == 200
    page = parse(overview)
    with app.app_context():
        count = len(prompt_audio(app).states("so", establishment))
    assert count > 50
    assert _numbers(page, "so") == [0, 0, 0, count]  # no voice, no recordings
    assert _numbers(page, "cy") == [0, 0, count, 0]  # espeak speaks Welsh

    page = page_at(admin_client, f"{base}/so")
    rows = page.row_elements(page.by_id("prompts"))
    assert [row.attrs["data-source"] for row in rows] == ["missing"] * count
    files = page.all("input", type="file")
    assert len(files) == count and all(upload_form(file) for file in files)
    [said] = page.inside(page.by_id(f"p-{PROMPT}"), "span", lang="so")
    assert said.text == words(text_of(app, "so", PROMPT))


def upload_form(field: Element) -> bool:
    """Whether the field is in a form that sends files."""
    forms = [p for p in field.parents if p.tag == "form"]
    return bool(forms) and forms[-1].attrs.get("enctype") == "multipart/form-data"


def _numbers(page: Page, language: str) -> list[int]:
    """A language's row of the overview: how many prompts have each source of audio."""
    cells = page.inside(page.by_id(f"language-{language}"), "td", class_=_NUMERIC)
    return [int(cell.text) for cell in cells]


_NUMERIC = "govuk-table__cell govuk-table__cell--numeric"


def test_an_upload_is_checked_kept_audited_playable_and_removable(
    app: Flask,
    admin_client: FlaskClient,
    services: Services,
    tmp_path: Path,
    base: str,
    establishment: int,
) -> None:
    wav = tmp_path / "speech.wav"
    wav.write_bytes(spoken(app, "so", PROMPT, tmp_path))
    mp3 = tmp_path / "speech.mp3"
    to_mp3(wav, mp3)  # any format ffmpeg reads
    sent = upload(admin_client, base, "so", PROMPT, mp3.read_bytes(), "danger.mp3")
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/so#p-{PROMPT}")
    assert is_recorded(app, "so", PROMPT, establishment)
    [detail] = audit_details(services, "admin.prompt_recorded")
    assert (detail["language"], detail["prompt"]) == ("so", PROMPT) and detail["seconds"] > 0
    assert detail["establishment_id"] == establishment

    page = page_at(admin_client, f"{base}/so")
    assert page.flashes == ["Recording saved. Callers hear it from now on."]
    row = page.by_id(f"p-{PROMPT}")
    assert row.attrs["data-source"] == "recorded"
    buttons = [button.text for button in page.inside(row, "button")]
    assert page.inside(row, "audio") and f"Remove recording {PROMPT}" in buttons
    played = admin_client.get(f"{base}/so/{PROMPT}/audio")
    assert played.status_code == 200 and played.mimetype == "audio/mpeg"
    assert len(played.data) > 1000
    assert admin_client.get(f"{base}/so/common.again/audio").status_code == 404  # no audio

    removed = admin_client.post(
        f"{base}/so/{PROMPT}/remove", data={"csrf_token": csrf(admin_client)}
    )
    assert removed.status_code == 302
    assert not is_recorded(app, "so", PROMPT, establishment)
    assert audit_details(services, "admin.prompt_removed") == [
        {"establishment_id": establishment, "language": "so", "prompt": PROMPT}
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (silent_wav(), "The recording is silent."),
        (tone_wav(0.1), "Too short for this sentence"),
        (tone_wav(40.0), "Too long for this sentence"),
        (b"this is not audio at all" * 100, "This file is not a recording we can read."),
    ],
    ids=["silent", "short", "long", "not-audio"],
)
def test_a_bad_recording_is_refused_with_a_reason_and_nothing_is_kept(
    app: Flask,
    admin_client: FlaskClient,
    services: Services,
    data: bytes,
    reason: str,
    base: str,
    establishment: int,
) -> None:
    refused = upload(admin_client, base, "so", PROMPT, data, "prompt.wav")
    assert refused.status_code == 400
    assert parse(refused).field_error(f"p-{PROMPT}").startswith(reason)
    assert not is_recorded(app, "so", PROMPT, establishment)
    assert audit_details(services, "admin.prompt_recorded") == []


def test_no_file_and_a_file_too_large_are_refused(
    app: Flask, admin_client: FlaskClient, services: Services, base: str, establishment: int
) -> None:
    empty = admin_client.post(
        f"{base}/so/{PROMPT}", data={"csrf_token": csrf(admin_client)},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert empty.status_code == 400
    assert parse(empty).field_error(f"p-{PROMPT}") == "Choose a recording to upload."
    huge = upload(admin_client, base, "so", PROMPT, b"\0" * (PROMPT_UPLOAD_BYTES + 1), "huge.wav")
    assert huge.status_code == 413
    too_large = parse(huge)
    assert too_large.h1 == "The file is too large"
    most = PROMPT_UPLOAD_BYTES // (1024 * 1024)
    assert too_large.paragraphs("main-content") == [
        f"A recording can be at most {most} MB. Nothing was saved."
    ]
    assert not is_recorded(app, "so", PROMPT, establishment)
    assert audit_details(services, "admin.prompt_recorded") == []


def test_unknown_languages_and_prompts_are_not_found(
    admin_client: FlaskClient, base: str, establishment: int
) -> None:
    assert admin_client.get(f"{base}/xx").status_code == 404
    refused = upload(admin_client, base, "so", "no.such.prompt", silent_wav(), "x.wav")
    assert refused.status_code == 404


@pytest.mark.parametrize("role", ["lead", "deputy", "governor", "auditor"])
def test_only_administrators_reach_the_prompts(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock, role: str,
    tmp_path: Path, base: str, establishment: int
) -> None:  # fmt: skip
    client = signed_in_client(app, services, staff(role), clock)
    assert client.get(base).status_code == 403
    assert client.get(f"{base}/so").status_code == 403
    assert client.get(f"{base}/cy/{PROMPT}/audio").status_code == 403
    refused = upload(client, base, "so", PROMPT, spoken(app, "so", PROMPT, tmp_path), "p.wav")
    assert refused.status_code == 403
    assert not is_recorded(app, "so", PROMPT, establishment)


def test_a_welsh_speaking_admin_gets_the_page_and_the_reasons_in_welsh(
    admin_client: FlaskClient, base: str, establishment: int
) -> None:
    chosen = admin_client.post(
        "/triage/account", data={"csrf_token": csrf(admin_client), "language": "cy"}
    )
    assert chosen.status_code == 302
    page = page_at(admin_client, f"{base}/so")
    assert page.h1.startswith("Anogwyr y ffôn yn")
    uploads = [button.text for button in page.all("button", type="submit")]
    assert f"Uwchlwytho {PROMPT}" in uploads
    refused = upload(admin_client, base, "so", PROMPT, silent_wav(), "prompt.wav")
    assert refused.status_code == 400
    assert parse(refused).field_error(f"p-{PROMPT}").startswith("Mae'r recordiad yn dawel.")


@pytest.mark.parametrize(
    ("suffix", "codec"), [("m4a", "aac"), ("ogg", "libopus"), ("flac", "flac")]
)
def test_phone_recordings_in_other_formats_are_accepted(
    app: Flask,
    admin_client: FlaskClient,
    tmp_path: Path,
    suffix: str,
    codec: str,
    base: str,
    establishment: int,
) -> None:
    """A phone's voice memo (M4A), a messaging app's note (Opus) or an editor's FLAC."""
    wav = tmp_path / "speech.wav"
    wav.write_bytes(spoken(app, "so", PROMPT, tmp_path))
    converted = tmp_path / f"speech.{suffix}"
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-i", str(wav), "-c:a", codec, str(converted)],
        check=True,
    )
    sent = upload(admin_client, base, "so", PROMPT, converted.read_bytes(), f"memo.{suffix}")
    assert sent.status_code == 302
    assert is_recorded(app, "so", PROMPT, establishment)
