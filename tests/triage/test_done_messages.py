"""Every case action says what it did: a green banner with nothing in it (found on the
walk-through for the duty to notify decision and a referral's answer) tells a lead nothing."""

from __future__ import annotations

from flask import Flask

from triage import _done_message
from triage.action_views import ACTIONS


def test_every_case_action_has_its_banner(app: Flask) -> None:
    with app.test_request_context():
        missing = [action for action in ACTIONS if not _done_message(action)]
    assert missing == []
