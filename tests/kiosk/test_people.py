"""Who the report is about, at the kiosk (issue 14), after Sent like the wishes.

Given a report just sent, when the person says who is being hurt and who is doing it (and
perhaps a name), then those people are on that report and no other; skipping keeps nothing;
a name that is the lead's moves the report to the independent queue; Leave now half-way
discards the answers; what was typed is never in the database in clear.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from safeguarding.access import INDEPENDENT_QUEUE
from safeguarding.clock import FixedClock
from safeguarding.people import opened_people
from safeguarding.services import Services
from storage.models import AuditEvent, OnCallContact, Report, ReportPerson
from tests.core.test_storage import _raw_database_bytes
from tests.factories import submit
from tests.kiosk.journey import fill_report, send
from tests.kiosk.pages import Kiosk, Page

AT_RISK = "/kiosk/report/people"
AT_RISK_NAME = "/kiosk/report/people/name"
DOING = "/kiosk/report/people/doing"
DOING_NAME = "/kiosk/report/people/doing/name"
THANKS = "/kiosk/report/people/thanks"


def sent_report(kiosk: Kiosk) -> Page:
    fill_report(kiosk)
    return send(kiosk)


def people_rows(services: Services) -> list[ReportPerson]:
    with services.db.transaction() as session:
        return list(session.scalars(select(ReportPerson).order_by(ReportPerson.id)))


def the_sent_report(services: Services) -> Report:
    with services.db.transaction() as session:
        return session.scalars(select(Report).order_by(Report.id.desc())).first()  # type: ignore[return-value]


def opened(services: Services, report_id: int) -> list[tuple[str, str, str | None, str | None]]:
    with services.db.transaction() as session:
        found = opened_people(session, services.secrets, report_id)
        return [(p.role, p.kind, p.identifier_kind, p.identifier) for p in found]


def test_sent_offers_it_and_each_question_has_pictures_and_skip(kiosk: Kiosk) -> None:
    sent = sent_report(kiosk)
    assert sent.link("Tell us who it is about") == AT_RISK
    page = kiosk.get(AT_RISK)
    assert page.h1 == "Who is being hurt?"
    values = [b.attrs["value"] for b in page.all("button", name="answer")]
    assert values == ["me", "someone_else", "not_known", "not_saying"]
    assert len(page.by_class("kiosk-choice__picture")) == 4
    assert page.all("button", name="skip")


def test_the_people_are_saved_on_the_report_sent_and_no_other(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    other = submit(services, establishment_id)  # another report at the same prison
    sent_report(kiosk)
    report = the_sent_report(services)
    assert kiosk.post(AT_RISK, {"answer": "someone_else"}).location == AT_RISK_NAME
    kiosk.get(AT_RISK_NAME)
    typed: dict[str, object] = {"kind": "prison_number", "identifier": "a1234bc"}
    assert kiosk.post(AT_RISK_NAME, typed).location == DOING
    assert people_rows(services) == []  # nothing saved until the last screen
    kiosk.get(DOING)
    assert kiosk.post(DOING, {"answer": "staff"}).location == DOING_NAME
    name_page = kiosk.get(DOING_NAME)
    assert [i.attrs["value"] for i in name_page.all("input", name="kind")] == ["name"]
    done = kiosk.post(DOING_NAME, {"kind": "name", "identifier": "Officer Jon Smith"})
    assert kiosk.follow(done).h1 == "Thank you for telling us."
    assert opened(services, report.id) == [
        ("at_risk", "prisoner", "prison_number", "a1234bc"),
        ("causing_harm", "staff", "name", "Officer Jon Smith"),
    ]
    assert opened(services, other.report_id) == []
    rows = people_rows(services)
    assert {r.added_by for r in rows} == {"reporter:kiosk"} and {r.source for r in rows} == {
        "reporter"
    }
    assert all(r.blind_index for r in rows)
    with services.db.transaction() as session:
        assert "report.people_added" in session.scalars(select(AuditEvent.action)).all()
    # A double tap or Back does not add them twice.
    assert kiosk.client.get(AT_RISK).location == THANKS
    assert len(people_rows(services)) == 2


def test_kinds_without_a_name_skip_the_name_screen(kiosk: Kiosk, services: Services) -> None:
    sent_report(kiosk)
    report = the_sent_report(services)
    assert kiosk.post(AT_RISK, {"answer": "me"}).location == DOING
    kiosk.get(DOING)
    assert kiosk.post(DOING, {"answer": "not_saying"}).location == THANKS
    assert opened(services, report.id) == [
        ("at_risk", "self", None, None),
        ("causing_harm", "not_saying", None, None),
    ]


def test_skipping_everything_saves_nothing(kiosk: Kiosk, services: Services) -> None:
    sent_report(kiosk)
    kiosk.get(AT_RISK)
    assert kiosk.post(AT_RISK, {"answer": "me", "skip": "1"}).location == DOING
    kiosk.get(DOING)
    assert kiosk.post(DOING, {"skip": "1"}).location == THANKS
    assert people_rows(services) == []


def test_skipping_the_name_keeps_the_kind(kiosk: Kiosk, services: Services) -> None:
    sent_report(kiosk)
    kiosk.get(AT_RISK)
    kiosk.post(AT_RISK, {"skip": "1"})
    kiosk.get(DOING)
    kiosk.post(DOING, {"answer": "prisoner"})
    kiosk.get(DOING_NAME)
    kiosk.post(DOING_NAME, {"kind": "name", "identifier": "Jon Smith", "skip": "1"})
    report = the_sent_report(services)
    assert opened(services, report.id) == [("causing_harm", "prisoner", None, None)]


def test_a_wrong_prison_number_is_refused_translated_and_nothing_saved(
    kiosk: Kiosk, services: Services
) -> None:
    fill_report(kiosk, language="cy")
    send(kiosk)
    kiosk.get(AT_RISK)
    kiosk.post(AT_RISK, {"answer": "not_known"})
    kiosk.get(DOING)
    kiosk.post(DOING, {"answer": "prisoner"})
    kiosk.get(DOING_NAME)
    kiosk.post(DOING_NAME, {"kind": "prison_number", "identifier": "12345"}, status=400)
    assert kiosk.page is not None
    (shown,) = kiosk.page.error_summary().values()
    assert shown == "Mae rhif carchar yn edrych fel A1234BC."
    assert people_rows(services) == []


def test_naming_the_lead_moves_the_report_to_the_independent_queue(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    with services.db.transaction() as session:
        session.add(
            OnCallContact(
                establishment_id=establishment_id,
                chain_position=1,
                role="lead",
                display_name="Lena Lead",
                email="lena@example.org",
                phone=None,
                created_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
        )
    sent_report(kiosk)
    assert the_sent_report(services).queue != INDEPENDENT_QUEUE
    kiosk.get(AT_RISK)
    kiosk.post(AT_RISK, {"skip": "1"})
    kiosk.get(DOING)
    kiosk.post(DOING, {"answer": "staff"})
    kiosk.get(DOING_NAME)
    kiosk.post(DOING_NAME, {"kind": "name", "identifier": "LEAD,  lena"})
    assert the_sent_report(services).queue == INDEPENDENT_QUEUE


def test_a_forged_form_or_a_made_up_answer_changes_nothing(
    kiosk: Kiosk, services: Services
) -> None:
    sent_report(kiosk)
    kiosk.get(AT_RISK)
    forged = kiosk.client.post(AT_RISK, data={"csrf_token": "forged", "answer": "me"})
    assert forged.status_code == 400
    kiosk.post(AT_RISK, {"answer": "the_governor"}, status=400)
    assert kiosk.client.get(DOING).location == AT_RISK  # the first question is not answered
    assert people_rows(services) == []


def test_leave_now_half_way_discards_the_answers_and_keeps_the_report(
    kiosk: Kiosk, services: Services
) -> None:
    sent_report(kiosk)
    kiosk.get(AT_RISK)
    kiosk.post(AT_RISK, {"answer": "someone_else"})
    kiosk.get(AT_RISK_NAME)
    kiosk.post(AT_RISK_NAME, {"kind": "name", "identifier": "Jon Smith"})
    page = kiosk.get(DOING)
    assert kiosk.client.post("/kiosk/exit", data={"csrf_token": page.csrf}).status_code < 400
    assert kiosk.client.get(DOING).location == "/kiosk/"
    assert people_rows(services) == []
    assert the_sent_report(services).id is not None


def test_the_idle_wipe_half_way_discards_the_answers(
    kiosk: Kiosk, services: Services, clock: FixedClock
) -> None:
    sent_report(kiosk)
    kiosk.get(AT_RISK)
    kiosk.post(AT_RISK, {"answer": "me"})
    page = kiosk.get(DOING)
    clock.advance(timedelta(minutes=10))
    late = kiosk.client.post(DOING, data={"csrf_token": page.csrf, "answer": "staff"})
    assert late.status_code in (303, 400) and late.location in (None, "/kiosk/")
    assert people_rows(services) == []


def test_what_was_typed_is_never_in_the_database_in_clear(
    kiosk: Kiosk, services: Services, database_kind: str, database_url: str
) -> None:
    sent_report(kiosk)
    kiosk.get(AT_RISK)
    kiosk.post(AT_RISK, {"answer": "someone_else"})
    kiosk.get(AT_RISK_NAME)
    kiosk.post(AT_RISK_NAME, {"kind": "name", "identifier": "Zebedee Quartermaine"})
    kiosk.get(DOING)
    kiosk.post(DOING, {"answer": "prisoner"})
    kiosk.get(DOING_NAME)
    kiosk.post(DOING_NAME, {"kind": "prison_number", "identifier": "Q9876ZX"})
    assert len(people_rows(services)) == 2
    services.db.dispose()
    raw = _raw_database_bytes(database_kind, database_url)
    assert len(raw) > 10_000 and b"report_person" in raw  # we read the stored data
    for plain in (b"Zebedee", b"zebedee", b"Quartermaine", b"quartermaine", b"Q9876ZX"):
        assert plain not in raw, plain
