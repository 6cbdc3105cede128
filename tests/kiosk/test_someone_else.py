"""Someone else in danger: a witness at the kiosk makes an immediate report (issue 13.1)."""

from __future__ import annotations

from sqlalchemy import select

from safeguarding.services import Services
from storage.models import KioskDevice, Location, OutboxMessage, Report
from tests.kiosk.journey import ANSWERS, fill_report, send
from tests.kiosk.pages import Kiosk

CELLMATE = {
    **ANSWERS,
    "danger": {"answer": "someone_else"},
    "what": {"answer": ["worried_someone_else", "hurting_me"]},
    "who": {"answer": "someone_else"},
    "when": {"answer": "today"},
    "more": {"details": ""},
}


def only_report(services: Services) -> Report:
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
        _ = report.answers
        return report


def test_the_first_question_asks_whether_anyone_is_in_danger(kiosk: Kiosk) -> None:
    fill_report(kiosk)  # a whole journey, so the screens exist
    page = kiosk.get("/kiosk/report/danger")
    assert page.h1 == "Is anyone in danger right now?"
    choices = page.all("button", name="answer")
    assert [c.attrs["value"] for c in choices] == ["yes", "someone_else", "no"]
    assert "Yes. Someone else is in danger now." in page.text


def test_a_cellmate_reporting_an_assault_in_progress_files_an_immediate_report(
    kiosk: Kiosk, services: Services
) -> None:
    fill_report(kiosk, CELLMATE)
    sent = send(kiosk)
    report = only_report(services)
    assert report.priority == "immediate"
    assert report.someone_else_in_danger_now and not report.in_danger_now
    assert report.about_someone_else
    assert {a.answer for a in report.answers if a.question == "concern"} == {
        "worried_someone_else",
        "hurting_me",
    }
    assert report.acknowledge_due_at is not None
    with services.db.transaction() as session:
        assert session.scalars(select(OutboxMessage.kind)).all() == ["alert.new_report"]
    # The Sent screen says what to do right now, as for the person in danger themselves.
    assert "Tell any officer straight away." in sent.text


def test_nobody_in_danger_stays_standard(kiosk: Kiosk, services: Services) -> None:
    fill_report(kiosk, {**CELLMATE, "danger": {"answer": "no"}, "what": {"answer": ["bullied"]}})
    send(kiosk)
    report = only_report(services)
    assert report.priority == "standard"
    assert not report.someone_else_in_danger_now and not report.in_danger_now


def test_an_unknown_danger_answer_is_refused(kiosk: Kiosk) -> None:
    fill_report(kiosk)
    response = kiosk.client.post(
        "/kiosk/report/danger",
        data={"answer": "them", "csrf_token": kiosk.get("/kiosk/report/danger").csrf},
    )
    assert response.status_code == 400


def test_a_kiosk_report_carries_the_kiosk_place(kiosk: Kiosk, services: Services) -> None:
    with services.db.transaction() as session:
        device = session.scalars(select(KioskDevice)).one()
        wing = session.scalars(
            select(Location).where(Location.establishment_id == device.establishment_id)
        ).first()
        assert wing is not None
        device.location_id = wing.id
        wing_id = wing.id
    fill_report(kiosk, CELLMATE)
    send(kiosk)
    assert only_report(services).sent_from_location_id == wing_id
