"""Coming back with a code: the number pad, the report's status, adding information."""

from __future__ import annotations

from sqlalchemy import select

from safeguarding.codes import damm_check_digit
from safeguarding.followup import ADDED_INFORMATION_KIND
from safeguarding.services import Services
from storage.models import TimelineEvent
from storage.sealed_fields import TIMELINE_BODY
from tests.factories import send_standard_message, submit
from tests.kiosk.journey import start_report
from tests.kiosk.pages import Kiosk, Page


def type_on_pad(kiosk: Kiosk, digits: str) -> Page:
    """Press each key of the on-screen pad, as a person without JavaScript would."""
    page = kiosk.get("/kiosk/code")
    for digit in digits:
        kiosk.post("/kiosk/code", {"code": page.value("code"), "key": digit}, status=200)
        assert kiosk.page is not None
        page = kiosk.page
    return page


def open_with_code(kiosk: Kiosk, code: str) -> Page:
    start_report(kiosk)
    page = type_on_pad(kiosk, code)
    assert page.value("code") == " ".join(code[i : i + 4] for i in range(0, 12, 4))
    response = kiosk.post("/kiosk/code", {"code": page.value("code"), "key": "check"})
    assert response.location == "/kiosk/code/report"
    return kiosk.follow(response)


def test_a_code_typed_on_the_pad_shows_the_status_and_messages(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    receipt = submit(services, establishment_id)
    status = open_with_code(kiosk, receipt.code)
    assert status.h1 == "Your report"
    assert "Your report has been received. Nobody has read it yet." in status.text
    assert "There are no messages yet." in status.text
    send_standard_message(services, receipt.report_id, "will_speak", status="triaged")
    status = kiosk.get("/kiosk/code/report")
    assert "The safeguarding team is looking at your report." in status.text
    assert "Someone from the safeguarding team will come to speak to you soon." in status.text


def test_the_pad_has_a_delete_key_and_stops_at_twelve_digits(kiosk: Kiosk) -> None:
    start_report(kiosk)
    page = type_on_pad(kiosk, "1234567890123")
    assert page.value("code") == "1234 5678 9012"
    kiosk.post("/kiosk/code", {"code": page.value("code"), "key": "delete"}, status=200)
    assert kiosk.page is not None and kiosk.page.value("code") == "1234 5678 901"


def test_information_added_with_the_code_is_sealed_on_the_report_once(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    receipt = submit(services, establishment_id)
    open_with_code(kiosk, receipt.code)
    page = kiosk.get("/kiosk/code/add")
    assert page.h1 == "What do you want to add?"
    data = {"csrf_token": page.csrf, "details": "It happened again on Tuesday."}
    first = kiosk.client.post("/kiosk/code/add", data=data)
    second = kiosk.client.post("/kiosk/code/add", data=data)  # a double tap
    assert first.location == second.location == "/kiosk/code/danger"
    asked = kiosk.follow(first)
    assert asked.h1 == "Is anyone in danger right now?"
    added = kiosk.follow(kiosk.post("/kiosk/code/danger", {"answer": "no"}))
    assert added.h1 == "Thank you. We have added this to your report."
    with services.db.transaction() as session:
        events = session.scalars(
            select(TimelineEvent).where(
                TimelineEvent.report_id == receipt.report_id,
                TimelineEvent.kind == ADDED_INFORMATION_KIND,
            )
        ).all()
        assert len(events) == 1
        body = TIMELINE_BODY.open_text(services.secrets.vault, events[0])
        assert body == "It happened again on Tuesday."


def test_adding_nothing_asks_for_text_on_the_same_screen(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    open_with_code(kiosk, submit(services, establishment_id).code)
    kiosk.submit("/kiosk/code/add", {"details": "   "}, status=400)
    assert kiosk.page is not None
    assert kiosk.page.errors == ["Error: Type what you want to add."]


def test_a_mistyped_code_says_check_the_numbers_and_keeps_them(kiosk: Kiosk) -> None:
    start_report(kiosk)
    kiosk.submit("/kiosk/code", {"code": "1234 5678 9013", "key": "check"}, status=400)
    page = kiosk.page
    assert page is not None
    assert page.errors == ["Error: This code is not right. Check the numbers and try again."]
    assert page.value("code") == "1234 5678 9013"


def test_an_unknown_code_and_then_too_many_are_refused(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    real = submit(services, establishment_id).code
    wrong = real[:-2] + ("0" if real[-2] != "0" else "1")
    # Give the wrong body a valid check digit so it counts as a guess, not a typo.
    wrong = wrong[:11] + damm_check_digit(wrong[:11])
    assert wrong != real
    start_report(kiosk)
    for _ in range(5):
        kiosk.submit("/kiosk/code", {"code": wrong, "key": "check"}, status=404)
        assert kiosk.page is not None
        assert kiosk.page.errors == ["Error: We cannot find a report with this code."]
    kiosk.submit("/kiosk/code", {"code": real, "key": "check"}, status=429)
    assert kiosk.page is not None
    assert kiosk.page.errors == ["Error: Too many wrong codes. Please try again later."]


def test_the_status_page_needs_a_code_first(kiosk: Kiosk) -> None:
    start_report(kiosk)
    assert kiosk.client.get("/kiosk/code/report").location == "/kiosk/code"
    assert kiosk.client.get("/kiosk/code/add").location == "/kiosk/code"


def test_a_message_naming_a_phone_number_keeps_it_left_to_right(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    """The Samaritans message in Arabic holds "116 123" itself: it must not show as 123 116."""
    receipt = submit(services, establishment_id, language="ar")
    send_standard_message(services, receipt.report_id, "support")
    start_report(kiosk, "ar")
    page = type_on_pad(kiosk, receipt.code)
    response = kiosk.post("/kiosk/code", {"code": page.value("code"), "key": "check"})
    status = kiosk.follow(response)
    assert "\u2066116 123\u2069" in status.html
