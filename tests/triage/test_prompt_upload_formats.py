"""12.17: an uploaded prompt reaches ffmpeg only as sniffed, allow-listed audio, read as
that one format from a local file: a playlist naming another file is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from safeguarding.services import Services
from speech.convert import to_mp3
from tests.support.pages import parse
from tests.triage.test_admin_prompts import (
    PROMPT,
    audit_details,
    base,
    is_recorded,
    spoken,
    upload,
)

__all__ = ["base"]  # the fixture, used by name


def playlists(secret: Path) -> dict[str, bytes]:
    """Files ffmpeg would recognise by probing and follow to ``secret``. ffmpeg 5.1 read
    the HLS one and kept the other file's audio as the prompt on fe26a51; its concat
    demuxer's own safe mode refuses absolute paths, but nothing of ours stopped it."""
    return {
        "hls": (
            "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:30\n#EXT-X-MEDIA-SEQUENCE:0\n"
            f"#EXTINF:30.0,\nfile://{secret}\n#EXT-X-ENDLIST\n"
        ).encode(),
        "concat": f"ffconcat version 1.0\nfile '{secret}'\n".encode(),
    }


@pytest.mark.parametrize("kind", ["hls", "concat"])
def test_a_playlist_naming_another_file_is_refused(
    app: Flask,
    admin_client: FlaskClient,
    services: Services,
    tmp_path: Path,
    kind: str,
    base: str,
    establishment: int,
) -> None:
    # Another file on the server that would pass every check if ffmpeg read it.
    wav = tmp_path / "spoken.wav"
    wav.write_bytes(spoken(app, "so", PROMPT, tmp_path))
    secret = tmp_path / "someone-elses-recording.mp3"
    to_mp3(wav, secret)
    refused = upload(admin_client, base, "so", PROMPT, playlists(secret)[kind], "prompt.m3u8")
    assert refused.status_code == 400
    refusal = parse(refused).field_error(f"p-{PROMPT}")
    assert refusal.startswith("This file is not a recording we can read.")
    assert not is_recorded(app, "so", PROMPT, establishment)
    assert audit_details(services, "admin.prompt_recorded") == []


def test_a_wav_named_as_anything_is_still_read_as_what_it_is(
    app: Flask, admin_client: FlaskClient, tmp_path: Path, base: str, establishment: int
) -> None:
    """The bytes decide, not the name: a WAV called .mp3 is accepted as the WAV it is."""
    sent = upload(admin_client, base, "so", PROMPT, spoken(app, "so", PROMPT, tmp_path), "memo.mp3")
    assert sent.status_code == 302 and is_recorded(app, "so", PROMPT, establishment)
