"""Neither a call's CallSid (which names it at Twilio) nor its submission nonce (which its
follow-up code derives from) is stored in clear: a keyed hash and a sealed value instead."""

from __future__ import annotations

import os
import secrets

from sqlalchemy import Engine, text
from sqlalchemy.orm import sessionmaker

from safeguarding.services import Services
from storage.crypto import Vault
from storage.migrate import upgrade
from storage.models import Establishment, PhoneLine
from storage.repositories.calls import find_call
from storage.sealed_fields import CALL_NONCE
from tests.conftest import START
from tests.core.test_audit_migration import old_engine  # noqa: F401  (fixture)
from tests.core.test_storage import _raw_database_bytes
from tests.ivr.emulator import TwilioEmulator
from tests.ivr.test_call_flow import REPORT_ABOUT_ME_NO_STAFF
from tests.support.migrations import upgrade_all_but


def test_the_call_sid_and_nonce_never_reach_the_database_in_clear(
    phone: TwilioEmulator, services: Services, database_kind: str, database_url: str
) -> None:
    """Fails on fe26a51: call_session.call_sid and submission_nonce were plain text."""
    log = phone.call(REPORT_ABOUT_ME_NO_STAFF)
    with services.db.transaction() as session:
        call = find_call(session, log.call_sid, pepper=services.secrets.code_pepper)
        assert call is not None and call.report_id is not None
        nonce = CALL_NONCE.open_text(services.secrets.vault, call)
    assert nonce and len(nonce) >= 24
    services.db.dispose()
    raw = _raw_database_bytes(database_kind, database_url)
    assert b"A Wing" in raw  # we really read the stored data
    assert log.call_sid.encode() not in raw
    assert nonce.encode() not in raw


def test_existing_calls_are_converted(old_engine: Engine) -> None:  # noqa: F811
    upgrade_all_but(old_engine, not_yet=["0008_call_secrets"])
    call_sid, nonce = "CA" + secrets.token_hex(16), secrets.token_urlsafe(24)
    with sessionmaker(old_engine)() as session, session.begin():
        establishment = Establishment(code="OLD", name="HMP Old", created_at=START)
        session.add(establishment)
        session.flush()
        line = PhoneLine(
            establishment_id=establishment.id, number="+441632960999", created_at=START
        )
        session.add(line)
        session.flush()
        session.execute(
            text(
                "INSERT INTO call_session (call_sid, establishment_id, phone_line_id, step, "
                "answers, submission_nonce, status, created_at, updated_at, turn, silences, "
                "navigation, mode) VALUES (:sid, :e, :l, 'language', '{}', :nonce, "
                "'in-progress', :at, :at, 0, 0, '{}', 'report')"
            ),
            {"sid": call_sid, "e": establishment.id, "l": line.id, "nonce": nonce, "at": START},
        )
    vault, pepper = Vault({"k": os.urandom(32)}, "k"), os.urandom(32)
    upgrade(old_engine, vault=vault, code_pepper=pepper)
    with sessionmaker(old_engine)() as session:
        call = find_call(session, call_sid, pepper=pepper)
        assert call is not None
        assert CALL_NONCE.open_text(vault, call) == nonce
        assert call.call_sid_hash != call_sid
