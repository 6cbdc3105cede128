"""Retaliation check-ins (issue 15.5): someone who reported a person is checked on at 30, 60
and 90 days, closed case or not; what staff find is recorded, and "not safe" puts the case
back in front of the team. As the lead, a deputy, and the person who reported would meet it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.checkin_answers import answer_safe_now_by_id
from safeguarding.checkins import OUTCOME_LABELS
from safeguarding.clock import FixedClock
from safeguarding.errors import InvalidSubmission
from safeguarding.people import CAUSING_HARM, PersonGiven, add_person
from safeguarding.people_changes import after_people_changed
from safeguarding.policy import PolicyError, load_policy
from safeguarding.services import Services
from storage.models import Report, RetaliationCheckIn, TimelineEvent
from tests.core.test_storage import _raw_database_bytes
from tests.factories import submit
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import StaffLogin, page_at, queue_rows, signed_in_client
from tests.triage.test_case import act, case_page, timeline

NOT_SAFE = "Two men on his landing called him a grass at meals (marker-checkin-4K)."


def checkins(services: Services, report_id: int) -> list[RetaliationCheckIn]:
    with services.db.transaction() as session:
        return list(
            session.scalars(
                select(RetaliationCheckIn)
                .where(RetaliationCheckIn.report_id == report_id)
                .order_by(RetaliationCheckIn.number)
            )
        )


def weeks_later(client: FlaskClient, days: int, app: Flask, services: Services,
                lead: StaffLogin, clock: FixedClock) -> FlaskClient:  # fmt: skip
    """``days`` later, signed in afresh (a staff session does not last a month)."""
    clock.advance(timedelta(days=days, minutes=1))
    return signed_in_client(app, services, lead, clock)


def a_report(services: Services, establishment: int, concerns: list[str], **extra: object) -> int:
    return submit(services, establishment, concerns=concerns, **extra).report_id


@pytest.mark.parametrize(
    ("concerns", "extra", "expected"),
    [
        (["hurting_me"], {}, [30, 60, 90]),  # someone hurt them: the one they named may strike back
        (["staff_bad"], {}, [30, 60, 90]),
        (["bullied"], {"staff_involved": "yes"}, [30, 60, 90]),
        (["hurting_myself"], {}, []),  # nobody else is alleged to have done it
        (["cannot_cope"], {}, []),
    ],
)
def test_reports_that_accuse_someone_get_check_ins_from_when_they_arrived(
    services: Services, establishment: int, concerns: list[str], extra: dict[str, object],
    expected: list[int],
) -> None:  # fmt: skip
    report_id = a_report(services, establishment, concerns, **extra)
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        arrived = report.created_at
    assert [(c.due_at - arrived).days for c in checkins(services, report_id)] == expected


def test_a_check_in_falls_due_in_the_queue_and_the_handover_even_once_closed(
    app: Flask, lead_client: FlaskClient, lead: StaffLogin, services: Services,
    establishment: int, clock: FixedClock,
) -> None:  # fmt: skip
    report_id = a_report(services, establishment, ["hurting_me"])
    page = case_page(lead_client, report_id)
    assert [row["State"] for row in page.table("checkins-table")] == ["Not yet"] * 3
    assert not page_at(lead_client, "/triage/queue").has_id("handover-checkins")
    close = {"close_outcome": "resolved_internally", "risk_outcome": "reduced"}
    assert act(lead_client, report_id, "close", **close)[0] == 302
    lead_client = weeks_later(lead_client, 30, app, services, lead, clock)
    queue = page_at(lead_client, "/triage/queue")
    assert queue.region("handover-checkins") == f"Report {report_id}, check-in 1"
    page = case_page(lead_client, report_id)
    assert [row["State"] for row in page.table("checkins-table")] == [
        "Due now",
        "Not yet",
        "Not yet",
    ]
    # Recorded on the closed case: safe needs no note, and the case stays closed.
    [first, *_rest] = checkins(services, report_id)
    code, _ = act(lead_client, report_id, "checkin", checkin=str(first.id), checkin_outcome="safe")
    assert code == 302
    assert not page_at(lead_client, "/triage/queue").has_id("handover-checkins")
    with services.db.transaction() as session:
        assert session.get(Report, report_id).status == "closed"  # type: ignore[union-attr]
    assert "Check-in 1: Safe" in " ".join(timeline(case_page(lead_client, report_id)))


def test_not_safe_needs_what_they_said_and_puts_the_case_back_in_front_of_the_team(
    app: Flask, lead_client: FlaskClient, lead: StaffLogin, services: Services,
    establishment: int, clock: FixedClock,
) -> None:  # fmt: skip
    report_id = a_report(services, establishment, ["bullied"], staff_involved="yes")
    assert act(lead_client, report_id, "close", close_outcome="resolved_internally")[0] == 302
    lead_client = weeks_later(lead_client, 31, app, services, lead, clock)
    [first, *_rest] = checkins(services, report_id)
    code, page = act(
        lead_client, report_id, "checkin", checkin=str(first.id), checkin_outcome="not_safe"
    )
    assert code == 400 and "checkin_note" in page.problems()
    code, page = act(lead_client, report_id, "checkin", checkin=str(first.id))
    assert code == 400 and page.problems() == {"checkin_outcome": "Choose what you found."}
    assert checkins(services, report_id)[0].outcome is None
    code, _ = act(
        lead_client, report_id, "checkin", checkin=str(first.id), checkin_outcome="not_safe",
        checkin_note=NOT_SAFE,
    )  # fmt: skip
    assert code == 302
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        assert (report.status, report.priority) == ("investigating", "high")
    entries = timeline(case_page(lead_client, report_id))
    assert any("Check-in 1: Not safe" in e and NOT_SAFE in e for e in entries)
    # Once recorded, it stays as recorded.
    code, page = act(
        lead_client, report_id, "checkin", checkin=str(first.id), checkin_outcome="safe"
    )
    assert code == 400 and "already recorded" in " ".join(page.problems().values())


def test_a_deputy_never_hears_of_check_ins_on_reports_about_staff(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock, establishment: int
) -> None:
    restricted = a_report(services, establishment, ["staff_bad"])
    general = a_report(services, establishment, ["hurting_me"])
    clock.advance(timedelta(days=30, minutes=1))
    deputy = signed_in_client(app, services, staff("deputy"), clock)
    lead = signed_in_client(app, services, staff("lead"), clock)
    assert page_at(deputy, "/triage/queue").region("handover-checkins") == (
        f"Report {general}, check-in 1"
    )
    assert f"Report {restricted}, check-in 1" in page_at(lead, "/triage/queue").region(
        "handover-checkins"
    )
    [row] = [r for r in queue_rows(deputy) if r["Report"].startswith(f"Report {general}")]
    assert "Check-in due" in row["Due"]
    first = checkins(services, restricted)[0]
    assert act(deputy, restricted, "checkin", checkin=str(first.id), checkin_outcome="safe")[0] in (
        403,
        404,
    )
    assert checkins(services, restricted)[0].outcome is None


def test_what_they_said_is_sealed(
    app: Flask, lead_client: FlaskClient, lead: StaffLogin, services: Services,
    establishment: int, clock: FixedClock, database_kind: str, database_url: str,
) -> None:  # fmt: skip
    report_id = a_report(services, establishment, ["hurting_me"])
    lead_client = weeks_later(lead_client, 31, app, services, lead, clock)
    first = checkins(services, report_id)[0]
    act(
        lead_client, report_id, "checkin", checkin=str(first.id), checkin_outcome="not_seen",
        checkin_note=NOT_SAFE,
    )  # fmt: skip
    with services.db.transaction() as session:
        kinds = session.scalars(
            select(TimelineEvent.kind).where(TimelineEvent.report_id == report_id)
        ).all()
    assert "checkin_recorded" in kinds
    services.db.dispose()
    raw = _raw_database_bytes(database_kind, database_url)
    assert len(raw) > 10_000 and b"checkin_recorded" in raw
    assert b"marker-checkin-4K" not in raw


def test_every_outcome_has_its_words_and_the_policy_is_checked(tmp_path: Path) -> None:
    assert set(OUTCOME_LABELS) == {"safe", "not_safe", "not_seen"}
    policy_file = tmp_path / "policy.toml"
    policy_file.write_text('[retaliation_checkins]\nafter = ["60d", "30d"]\n')
    with pytest.raises(PolicyError, match="soonest to latest"):
        load_policy(policy_file)
    policy_file.write_text('[retaliation_checkins]\nwhen_flags = ["grumpy"]\n')
    with pytest.raises(PolicyError, match="when_flags"):
        load_policy(policy_file)
    policy_file.write_text("[retaliation_checkins]\nafter = []\n")
    policy = load_policy(policy_file)
    assert policy.checkins is not None and policy.checkins.after == ()


def test_a_report_that_says_who_did_it_is_checked_on_whatever_its_kind(
    services: Services, establishment: int
) -> None:
    """Issue 14: naming someone is what is punished. "Not getting care" alone is not a kind
    of report that alleges someone did it; with a prisoner named as causing it, it is."""
    someone = PersonGiven(CAUSING_HARM, "prisoner", "name", "Zebedee Quillfeather")
    named = a_report(services, establishment, ["no_care"], people=(someone,))
    not_named = a_report(services, establishment, ["no_care"])
    not_saying = a_report(
        services, establishment, ["no_care"], people=(PersonGiven(CAUSING_HARM, "not_saying"),)
    )
    assert [c.number for c in checkins(services, named)] == [1, 2, 3]
    assert checkins(services, not_named) == checkins(services, not_saying) == []


def test_a_person_named_after_sent_starts_the_check_ins(
    services: Services, establishment: int, clock: FixedClock
) -> None:
    report_id = a_report(services, establishment, ["no_care"])
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        add_person(
            session, services.secrets, report_id=report_id, establishment_id=establishment,
            person=PersonGiven(CAUSING_HARM, "staff"), source="reporter", actor="reporter:kiosk",
            at=clock.now(),
        )  # fmt: skip
        after_people_changed(
            session, report, policy=services.policy, actor="reporter:kiosk", clock=clock
        )
    assert [c.number for c in checkins(services, report_id)] == [1, 2, 3]


def reporter_answers(services: Services, report_id: int, answer: str, channel: str) -> bool:
    """What a door does when the person answers "Are you safe now?" (issue 15.5)."""
    with services.db.transaction() as session:
        return answer_safe_now_by_id(
            session, report_id=report_id, answer=answer, channel=channel,
            policy=services.policy, clock=services.clock,
        )  # fmt: skip


def test_the_reporters_own_answer_marks_the_check_in_on_the_case_page_and_timeline(
    app: Flask, lead_client: FlaskClient, lead: StaffLogin, services: Services,
    establishment: int, clock: FixedClock,
) -> None:  # fmt: skip
    """The lead sees which check-in the person answered at the kiosk or on the phone; "I do
    not want to say" leaves the check-in due, so someone still goes to see them."""
    said_yes = a_report(services, establishment, ["hurting_me"])
    would_not_say = a_report(services, establishment, ["hurting_me"])
    lead_client = weeks_later(lead_client, 31, app, services, lead, clock)
    assert reporter_answers(services, said_yes, "yes", "kiosk")
    assert not reporter_answers(services, said_yes, "yes", "kiosk")  # answered: nothing waits
    assert reporter_answers(services, would_not_say, "not_saying", "phone")
    rows = case_page(lead_client, said_yes).table("checkins-table")
    assert rows[0]["State"].startswith("Safe (")
    assert "They answered: Yes" in rows[0]["State"]
    assert "Check-in 1: Safe" in " ".join(timeline(case_page(lead_client, said_yes)))
    page = case_page(lead_client, would_not_say)
    first = page.table("checkins-table")[0]["State"]
    assert first.startswith("Due now") and "They answered: I do not want to say" in first
    assert "Check-in 1: They did not want to say" in " ".join(timeline(page))
    queue = page_at(lead_client, "/triage/queue")
    assert queue.region("handover-checkins") == f"Report {would_not_say}, check-in 1"
    with services.db.transaction() as session:
        report = session.get(Report, said_yes)
        assert report is not None and report.priority != "immediate"


def test_an_answer_that_is_not_a_choice_is_refused_by_the_rule_itself(
    services: Services, establishment: int, clock: FixedClock
) -> None:
    report_id = a_report(services, establishment, ["hurting_me"])
    clock.advance(timedelta(days=31))
    with pytest.raises(InvalidSubmission):
        reporter_answers(services, report_id, "safe", "kiosk")  # a staff word, not theirs
    assert [c.reporter_answer for c in checkins(services, report_id)] == [None] * 3


def test_a_no_after_their_own_answer_replaces_it_but_keeps_what_staff_recorded(
    app: Flask, lead_client: FlaskClient, lead: StaffLogin, services: Services,
    establishment: int, clock: FixedClock,
) -> None:  # fmt: skip
    """The person said "I do not want to say", an officer then saw them and recorded Safe,
    and the person (still on the same screen) says No: they are paged for; the officer's
    own record stays as it was, and the timeline shows all three."""
    report_id = a_report(services, establishment, ["hurting_me"])
    lead_client = weeks_later(lead_client, 31, app, services, lead, clock)
    assert reporter_answers(services, report_id, "not_saying", "kiosk")
    first = checkins(services, report_id)[0]
    code, _ = act(lead_client, report_id, "checkin", checkin=str(first.id), checkin_outcome="safe")
    assert code == 302
    assert reporter_answers(services, report_id, "no", "kiosk")
    first = checkins(services, report_id)[0]
    assert (first.reporter_answer, first.outcome) == ("no", "safe")
    assert first.recorded_by is not None and not first.recorded_by.startswith("reporter:")
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None and (report.priority, report.in_danger_now) == ("immediate", True)
    assert not reporter_answers(services, report_id, "no", "phone")  # said already: once
    words = " ".join(timeline(case_page(lead_client, report_id)))
    assert "Check-in 1: They did not want to say" in words
    assert "The reporter is in danger now" in words
