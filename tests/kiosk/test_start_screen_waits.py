"""A kiosk's start screen waits for hours, overnight, for days: the first tap must work."""

from __future__ import annotations

import time

import pytest
from itsdangerous.timed import TimestampSigner

from tests.kiosk.pages import Kiosk


def _hours_later(monkeypatch: pytest.MonkeyPatch, hours: int) -> None:
    later = int(time.time()) + hours * 3600
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)


def test_the_start_screen_left_overnight_takes_the_first_tap(
    kiosk: Kiosk, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The kiosk fixture has the start screen open; nobody touches it until the morning.
    _hours_later(monkeypatch, 14)
    response = kiosk.post("/kiosk/language", {"language": "cy"})
    assert response.location == "/kiosk/menu"  # not a silent return to the start screen


def test_a_token_that_is_not_this_kiosks_is_still_refused(
    kiosk: Kiosk, monkeypatch: pytest.MonkeyPatch
) -> None:
    _hours_later(monkeypatch, 14)
    refused = kiosk.client.post(
        "/kiosk/language", data={"language": "cy", "csrf_token": "not-a-token"}
    )
    assert refused.status_code == 303 and refused.location == "/kiosk/"
    assert kiosk.client.post("/kiosk/language", data={"language": "cy"}).location == "/kiosk/"
