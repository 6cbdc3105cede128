"""Nobody is woken for, or told of, a report that accuses them (issue 14, conflict of
interest). A report that names the lead or the duty governor goes to the independent
reviewer. Real SMTP and a loopback Twilio REST recorder, as in test_restricted_alerts.py."""

from __future__ import annotations

from datetime import UTC, datetime

from safeguarding.clock import FixedClock
from safeguarding.people import CAUSING_HARM, PersonGiven
from safeguarding.services import Services
from storage.models import OnCallContact
from tests.alerts.conftest import CHAIN
from tests.alerts.live import Live, run_until_idle
from tests.alerts.test_restricted_alerts import pages, queue_of
from tests.factories import submit

LEAD, DEPUTY, GOVERNOR = (phone for *_, phone in CHAIN)
REVIEWER = "+447700900009"


def naming(name: str) -> dict[str, object]:
    """An emergency about a member of staff, named as the prisoner knows them."""
    person = PersonGiven(CAUSING_HARM, "staff", "name", name)
    return {"in_danger_now": True, "staff_involved": "yes", "people": (person,)}


def add_reviewer(services: Services, establishment_id: int) -> None:
    with services.db.transaction() as session:
        session.add(
            OnCallContact(
                establishment_id=establishment_id, chain_position=9,
                role="independent_reviewer", display_name="Iris Independent",
                email="reviewer@board.example", phone=REVIEWER,
                created_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
        )  # fmt: skip


def test_the_named_deputy_is_never_paged_about_a_report_accusing_them(
    live: Live, services: Services, clock: FixedClock, establishment_id: int
) -> None:
    worker = live.worker()
    receipt = submit(services, establishment_id, **naming("DEPUTY, Dev"))
    assert queue_of(services, receipt.report_id) == "restricted"
    run_until_idle(worker)
    for _ in range(3):
        clock.advance(services.policy.alerts.acknowledge_step)
        run_until_idle(worker)
    assert DEPUTY not in live.numbers("Calls") + live.numbers("Messages")
    assert "deputy@prison.example" not in [str(m["To"]) for m in live.box.messages]
    assert live.numbers("Calls")[:2] == [LEAD, GOVERNOR]


def test_a_report_naming_the_lead_goes_to_the_independent_reviewer_alone(
    live: Live, services: Services, clock: FixedClock, establishment_id: int
) -> None:
    add_reviewer(services, establishment_id)
    worker = live.worker()
    receipt = submit(services, establishment_id, **naming("Lena Lead"))
    assert queue_of(services, receipt.report_id) == "independent"
    run_until_idle(worker)
    clock.advance(services.policy.alerts.acknowledge_step)
    run_until_idle(worker)
    assert live.numbers("Calls") == [REVIEWER, REVIEWER]
    assert [page["role"] for page in pages(services, receipt.report_id)] == [
        "independent_reviewer", "independent_reviewer",
    ]  # fmt: skip


def test_with_no_reviewer_on_call_someone_not_named_is_still_woken(
    live: Live, services: Services, establishment_id: int
) -> None:
    receipt = submit(services, establishment_id, **naming("Gus Governor"))
    assert queue_of(services, receipt.report_id) == "independent"
    live.run()
    called = live.numbers("Calls")
    assert called and GOVERNOR not in called  # better someone awake than nobody; never Gus
    assert GOVERNOR not in live.numbers("Messages")
