"""The kiosk journey without JavaScript: every screen, in order, ending with a real report."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from safeguarding.codes import code_hash, is_valid
from safeguarding.phone_numbers import display_phone_number
from safeguarding.services import Services
from storage.models import Location, PhoneLine, Report
from storage.sealed_fields import REPORT_DETAILS, REPORTER_IDENTITY
from tests.kiosk.journey import ANSWERS, answer, fill_report, send, start_report
from tests.kiosk.pages import Kiosk, code_on

QUESTION_TITLES = {
    "danger": "Is anyone in danger right now?",
    "what": "What is happening?",
    "hurt": "Is anyone hurt?",
    "who": "Is this about you or someone else?",
    "staff": "Is a member of staff involved?",
    "where": "Where did it happen?",
    "when": "When did it happen?",
    "more": "Do you want to tell us more?",
    "contact": "Do you want someone to talk to you about this?",
}


def only_report(services: Services) -> Report:
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
        _ = (report.answers, report.events)  # load before the session closes
        return report


def test_the_whole_journey_makes_a_report_whose_answers_match(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    check = fill_report(kiosk)
    assert check.h1 == "Check your answers"
    assert "They take my canteen every week." in check.text
    sent = send(kiosk)
    code = code_on(sent)
    assert is_valid(code)
    report = only_report(services)
    assert report.code_hash == code_hash(services.secrets.code_pepper, code)
    assert (report.channel, report.language, report.establishment_id) == (
        "kiosk",
        "en",
        establishment_id,
    )
    assert [a.answer for a in report.answers if a.question == "concern"] == ANSWERS["what"][
        "answer"
    ]
    assert ("where", "elsewhere") in [(a.question, a.answer) for a in report.answers]
    assert report.in_danger_now is False
    assert report.about_someone_else is False
    assert report.staff_involved == "no"
    assert report.when_happened == "this_week"
    assert report.location_id is None
    assert report.wants_contact is False
    assert report.kiosk_device_id is not None
    details = REPORT_DETAILS.open_text(services.secrets.vault, report)
    assert details == ANSWERS["more"]["details"]


def test_each_question_has_its_own_screen_with_a_picture_per_choice(kiosk: Kiosk) -> None:
    start_report(kiosk)
    for question, data in ANSWERS.items():
        page = kiosk.get(f"/kiosk/report/{question}")
        assert page.h1 == QUESTION_TITLES[question]
        assert page.title == QUESTION_TITLES[question]
        choices = page.by_class("kiosk-choice")
        pictures = [e for e in page.all("img") if e.within("kiosk-choice")]
        assert len(pictures) == len(choices)
        assert all(img.attrs["alt"].startswith("Picture: ") for img in pictures)
        answer(kiosk, question, data)


def test_a_person_who_wants_contact_gives_a_name_that_is_sealed(
    kiosk: Kiosk, services: Services
) -> None:
    answers = dict(ANSWERS)
    answers["contact"] = {"answer": "contact_me"}
    start_report(kiosk)
    for question, data in answers.items():
        answer(kiosk, question, data)
    location = answer(kiosk, "identity", {"name": "  Sam   Jones ", "prison_number": "a1234bc"})
    assert location == "/kiosk/report/check"
    check = kiosk.get(location)
    assert "Sam Jones" in check.text and "A1234BC" in check.text
    send(kiosk)
    report = only_report(services)
    assert report.wants_contact is True
    identity = REPORTER_IDENTITY.open_text(services.secrets.vault, report)
    assert identity == "name: Sam Jones; prison number: A1234BC"


def test_a_place_in_the_establishment_is_kept_as_the_location(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    with services.db.transaction() as session:
        b_wing = session.scalars(
            select(Location).where(
                Location.establishment_id == establishment_id, Location.name == "B Wing"
            )
        ).one()
        b_wing_id = b_wing.id
    answers = dict(ANSWERS)
    answers["where"] = {"answer": str(b_wing_id)}
    check = fill_report(kiosk, answers)
    assert "B Wing" in check.text
    send(kiosk)
    assert only_report(services).location_id == b_wing_id


@pytest.mark.parametrize(
    ("danger", "concerns", "urgent"),
    [
        ("yes", ["bullied"], True),
        ("no", ["hurting_myself"], True),
        ("no", ["bullied"], False),
    ],
)
def test_the_sent_screen_says_what_to_do_right_now_when_it_is_urgent(
    kiosk: Kiosk, danger: str, concerns: list[str], urgent: bool
) -> None:
    answers = dict(ANSWERS)
    answers["danger"] = {"answer": danger}
    answers["what"] = {"answer": concerns}
    fill_report(kiosk, answers)
    sent = send(kiosk)
    assert ("Tell any officer straight away." in sent.text) is urgent
    assert ("Press your cell bell." in sent.text) is urgent
    # Help is always there, and what happens next, with the policy's time.
    assert "You can call Samaritans free on 116 123." in sent.text
    assert "The safeguarding team will read your report." in sent.text
    assert "They will look at it within" in sent.text


def test_the_code_is_shown_big_in_groups_of_four(kiosk: Kiosk) -> None:
    fill_report(kiosk)
    sent = send(kiosk)
    groups = [e.text for e in sent.by_class("kiosk-code__group")]
    assert [len(g) for g in groups] == [4, 4, 4]
    assert sent.by_class("kiosk-code")[0].attrs["dir"] == "ltr"


def test_the_sent_screen_offers_the_establishments_phone_line(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    with services.db.transaction() as session:
        number = session.scalars(
            select(PhoneLine.number).where(PhoneLine.establishment_id == establishment_id)
        ).one()
    fill_report(kiosk)
    sent = send(kiosk)
    shown = display_phone_number(number)
    assert shown is not None and not shown.startswith("+44")
    assert f"You can call the safeguarding line on {shown}." in sent.text


def test_uk_numbers_are_shown_as_dialled_inside() -> None:
    assert display_phone_number("+441632960001") == "01632 960001"
    assert display_phone_number("+442079460000") == "020 7946 0000"
    assert display_phone_number("+35312345678") == "+353 1 234 5678"
    assert display_phone_number(None) is None


def test_change_on_check_your_answers_goes_to_the_question_and_back(kiosk: Kiosk) -> None:
    check = fill_report(kiosk)
    change_links = [a.attrs["href"] for a in check.all("a") if a.text == "Change"]
    assert change_links == [f"/kiosk/report/{q}" for q in ANSWERS]
    when = kiosk.get("/kiosk/report/when")
    chosen = [e for e in when.by_class("kiosk-choice--chosen")]
    assert [e.attrs["value"] for e in chosen] == ["this_week"]
    assert answer(kiosk, "when", {"answer": "today"}) == "/kiosk/report/check"
    assert "Today." in kiosk.get("/kiosk/report/check").text


def test_choosing_to_stay_anonymous_after_all_forgets_the_name(
    kiosk: Kiosk, services: Services
) -> None:
    answers = dict(ANSWERS)
    answers["contact"] = {"answer": "contact_me"}
    start_report(kiosk)
    for question, data in answers.items():
        answer(kiosk, question, data)
    answer(kiosk, "identity", {"name": "Sam Jones", "prison_number": ""})
    assert answer(kiosk, "contact", {"answer": "anonymous"}) == "/kiosk/report/check"
    check = kiosk.get("/kiosk/report/check")
    assert "Sam Jones" not in check.html
    send(kiosk)
    assert only_report(services).reporter_identity_sealed is None


def test_a_question_cannot_be_skipped_by_going_to_its_address(kiosk: Kiosk) -> None:
    start_report(kiosk)
    answer(kiosk, "danger", {"answer": "no"})
    response = kiosk.client.get("/kiosk/report/when")
    assert response.status_code == 303
    assert response.location == "/kiosk/report/what"
    response = kiosk.client.get("/kiosk/report/check")
    assert response.location == "/kiosk/report/what"


def test_back_goes_to_the_screen_before(kiosk: Kiosk) -> None:
    start_report(kiosk)
    answer(kiosk, "danger", {"answer": "no"})
    page = kiosk.get("/kiosk/report/what")
    assert [a.attrs["href"] for a in page.by_class("kiosk-back")] == ["/kiosk/report/danger"]
    first = kiosk.get("/kiosk/report/danger")
    assert [a.attrs["href"] for a in first.by_class("kiosk-back")] == ["/kiosk/menu"]


def test_after_sending_the_questions_lead_only_to_the_sent_screen(kiosk: Kiosk) -> None:
    fill_report(kiosk)
    send(kiosk)
    for path in ("/kiosk/report/danger", "/kiosk/report/check", "/kiosk/menu"):
        assert kiosk.client.get(path).location == "/kiosk/report/sent"


def test_every_kiosk_page_has_quick_exit_and_is_never_cached(kiosk: Kiosk) -> None:
    fill_report(kiosk)
    for path in [
        "/kiosk/",
        "/kiosk/menu",
        *[f"/kiosk/report/{q}" for q in ANSWERS],
        "/kiosk/report/check",
    ]:
        if path == "/kiosk/":
            continue  # the start screen wipes the draft; it is checked on its own below
        response = kiosk.client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store, max-age=0"
        assert 'action="/kiosk/exit"' in response.get_data(as_text=True)
    start = kiosk.client.get("/kiosk/")
    assert 'action="/kiosk/exit"' in start.get_data(as_text=True)
    assert "no-store" in start.headers["Cache-Control"]
