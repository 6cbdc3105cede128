"""What the kiosk and the phone line read and write through safeguarding/ instead of storage/
(issue 16.2): the same answers they had when they read the rows themselves, and nothing
for an address or an id that names no row."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from safeguarding.alerts import escalation_of_alert_call
from safeguarding.errors import InvalidSubmission
from safeguarding.followup import add_reporter_information, followup_report, reporter_view_of
from safeguarding.place_facts import read_place
from safeguarding.services import Services
from storage.models import TimelineEvent
from tests.factories import new_establishment, submit


def test_a_kiosk_reads_its_establishment_as_plain_values(services: Services) -> None:
    establishment_id = new_establishment(services, name="HMP Place", languages="cy,en")
    with services.db.reading() as session:
        facts = read_place(session, establishment_id)
    assert facts is not None
    assert (facts.establishment_id, facts.name) == (establishment_id, "HMP Place")
    assert facts.language_codes == ("cy", "en")  # the establishment's order, kept
    assert [name for _id, name in facts.locations] == ["A Wing", "B Wing", "Healthcare"]
    # The line as a frightened person is told it, not as stored (+441632…).
    assert facts.phone_number is not None and facts.phone_number.startswith("01632")


def test_no_place_for_an_establishment_that_is_not_there(services: Services) -> None:
    with services.db.reading() as session:
        assert read_place(session, 2**31 - 1) is None


def test_a_stale_followup_id_opens_nothing(services: Services) -> None:
    """A kiosk session or a call holding the id of a report that is gone (deleted by
    retention) sees no status, rather than a server error."""
    with services.db.reading() as session:
        assert followup_report(session, None) is None
        assert reporter_view_of(session, None) is None
        assert reporter_view_of(session, 2**31 - 1) is None


def test_information_for_a_report_that_is_not_there_is_refused_and_leaves_nothing(
    services: Services,
) -> None:
    establishment_id = new_establishment(services)
    submit(services, establishment_id)
    with services.db.transaction() as session:
        before = session.scalar(select(func.count()).select_from(TimelineEvent))
        with pytest.raises(LookupError):
            add_reporter_information(
                session, report_id=2**31 - 1, text="It happened again.", channel="kiosk",
                vault=services.secrets.vault, policy=services.policy, clock=services.clock,
            )  # fmt: skip
        # Empty words are refused as before, whatever the id.
        with pytest.raises(InvalidSubmission):
            add_reporter_information(
                session, report_id=2**31 - 1, text="  ", channel="kiosk",
                vault=services.secrets.vault, policy=services.policy, clock=services.clock,
            )  # fmt: skip
        assert session.scalar(select(func.count()).select_from(TimelineEvent)) == before


def test_a_reporter_adds_information_by_the_reports_id(services: Services) -> None:
    establishment_id = new_establishment(services)
    receipt = submit(services, establishment_id)
    with services.db.transaction() as session:
        before = session.scalar(select(func.count()).select_from(TimelineEvent))
        add_reporter_information(
            session, report_id=receipt.report_id, text="It happened again.", channel="kiosk",
            vault=services.secrets.vault, policy=services.policy, clock=services.clock,
        )  # fmt: skip
        after = session.scalar(select(func.count()).select_from(TimelineEvent))
    assert after is not None and before is not None and after > before


@pytest.mark.parametrize(
    ("address", "expected"),
    [(" 7 ", 7), ("²", None), ("0", None), ("-3", None), ("1e3", None), ("9" * 5000, None)],
)
def test_an_alert_calls_escalation_is_parsed_as_a_row_id(
    address: str, expected: int | None
) -> None:
    """An outsider forging the acknowledgement address gets no row and no server error."""
    assert escalation_of_alert_call(address) == expected
