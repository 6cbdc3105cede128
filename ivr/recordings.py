"""Fetching a caller's voice message from Twilio into sealed storage (an outbox handler).

The outbox message holds ids only. The handler opens the recording's sealed source URL,
refuses any host not on the allowed list (our credentials never go anywhere else),
downloads the audio with the account's credentials, seals it, and, when configured,
deletes it from Twilio. It is idempotent: a message delivered twice fetches once.
Raising asks the worker to try again later (for example while Twilio is still
processing the recording and answers 404).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from ivr.settings import PhoneConfig, demo_auth_token
from safeguarding.services import Services
from storage.models import Recording
from storage.repositories.audit import append_audit
from storage.sealed_fields import RECORDING_AUDIO, RECORDING_SOURCE_URL

log = logging.getLogger("safereport.ivr.recordings")

MAX_RECORDING_BYTES = 64 * 1024 * 1024  # 5 minutes of 8 kHz WAV is under 5 MB
TIMEOUT_SECONDS = 30
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
TWILIO_API_HOST = "api.twilio.com"

Handler = Callable[[Services, dict[str, Any]], None]


class RecordingFetchError(Exception):
    """The recording could not be fetched this time; the worker will try again."""


@dataclass(frozen=True)
class _Pending:
    url: str
    need_audio: bool
    need_delete: bool


def make_recording_fetcher(
    *,
    account_sid: str,
    auth_token: str,
    allowed_hosts: frozenset[str],
    delete_from_provider: bool = False,
    timeout: float = TIMEOUT_SECONDS,
) -> Handler:
    auth = (account_sid, auth_token)

    def fetch_recording(services: Services, payload: dict[str, Any]) -> None:
        recording_id = int(payload["recording_id"])
        pending = _what_is_left(services, recording_id, delete_from_provider)
        if pending is None:
            return
        _check_host(pending.url, allowed_hosts)
        if pending.need_audio:
            audio, content_type = _download(pending.url, auth, timeout)
            _store(services, recording_id, audio, content_type)
        if pending.need_delete:
            _delete(pending.url, auth, timeout)
            _mark_deleted(services, recording_id)

    return fetch_recording


def _what_is_left(services: Services, recording_id: int, delete: bool) -> _Pending | None:
    with services.db.transaction() as session:
        recording = session.get(Recording, recording_id)
        if recording is None or recording.source_url_sealed is None:
            return None  # purged, or nothing to fetch from
        need_audio = recording.audio_sealed is None
        need_delete = delete and recording.provider_deleted_at is None
        if not need_audio and not need_delete:
            return None
        url = RECORDING_SOURCE_URL.open_text(services.secrets.vault, recording) or ""
        return _Pending(url, need_audio, need_delete)


def _check_host(url: str, allowed_hosts: frozenset[str]) -> None:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.netloc not in allowed_hosts and host not in allowed_hosts:
        raise RecordingFetchError(f"recording host {host!r} is not allowed")
    if parts.scheme != "https" and host not in LOOPBACK_HOSTS:
        raise RecordingFetchError("recordings are fetched over https only")


def _download(url: str, auth: tuple[str, str], timeout: float) -> tuple[bytes, str]:
    # requests drops the Authorization header if Twilio redirects to its media store.
    with requests.get(url, auth=auth, timeout=timeout, stream=True) as response:
        if response.status_code != 200:
            raise RecordingFetchError(f"recording download answered {response.status_code}")
        content_type = response.headers.get("Content-Type", "audio/wav").split(";")[0]
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_content(chunk_size=64 * 1024):
            size += len(chunk)
            if size > MAX_RECORDING_BYTES:
                raise RecordingFetchError("recording is larger than any voice message can be")
            chunks.append(chunk)
    audio = b"".join(chunks)
    if not audio:
        raise RecordingFetchError("recording download was empty")
    return audio, content_type[:40]


def _store(services: Services, recording_id: int, audio: bytes, content_type: str) -> None:
    with services.db.transaction() as session:
        recording = session.get(Recording, recording_id)
        if recording is None or recording.audio_sealed is not None:
            return
        now = services.clock.now()
        RECORDING_AUDIO.seal(services.secrets.vault, recording, audio)
        recording.content_type = content_type
        recording.fetched_at = now
        recording.status = "fetched"
        append_audit(
            session,
            at=now,
            actor="system:worker",
            action="recording.fetched",
            report_id=recording.report_id,
            detail={"recording_id": recording.id, "bytes": len(audio)},
        )


def _delete(url: str, auth: tuple[str, str], timeout: float) -> None:
    response = requests.delete(url, auth=auth, timeout=timeout, allow_redirects=False)
    if response.status_code not in (200, 204, 404):  # 404: already gone
        raise RecordingFetchError(f"recording delete answered {response.status_code}")


def _mark_deleted(services: Services, recording_id: int) -> None:
    with services.db.transaction() as session:
        recording = session.get(Recording, recording_id)
        if recording is not None and recording.provider_deleted_at is None:
            recording.provider_deleted_at = services.clock.now()


def recording_hosts(config: PhoneConfig) -> frozenset[str]:
    """Where recordings may come from: Twilio's API; in demo mode also this machine."""
    hosts = {TWILIO_API_HOST}
    if config.demo:
        hosts |= LOOPBACK_HOSTS
    return frozenset(hosts)


def recording_fetcher_for(
    config: PhoneConfig, *, account_sid: str | None, delete_from_provider: bool = False
) -> Handler | None:
    """The fetcher as configured, or None when there are no credentials to fetch with.

    In demo mode without Twilio credentials, the simulator's recordings are fetched with
    the demo token, as Twilio's would be with the account's.
    """
    token = config.twilio_auth_token
    if token is None and config.demo:
        token = demo_auth_token(config.instance_path)
        account_sid = account_sid or DEMO_ACCOUNT_SID
    if token is None or account_sid is None:
        return None
    return make_recording_fetcher(
        account_sid=account_sid,
        auth_token=token,
        allowed_hosts=recording_hosts(config),
        delete_from_provider=delete_from_provider,
    )


DEMO_ACCOUNT_SID = "AC" + "0" * 32  # the simulator's stand-in account
