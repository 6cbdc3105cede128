"""What the phone line needs from the configuration, resolved once when the app starts."""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from flask import current_app

from speech.overrides import RecordingSource
from speech.render import SpeechRenderer
from translations.languages import has_catalog

log = logging.getLogger("safereport.ivr")

DEMO_TOKEN_FILE = "twilio-demo-auth-token"  # noqa: S105 (a file name, not a secret)
EXTENSION = "safereport.ivr"
RECORDING_MAX_SECONDS = 300


class PhoneConfig(Protocol):
    """The fields of safereport.config.Config that the phone line reads."""

    @property
    def instance_path(self) -> Path: ...
    @property
    def audio_cache_path(self) -> Path: ...
    @property
    def twilio_auth_token(self) -> str | None: ...
    @property
    def public_base_url(self) -> str | None: ...
    @property
    def demo(self) -> bool: ...


@dataclass
class IvrSettings:
    auth_token: str | None  # None: every webhook is refused
    public_base_url: str | None
    renderer: SpeechRenderer
    catalog_check: Callable[[str], bool] = has_catalog
    simulator: bool = False  # demo only, and only with the generated demo token
    recording_max_seconds: int = RECORDING_MAX_SECONDS
    # The languages each establishment's line offers (and its <Say> voices), checked at
    # most once a minute.
    languages_cache: dict[tuple[object, ...], tuple[float, Any]] = field(
        default_factory=dict, repr=False
    )


def renderer_for(config: PhoneConfig, recordings: RecordingSource | None) -> SpeechRenderer:
    """The installation's renderer; take ``.scoped(establishment_id)`` of it per request."""
    return SpeechRenderer(config.audio_cache_path, recordings=recordings)


def settings_from_config(config: PhoneConfig, recordings: RecordingSource | None) -> IvrSettings:
    token = config.twilio_auth_token
    simulator = False
    if token is None and config.demo:
        token = demo_auth_token(config.instance_path)
        simulator = True
    if token is None:
        # A warning, not an error: a kiosk-only prison has no phone line, and
        # `safereport check` reports an establishment whose phone line cannot work.
        log.warning("TWILIO_AUTH_TOKEN is not set: the phone line refuses every call")
    return IvrSettings(
        auth_token=token,
        public_base_url=config.public_base_url,
        renderer=renderer_for(config, recordings),
        simulator=simulator,
    )


def demo_auth_token(instance_path: Path) -> str:
    """A random token for demo mode, kept in the instance folder (mode 0600)."""
    path = instance_path / DEMO_TOKEN_FILE
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker made it first: use theirs
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(token)
    return token


def current_settings() -> IvrSettings:
    settings: IvrSettings = current_app.extensions[EXTENSION]
    return settings
