"""A wrong or missing answer: a clear message on the same screen, every answer kept."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from safeguarding.catalogue import MAX_DETAILS_CHARS
from safeguarding.drafts import DraftState
from safeguarding.services import Services
from storage.models import KioskDraft
from storage.sealed_fields import KIOSK_DRAFT_STATE
from tests.kiosk.journey import ANSWERS, answer, start_report
from tests.kiosk.pages import Kiosk


def saved_answers(services: Services) -> dict[str, object]:
    with services.db.transaction() as session:
        row = session.scalars(select(KioskDraft)).one()
        text = KIOSK_DRAFT_STATE.open_text(services.secrets.vault, row) or ""
    return dict(DraftState.from_json(text).answers)


def answer_up_to(kiosk: Kiosk, last: str) -> None:
    start_report(kiosk)
    for question, data in ANSWERS.items():
        if question == last:
            return
        answer(kiosk, question, data)


@pytest.mark.parametrize("question", ["danger", "who", "staff", "where", "when", "contact"])
def test_no_choice_says_choose_one_on_the_same_screen(
    kiosk: Kiosk, services: Services, question: str
) -> None:
    answer_up_to(kiosk, question)
    before = saved_answers(services)
    kiosk.submit(f"/kiosk/report/{question}", {}, status=400)
    page = kiosk.page
    assert page is not None
    assert page.errors == ["Error: Choose one answer."]
    assert page.title.startswith("Error: ")
    assert page.all("div", class_="govuk-error-summary kiosk-error-summary")
    assert saved_answers(services) == before


def test_nothing_chosen_on_what_is_happening_keeps_the_other_answers(
    kiosk: Kiosk, services: Services
) -> None:
    answer_up_to(kiosk, "what")
    kiosk.submit("/kiosk/report/what", {}, status=400)
    assert kiosk.page is not None
    assert kiosk.page.errors == ["Error: Choose at least one thing."]
    assert kiosk.page.h1 == "What is happening?"
    assert saved_answers(services) == {"danger": "no"}


def test_an_unknown_choice_is_refused_and_what_was_ticked_stays_ticked(kiosk: Kiosk) -> None:
    answer_up_to(kiosk, "what")
    kiosk.submit("/kiosk/report/what", {"answer": ["bullied", "not-a-concern"]}, status=400)
    page = kiosk.page
    assert page is not None
    assert page.errors == ["Error: Choose one of the answers on the screen."]
    assert page.checked("answer") == ["bullied"]


def test_too_much_text_keeps_what_was_typed(kiosk: Kiosk, services: Services) -> None:
    answer_up_to(kiosk, "more")
    typed = "x" * (MAX_DETAILS_CHARS + 1)
    kiosk.submit("/kiosk/report/more", {"details": typed}, status=400)
    page = kiosk.page
    assert page is not None
    assert page.errors == ["Error: This is too long. Please write less."]
    assert page.value("details") == typed
    assert "more" not in saved_answers(services)


def test_more_is_optional_and_skip_forgets_what_was_typed(kiosk: Kiosk, services: Services) -> None:
    answer_up_to(kiosk, "more")
    page = kiosk.get("/kiosk/report/more")
    assert "You do not have to. You can skip this." in page.text
    location = answer(kiosk, "more", {"details": "half a thought", "skip": "1"})
    assert location == "/kiosk/report/contact"
    assert saved_answers(services)["more"] == ""


def test_a_missing_name_keeps_the_prison_number(kiosk: Kiosk) -> None:
    answer_up_to(kiosk, "contact")
    answer(kiosk, "contact", {"answer": "contact_me"})
    kiosk.submit("/kiosk/report/identity", {"name": " ", "prison_number": "A1234BC"}, status=400)
    page = kiosk.page
    assert page is not None
    assert page.errors == ["Error: Type your name."]
    assert page.value("prison_number") == "A1234BC"


def test_a_form_without_its_security_token_changes_nothing(
    kiosk: Kiosk, services: Services
) -> None:
    answer_up_to(kiosk, "danger")
    response = kiosk.client.post("/kiosk/report/danger", data={"answer": "yes"})
    assert response.status_code == 400
    assert "Something went wrong. Please try again." in response.get_data(as_text=True)
    assert saved_answers(services) == {}


def test_every_form_and_field_turns_autocomplete_off(kiosk: Kiosk) -> None:
    answer_up_to(kiosk, "contact")
    answer(kiosk, "contact", {"answer": "contact_me"})
    for path in ("/kiosk/report/more", "/kiosk/report/identity", "/kiosk/report/what"):
        page = kiosk.get(path)
        forms = page.all("form")
        assert forms and all(f.attrs.get("autocomplete") == "off" for f in forms)
        for field in page.elements:
            if field.tag == "textarea" or (
                field.tag == "input" and field.attrs.get("type") in ("text", None)
            ):
                assert field.attrs.get("autocomplete") == "off", field.attrs
