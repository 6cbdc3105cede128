""" "Send now": once someone is in danger, every question offers to send at once.

Someone in danger should not have to answer nine more questions before help is called.
The top bar of every question after a danger answer has "Send now"; it sends what has
been said so far (and an answer chosen on that screen), shows the code only after commit,
and the rest can follow with the code. Nobody else gets the shortcut.
"""

from __future__ import annotations

from sqlalchemy import select

from safeguarding.services import Services
from storage.models import OutboxMessage, Report
from storage.sealed_fields import REPORT_DETAILS, REPORTER_IDENTITY
from tests.kiosk.journey import answer, start_report
from tests.kiosk.pages import Kiosk, code_on
from tests.kiosk.test_followup import open_with_code
from tests.kiosk.test_someone_else import only_report
from tests.support.pages import Page

SEND_NOW: dict[str, object] = {"send_now": "1"}


def report_count(services: Services) -> int:
    with services.db.transaction() as session:
        return len(session.scalars(select(Report.id)).all())


def send_now_buttons(page: Page) -> list[str]:
    """The top bar's "Send now": which form it belongs to, for each one on the page."""
    return [b.attrs.get("form", "") for b in page.by_class("kiosk-send-now")]


def in_danger(kiosk: Kiosk, who: str = "yes") -> None:
    start_report(kiosk)
    assert answer(kiosk, "danger", {"answer": who}) == "/kiosk/report/what"


def test_a_prisoner_in_danger_sends_from_the_next_screen_and_gets_a_code(
    kiosk: Kiosk, services: Services
) -> None:
    in_danger(kiosk)
    page = kiosk.get("/kiosk/report/what")
    # The button belongs to the question's own form, so it posts whatever is chosen there.
    assert send_now_buttons(page) == ["kiosk-question"]
    assert page.all("form", id="kiosk-question")
    response = kiosk.post("/kiosk/report/what", SEND_NOW)
    assert response.location == "/kiosk/report/sent"
    sent = kiosk.follow(response)
    assert len(code_on(sent)) == 12
    assert "Tell any officer straight away." in sent.text
    report = only_report(services)
    assert report.priority == "immediate" and report.in_danger_now
    assert report.channel == "kiosk"
    with services.db.transaction() as session:
        assert session.scalars(select(OutboxMessage.kind)).all() == ["alert.new_report"]


def test_what_is_ticked_on_the_screen_goes_with_send_now(kiosk: Kiosk, services: Services) -> None:
    in_danger(kiosk, "someone_else")
    kiosk.get("/kiosk/report/what")
    response = kiosk.post("/kiosk/report/what", {"answer": ["hurting_me"], **SEND_NOW})
    assert response.location == "/kiosk/report/sent"
    report = only_report(services)
    assert report.someone_else_in_danger_now and report.priority == "immediate"
    assert [a.answer for a in report.answers if a.question == "concern"] == ["hurting_me"]


def test_later_answers_go_too_and_typed_words_are_sealed_with_them(
    kiosk: Kiosk, services: Services
) -> None:
    in_danger(kiosk)
    for question, data in (
        ("what", {"answer": ["threatening_me"]}),
        ("hurt", {"answer": "yes"}),
        ("who", {"answer": "me"}),
        ("staff", {"answer": "no"}),
        ("where", {"answer": "elsewhere"}),
        ("when", {"answer": "today"}),
    ):
        answer(kiosk, question, data)
    kiosk.get("/kiosk/report/more")
    response = kiosk.post("/kiosk/report/more", {"details": "He has a blade.", **SEND_NOW})
    assert response.location == "/kiosk/report/sent"
    report = only_report(services)
    assert report.injured and report.staff_involved == "no"
    assert REPORT_DETAILS.open_text(services.secrets.vault, report) == "He has a blade."


def test_a_wrong_answer_on_the_screen_is_shown_not_sent(kiosk: Kiosk, services: Services) -> None:
    in_danger(kiosk)
    kiosk.get("/kiosk/report/what")
    kiosk.post("/kiosk/report/what", {"answer": ["not_a_concern"], **SEND_NOW}, status=400)
    assert kiosk.page is not None and kiosk.page.errors
    assert report_count(services) == 0
    # The danger answer already given is still there: Send now works once the error is gone.
    response = kiosk.post("/kiosk/report/what", SEND_NOW)
    assert response.location == "/kiosk/report/sent"
    assert only_report(services).in_danger_now


def test_nobody_in_danger_sees_no_send_now_and_cannot_forge_it(
    kiosk: Kiosk, services: Services
) -> None:
    in_danger(kiosk, "no")
    assert send_now_buttons(kiosk.get("/kiosk/report/what")) == []
    response = kiosk.post("/kiosk/report/what", {"answer": ["bullied"], **SEND_NOW})
    assert response.location == "/kiosk/report/hurt"  # an ordinary answer, nothing sent
    kiosk.get("/kiosk/report/hurt")
    response = kiosk.post("/kiosk/report/send", {})
    assert response.location == "/kiosk/report/hurt"  # an incomplete draft is refused
    assert report_count(services) == 0


def test_thinking_of_self_harm_also_offers_send_now(kiosk: Kiosk, services: Services) -> None:
    in_danger(kiosk, "no")
    answer(kiosk, "what", {"answer": ["hurting_myself"]})
    assert send_now_buttons(kiosk.get("/kiosk/report/hurt")) == ["kiosk-question"]
    response = kiosk.post("/kiosk/report/hurt", SEND_NOW)
    assert response.location == "/kiosk/report/sent"
    assert [a.answer for a in only_report(services).answers if a.question == "concern"] == [
        "hurting_myself"
    ]


def test_the_name_screen_sends_the_name_given_with_send_now(
    kiosk: Kiosk, services: Services
) -> None:
    in_danger(kiosk)
    for question, data in (
        ("what", {"answer": ["threatening_me"]}),
        ("hurt", {"answer": "no"}),
        ("who", {"answer": "me"}),
        ("staff", {"answer": "no"}),
        ("where", {"answer": "elsewhere"}),
        ("when", {"answer": "today"}),
        ("more", {"details": ""}),
        ("contact", {"answer": "contact_me"}),
    ):
        answer(kiosk, question, data)
    assert send_now_buttons(kiosk.get("/kiosk/report/identity")) == ["kiosk-question"]
    response = kiosk.post("/kiosk/report/identity", {"name": "Sam Jones", **SEND_NOW})
    assert response.location == "/kiosk/report/sent"
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
        assert REPORTER_IDENTITY.open_text(services.secrets.vault, report) == "name: Sam Jones"


def test_a_double_tap_on_send_now_sends_once(kiosk: Kiosk, services: Services) -> None:
    in_danger(kiosk)
    kiosk.get("/kiosk/report/what")
    first = kiosk.post("/kiosk/report/what", SEND_NOW)
    second = kiosk.client.post(
        "/kiosk/report/what", data={"csrf_token": kiosk.get("/kiosk/report/sent").csrf, **SEND_NOW}
    )
    assert first.location == second.location == "/kiosk/report/sent"
    assert report_count(services) == 1


def test_after_send_now_the_screen_gives_a_code_that_adds_more(
    kiosk: Kiosk, services: Services
) -> None:
    in_danger(kiosk)
    kiosk.get("/kiosk/report/what")
    sent = kiosk.follow(kiosk.post("/kiosk/report/what", SEND_NOW))
    code = code_on(sent)
    kiosk.post("/kiosk/finish", {})
    status = open_with_code(kiosk, code)
    assert status.h1 == "Your report"
    assert only_report(services).in_danger_now
