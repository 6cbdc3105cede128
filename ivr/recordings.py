"""Fetching a caller's voice message from Twilio into sealed storage, and deleting it there
(two outbox handlers).

The URL is built here from the account's AccountSid and the recording's validated
RecordingSid, under the configured API base (Twilio's own host, or loopback in tests and
the demo): never from a URL a request carried, since one parser's idea of its host is
not another's (``https://evil\\@api.twilio.com/`` is api.twilio.com to urlsplit and
``evil`` to requests). Our credentials therefore only ever go to that base.

The downloaded bytes must be audio by their magic bytes (speech/sniff.py); the type kept
is the sniffed one. Raising asks the worker to try again later (for example while Twilio
is still processing the recording and answers 404). Both handlers are idempotent.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import requests
from urllib3.util import parse_url

from ivr.settings import demo_auth_token
from safeguarding.calls import RECORDING_FETCH_KIND
from safeguarding.recordings import (
    RECORDING_DELETE_KIND,
    enqueue_deletes_left_at_provider,
    mark_deleted_at_provider,
    recording_sid_to_fetch,
    refuse_recording,
    store_fetched_recording,
    valid_recording_sid,
)
from safeguarding.services import Services
from speech.sniff import sniff_audio

log = logging.getLogger("safereport.ivr.recordings")

MAX_RECORDING_BYTES = 64 * 1024 * 1024  # 5 minutes of 8 kHz WAV is under 5 MB
TIMEOUT_SECONDS = 30
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
TWILIO_API_BASE = "https://api.twilio.com"
ACCOUNT_SID = re.compile(r"AC[0-9a-f]{32}")
DEMO_ACCOUNT_SID = "AC" + "0" * 32  # the simulator's stand-in account
SIMULATOR_API_PATH = "/ivr/simulator"  # where the demo's simulator answers as Twilio's API

Handler = Callable[[Services, dict[str, Any]], None]


class RecordingFetchError(Exception):
    """The recording could not be fetched (or deleted) this time; the worker tries again."""


@dataclass(frozen=True)
class RecordingApi:
    """Twilio's recording resource for one account, under a base we were configured with."""

    account_sid: str
    auth_token: str = field(repr=False)
    base: str = TWILIO_API_BASE
    timeout: float = TIMEOUT_SECONDS

    def __post_init__(self) -> None:
        if not ACCOUNT_SID.fullmatch(self.account_sid):
            raise ValueError("the Twilio Account SID is AC and 32 hexadecimal digits")
        check_api_base(self.base)

    @property
    def auth(self) -> tuple[str, str]:
        return (self.account_sid, self.auth_token)

    def resource_url(self, recording_sid: str) -> str:
        if not valid_recording_sid(recording_sid):
            raise ValueError("not a RecordingSid")
        base = self.base.rstrip("/")
        return f"{base}/2010-04-01/Accounts/{self.account_sid}/Recordings/{recording_sid}"

    def media_url(self, recording_sid: str) -> str:
        return self.resource_url(recording_sid) + ".wav"


def check_api_base(base: str) -> None:
    """https only (plain http to this machine for tests and the demo); no user, query or
    fragment, and checked with urllib3's parser, the one requests connects with."""
    if any(char in base for char in "\\@?#") or any(ord(char) < 33 for char in base):
        raise ValueError("the Twilio API base must be a plain https:// address")
    parts = parse_url(base)
    loopback = parts.host in LOOPBACK_HOSTS
    if not parts.host or not (parts.scheme == "https" or (parts.scheme == "http" and loopback)):
        raise ValueError("the Twilio API base must be https:// (or http:// on loopback)")


def make_recording_fetcher(api: RecordingApi, *, delete_from_provider: bool = False) -> Handler:
    def fetch_recording(services: Services, payload: dict[str, Any]) -> None:
        recording_id = int(payload["recording_id"])
        with services.db.transaction() as session:
            sid = recording_sid_to_fetch(session, recording_id, at=services.clock.now())
        if sid is None:
            return
        audio = _download(api.media_url(sid), api.auth, api.timeout)
        kind = sniff_audio(audio)
        with services.db.transaction() as session:
            if kind is None:
                refuse_recording(session, recording_id, reason="not_audio", at=services.clock.now())
                return
            store_fetched_recording(
                session,
                recording_id,
                audio=audio,
                mime=kind.mime,
                vault=services.secrets.vault,
                at=services.clock.now(),
                delete_at_provider=delete_from_provider,
            )

    return fetch_recording


def make_recording_deleter(api: RecordingApi) -> Handler:
    def delete_recording(services: Services, payload: dict[str, Any]) -> None:
        sid = str(payload.get("recording_sid", ""))
        if not valid_recording_sid(sid):
            log.error("recording delete %s has no valid RecordingSid", payload.get("recording_id"))
            return
        response = requests.delete(
            api.resource_url(sid), auth=api.auth, timeout=api.timeout, allow_redirects=False
        )
        if response.status_code not in (200, 204, 404):  # 404: already gone
            raise RecordingFetchError(f"recording delete answered {response.status_code}")
        with services.db.transaction() as session:
            mark_deleted_at_provider(session, int(payload["recording_id"]), at=services.clock.now())

    return delete_recording


def _download(url: str, auth: tuple[str, str], timeout: float) -> bytes:
    # requests drops the Authorization header if Twilio redirects to its media store.
    with requests.get(url, auth=auth, timeout=timeout, stream=True) as response:
        if response.status_code != 200:
            raise RecordingFetchError(f"recording download answered {response.status_code}")
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
    return audio


class RecordingConfig(Protocol):
    """The fields of safereport.config.Config that fetching recordings reads."""

    @property
    def instance_path(self) -> Path: ...
    @property
    def twilio_auth_token(self) -> str | None: ...
    @property
    def twilio_account_sid(self) -> str | None: ...
    @property
    def twilio_api_base(self) -> str | None: ...
    @property
    def demo(self) -> bool: ...
    @property
    def delete_recordings_at_provider(self) -> bool: ...


def recording_api_for(config: RecordingConfig, *, base_url: str) -> RecordingApi | None:
    """The account's recordings as configured, or None when there are no credentials.

    In demo mode without Twilio credentials, the simulator (served at ``base_url``) keeps
    the recordings and answers as Twilio's API would, with the demo token.
    """
    token, account = config.twilio_auth_token, config.twilio_account_sid
    if token is None and config.demo:
        base = base_url.rstrip("/") + SIMULATOR_API_PATH
        return RecordingApi(DEMO_ACCOUNT_SID, demo_auth_token(config.instance_path), base)
    if token is None or account is None:
        return None
    try:
        return RecordingApi(account, token, config.twilio_api_base or TWILIO_API_BASE)
    except ValueError as problem:
        # Recordings wait (and are fetched once this is fixed); alerts must still go out.
        log.error("voice messages are not fetched: %s", problem)
        return None


def recording_handlers(config: RecordingConfig, *, base_url: str) -> dict[str, Handler]:
    """The worker's recording handlers; none without credentials (fetches then wait)."""
    api = recording_api_for(config, base_url=base_url)
    if api is None:
        return {}
    delete = config.delete_recordings_at_provider
    return {
        RECORDING_FETCH_KIND: make_recording_fetcher(api, delete_from_provider=delete),
        RECORDING_DELETE_KIND: make_recording_deleter(api),
    }


def sweep_deletes_left_at_provider(services: Services) -> None:
    """A worker sweep (only when deleting is on): recordings sealed before it was."""
    with services.db.transaction() as session:
        enqueue_deletes_left_at_provider(session, at=services.clock.now())
