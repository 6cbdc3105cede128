from __future__ import annotations

from datetime import timedelta

import pytest

from safeguarding.clock import FixedClock
from safeguarding.codes import derive_code
from safeguarding.errors import CodeLookupRefused, CodeMalformed
from safeguarding.lookup import find_report_by_code
from safeguarding.services import Services
from tests.factories import new_establishment, submit


def look_up(services: Services, entered: str, scope: str = "kiosk-session-1") -> int | None:
    with services.db.transaction() as session:
        report = find_report_by_code(
            session,
            entered=entered,
            scope=scope,
            pepper=services.secrets.code_pepper,
            limits=services.policy.lookup,
            clock=services.clock,
        )
        return report.id if report else None


def wrong_code(n: int) -> str:
    return derive_code(b"not the server pepper", f"wrong-{n}", 0)


def test_a_code_finds_its_report_typed_with_spaces(services: Services) -> None:
    receipt = submit(services, new_establishment(services))
    spaced = " ".join(receipt.code[i : i + 4] for i in (0, 4, 8))
    assert look_up(services, spaced) == receipt.report_id


def test_a_typing_mistake_is_not_counted_as_a_guess(services: Services) -> None:
    receipt = submit(services, new_establishment(services))
    typo = receipt.code[:-1] + str((int(receipt.code[-1]) + 1) % 10)
    for _ in range(20):
        with pytest.raises(CodeMalformed):
            look_up(services, typo)
    assert look_up(services, receipt.code) == receipt.report_id


def test_five_wrong_codes_lock_that_session_out_for_a_while(
    services: Services, clock: FixedClock
) -> None:
    receipt = submit(services, new_establishment(services))
    for n in range(5):
        assert look_up(services, wrong_code(n)) is None
    with pytest.raises(CodeLookupRefused):
        look_up(services, receipt.code)  # even the right code, so guessing learns nothing
    assert look_up(services, receipt.code, scope="another-session") == receipt.report_id
    clock.advance(timedelta(minutes=16))
    assert look_up(services, receipt.code) == receipt.report_id


def test_many_wrong_codes_from_everywhere_stop_all_lookups(services: Services) -> None:
    receipt = submit(services, new_establishment(services))
    limit = services.policy.lookup.failures_everywhere
    for n in range(limit):
        assert look_up(services, wrong_code(n), scope=f"call-{n}") is None
    with pytest.raises(CodeLookupRefused):
        look_up(services, receipt.code, scope="a-new-call")
