from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from safeguarding.clock import FixedClock
from safeguarding.codes import derive_code
from safeguarding.errors import CodeLookupRefused, CodeMalformed
from safeguarding.lookup import LOOKUP_BURST_TEMPLATE, Seeker, find_report_by_code
from safeguarding.services import Services
from safereport.notify.messages import compose
from storage.models import CodeLookupAttempt, OnCallContact, OutboxMessage
from tests.factories import new_establishment, submit


def look_up(services: Services, entered: str, seeker: Seeker) -> int | None:
    with services.db.transaction() as session:
        report = find_report_by_code(
            session,
            entered=entered,
            seeker=seeker,
            pepper=services.secrets.code_pepper,
            limits=services.policy.lookup,
            clock=services.clock,
        )
        return report.id if report else None


def kiosk(establishment: int, session: str = "s1", device: int = 1) -> Seeker:
    return Seeker(establishment_id=establishment, session=session, kiosk_device_id=device)


def call(establishment: int, sid: str, *, line: int = 1, number: str = "anonymous") -> Seeker:
    return Seeker(
        establishment_id=establishment,
        session=f"call:{sid}",
        phone_line_id=line,
        caller_number=number,
    )


def wrong_code(n: int) -> str:
    return derive_code(b"not the server pepper", f"wrong-{n}", 0)


def test_a_code_finds_its_report_typed_with_spaces(services: Services) -> None:
    establishment = new_establishment(services)
    receipt = submit(services, establishment)
    spaced = " ".join(receipt.code[i : i + 4] for i in (0, 4, 8))
    assert look_up(services, spaced, kiosk(establishment)) == receipt.report_id


def test_a_typing_mistake_is_not_counted_as_a_guess(services: Services) -> None:
    establishment = new_establishment(services)
    receipt = submit(services, establishment)
    typo = receipt.code[:-1] + str((int(receipt.code[-1]) + 1) % 10)
    for n in range(40):  # more than any limit, on one device, in many sessions
        with pytest.raises(CodeMalformed):
            look_up(services, typo, kiosk(establishment, session=f"s{n}"))
    assert look_up(services, receipt.code, kiosk(establishment)) == receipt.report_id


def test_five_wrong_codes_lock_that_session_out_for_a_while(
    services: Services, clock: FixedClock
) -> None:
    establishment = new_establishment(services)
    receipt = submit(services, establishment)
    for n in range(5):
        assert look_up(services, wrong_code(n), kiosk(establishment)) is None
    with pytest.raises(CodeLookupRefused):  # even the right code, so guessing learns nothing
        look_up(services, receipt.code, kiosk(establishment))
    assert look_up(services, receipt.code, kiosk(establishment, "s2")) == receipt.report_id
    clock.advance(timedelta(minutes=16))
    assert look_up(services, receipt.code, kiosk(establishment)) == receipt.report_id


def test_a_new_kiosk_session_does_not_reset_the_device_limit(
    services: Services, clock: FixedClock
) -> None:
    """The attack: a fresh session for every few guesses. The device counts them all."""
    establishment = new_establishment(services)
    receipt = submit(services, establishment)
    limit = services.policy.lookup.per_kiosk.failures
    for n in range(limit):
        assert look_up(services, wrong_code(n), kiosk(establishment, f"s{n // 4}")) is None
    with pytest.raises(CodeLookupRefused):
        look_up(services, receipt.code, kiosk(establishment, "brand-new"))
    # Another kiosk in the same prison still works.
    assert look_up(services, receipt.code, kiosk(establishment, "x", 2)) == receipt.report_id
    clock.advance(services.policy.lookup.per_kiosk.window + timedelta(minutes=1))
    assert look_up(services, receipt.code, kiosk(establishment, "later")) == receipt.report_id


def test_a_known_caller_is_limited_across_calls_and_lines(services: Services) -> None:
    establishment = new_establishment(services)
    receipt = submit(services, establishment)
    number = "+447700900123"
    limit = services.policy.lookup.per_caller.failures
    for n in range(limit):
        seeker = call(establishment, f"CA{n}", line=1 + n % 2, number=number)
        assert look_up(services, wrong_code(n), seeker) is None
    with pytest.raises(CodeLookupRefused):
        look_up(services, receipt.code, call(establishment, "CAnew", line=3, number=number))
    other = call(establishment, "CAother", number="+447700900999")
    assert look_up(services, receipt.code, other) == receipt.report_id


def test_withheld_numbers_share_only_the_line_limit(services: Services) -> None:
    establishment = new_establishment(services)
    receipt = submit(services, establishment)
    limit = services.policy.lookup.per_phone_line.failures
    for n in range(limit):
        assert look_up(services, wrong_code(n), call(establishment, f"CA{n}")) is None
    with pytest.raises(CodeLookupRefused):
        look_up(services, receipt.code, call(establishment, "CAnew"))
    assert look_up(services, receipt.code, call(establishment, "CA2", line=2)) == (
        receipt.report_id
    )


def test_one_prisons_flood_does_not_stop_another_prisons_lookup(services: Services) -> None:
    flooded = new_establishment(services, code="AAA", name="HMP Flooded")
    quiet = new_establishment(services, code="BBB", name="HMP Quiet")
    at_flooded = submit(services, flooded)
    at_quiet = submit(services, quiet)
    ceiling = services.policy.lookup.per_establishment.failures
    devices = ceiling // 4 + 1  # few guesses per device and session: only the ceiling bites
    tried = 0
    for device in range(devices):
        for guess in range(4):
            if tried == ceiling:
                break
            seeker = kiosk(flooded, f"d{device}-{guess}", device)
            assert look_up(services, wrong_code(tried), seeker) is None
            tried += 1
    with pytest.raises(CodeLookupRefused):
        look_up(services, at_flooded.code, kiosk(flooded, "fresh", 999))
    assert look_up(services, at_quiet.code, kiosk(quiet, "genuine", 1000)) == at_quiet.report_id
    # A prisoner transferred from the flooded prison can still come back at the quiet one.
    assert look_up(services, at_flooded.code, kiosk(quiet, "moved", 1001)) == (at_flooded.report_id)


def _add_lead(services: Services, establishment: int, email: str) -> int:
    with services.db.transaction() as session:
        lead = OnCallContact(
            establishment_id=establishment,
            chain_position=1,
            role="lead",
            display_name="Lena Lead",
            email=email,
            phone=None,
            created_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        session.add(lead)
        session.flush()
        return lead.id


def _burst_alerts(services: Services) -> list[dict[str, object]]:
    with services.db.transaction() as session:
        payloads = session.scalars(select(OutboxMessage.payload).order_by(OutboxMessage.id))
        found = [json.loads(p) for p in payloads]
    return [p for p in found if p.get("template") == LOOKUP_BURST_TEMPLATE]


def test_a_burst_of_wrong_codes_emails_the_lead_once_per_window(
    services: Services, clock: FixedClock
) -> None:
    establishment = new_establishment(services, code="AAA")
    elsewhere = new_establishment(services, code="BBB")
    lead = _add_lead(services, establishment, "lead@a.example")
    _add_lead(services, elsewhere, "lead@b.example")
    alert = services.policy.lookup.alert_lead
    for n in range(alert.failures - 1):
        look_up(services, wrong_code(n), kiosk(establishment, f"s{n}", n))
    assert _burst_alerts(services) == []
    for n in range(alert.failures - 1, alert.failures + 5):
        look_up(services, wrong_code(n), kiosk(establishment, f"s{n}", n))
    alerts = _burst_alerts(services)
    assert len(alerts) == 1 and alerts[0]["contact_id"] == lead  # not the other prison's lead
    assert alerts[0]["establishment_id"] == establishment
    with services.db.transaction() as session:
        _contact, text = compose(session, alerts[0], base_url="https://safereport.example")
    assert "wrong follow-up codes" in text.body and str(alert.failures) in text.body
    clock.advance(alert.window)
    for n in range(alert.failures):
        look_up(services, wrong_code(100 + n), kiosk(establishment, f"t{n}", 100 + n))
    assert len(_burst_alerts(services)) == 2  # a flood that goes on alerts again, later


def test_tries_are_forgotten_once_no_limit_looks_at_them(
    services: Services, clock: FixedClock
) -> None:
    """One scope is a keyed hash of the caller's number: keep it no longer than needed."""
    establishment = new_establishment(services)
    receipt = submit(services, establishment)
    look_up(services, wrong_code(1), call(establishment, "CA1", number="+447700900123"))
    with services.db.transaction() as session:
        assert session.scalar(select(func.count(CodeLookupAttempt.id))) == 4
    clock.advance(services.policy.lookup.longest_window + timedelta(seconds=1))
    look_up(services, receipt.code, call(establishment, "CA2"))
    with services.db.transaction() as session:
        assert session.scalar(select(func.count(CodeLookupAttempt.id))) == 1  # the success
