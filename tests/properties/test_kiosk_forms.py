"""Property-based: whatever an enrolled kiosk posts to any of its forms, the kiosk never
fails with a server error, says in the person's language what to do when it cannot use
an answer, keeps every answer already given, and writes all of a report or none of it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from hypothesis import event, example, given, settings
from hypothesis import strategies as st
from werkzeug.test import TestResponse

from kiosk.context import DEVICE_COOKIE
from safeguarding.catalogue import CONCERNS_BY_ID, STAFF_INVOLVED_ANSWERS, WHEN_ANSWERS
from safeguarding.drafts import CONTACT_ANSWERS, DANGER_ANSWERS, QUESTIONS, WHO_ANSWERS
from safeguarding.services import Services
from tests.factories import new_establishment
from tests.kiosk.journey import ANSWERS
from tests.kiosk.pages import Kiosk, parse
from tests.kiosk.test_validation import saved_answers
from tests.properties.conftest import enrolled_kiosk, row_counts
from tests.properties.hostile import (
    CSRF_VARIANTS,
    DIGITS_OF_OTHER_SCRIPTS,
    FORM_TYPE,
    Form,
    csrf_forms,
    encode,
    forms,
)
from translations.i18n import _

LANGUAGE = "ar"  # right to left, and not the source language: a missed translation shows
CHOICES = (
    *DANGER_ANSWERS,
    *sorted(CONCERNS_BY_ID)[:4],
    *WHO_ANSWERS,
    *STAFF_INVOLVED_ANSWERS,
    "elsewhere",
    "1",
    *WHEN_ANSWERS,
    *CONTACT_ANSWERS,
)
QUESTION_FIELDS = {
    "answer": CHOICES,
    "details": ("They take my canteen.", ""),
    "name": ("Sam", ""),
    "prison_number": ("A1234BC",),
    "skip": ("1",),
}


@dataclass
class ReportingKiosk:
    app: Flask
    kiosk: Kiosk
    services: Services

    @property
    def client(self) -> FlaskClient:
        return self.kiosk.client

    def csrf(self) -> str:
        response = self.client.get("/kiosk/menu")
        if response.status_code != 200:  # sent, or wiped by leaving: the next person starts
            self.kiosk.get("/kiosk/")
            self.kiosk.post("/kiosk/language", {"language": LANGUAGE})
            response = self.client.get("/kiosk/menu")
        return parse(response).csrf

    def post(self, path: str, form: Form) -> TestResponse:
        return self.client.post(path, data=encode(form), content_type=FORM_TYPE)

    def said(self, message: str) -> str:
        """``message`` as the person reads it, in their language."""
        with self.app.test_request_context(), force_locale(LANGUAGE):
            return _(message)


@pytest.fixture
def reporting(app: Flask, services: Services) -> Iterator[ReportingKiosk]:
    """An enrolled kiosk where someone has answered every question, in Arabic."""
    establishment_id = new_establishment(services, languages="en,cy,ar")
    kiosk = enrolled_kiosk(app.test_client(), services, establishment_id)
    kiosk.get("/kiosk/")
    assert kiosk.post("/kiosk/language", {"language": LANGUAGE}).location == "/kiosk/menu"
    for question, data in ANSWERS.items():
        kiosk.submit(f"/kiosk/report/{question}", data)
    yield ReportingKiosk(app, kiosk, services)


def assert_clear_refusal(reporting: ReportingKiosk, response: TestResponse) -> None:
    """A refusal is a page in the person's language with the error summary, not a bare
    status."""
    page = parse(response)
    heading = reporting.said("There is a problem")
    assert heading != "There is a problem", "no Arabic catalog: the check would be empty"
    assert heading in page.text, (response.status_code, page.text[:300])
    assert page.all("div", class_="govuk-error-summary kiosk-error-summary")
    assert page.title.startswith(reporting.said("Error:"))


@given(
    question=st.sampled_from(QUESTIONS),
    csrf=CSRF_VARIANTS,
    form=forms(QUESTION_FIELDS),
)
@example(question="when", csrf=0, form=[("answer", b"x" * 300_000)])
@example(question="more", csrf=0, form=[("details", "\ud800".encode("utf-8", "surrogatepass"))])
@example(question="identity", csrf=0, form=[("name", b"\x00"), ("prison_number", b"\x00")])
def test_any_answer_to_any_question_is_taken_or_refused_clearly(
    reporting: ReportingKiosk, question: str, csrf: int, form: Form
) -> None:
    token = csrf_forms(reporting.csrf())[csrf]
    answers_before = saved_answers(reporting.services)
    rows_before = row_counts(reporting.services)
    response = reporting.post(f"/kiosk/report/{question}", token + form)
    event(f"answered with {response.status_code}")
    assert response.status_code < 500, response.status_code
    assert response.status_code in (303, 400, 413), response.status_code
    if response.status_code != 303:
        assert_clear_refusal(reporting, response)
        assert saved_answers(reporting.services) == answers_before
    assert row_counts(reporting.services) == rows_before


def whole_or_nothing(before: dict[str, int], after: dict[str, int]) -> None:
    """Either no report was written, or one whole report: its answers, its first timeline
    event and its alert. Information added to an earlier report writes no report rows."""
    added = {table: after[table] - before[table] for table in before}
    assert added["Report"] in (0, 1), added
    if added["Report"] == 1:
        # A report filed because someone in danger left the kiosk may hold no answers but
        # the danger (kept on the report itself); it still has its timeline and its alert.
        assert min(added["TimelineEvent"], added["OutboxMessage"]) >= 1, added
    else:
        assert added["ReportAnswer"] == 0, added
    assert added["KioskDevice"] == added["StaffUser"] == added["CallSession"] == 0, added


def kiosk_post_paths(app: Flask) -> list[str]:
    """Every POST route of the kiosk, from the app itself: a new form is fuzzed too."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("kiosk.")
        and "POST" in (rule.methods or ())
        and not rule.arguments
    )


ANY_KIOSK_FIELD = {
    **QUESTION_FIELDS,
    "language": ("en", "cy", "ar", "pl"),
    "code": ("1234 5678 9012", "٠١٢٣٤٥٦٧٨٩٠١", DIGITS_OF_OTHER_SCRIPTS),
    "key": ("1", "0", "delete", "²"),
}


@settings(max_examples=20)  # each example posts to every kiosk form
@given(csrf=CSRF_VARIANTS, form=forms(ANY_KIOSK_FIELD))
def test_no_kiosk_form_fails_whatever_is_posted(
    reporting: ReportingKiosk, csrf: int, form: Form
) -> None:
    """The same random form to every kiosk form, one after the other, as a fuzzer would."""
    for path in kiosk_post_paths(reporting.app):
        before = row_counts(reporting.services)
        response = reporting.post(path, csrf_forms(reporting.csrf())[csrf] + form)
        event(f"{path} answered {response.status_code}")
        assert response.status_code < 500, (path, response.status_code)
        whole_or_nothing(before, row_counts(reporting.services))


@given(csrf=CSRF_VARIANTS, form=forms({k: ANY_KIOSK_FIELD[k] for k in ("code", "key")}))
@example(csrf=0, form=[("code", "²³".encode())])
@example(csrf=0, form=[("code", "١٢٣٤٥٦٧٨٩٠١٢".encode())])
def test_a_code_pad_entry_is_looked_up_or_refused_clearly(
    reporting: ReportingKiosk, csrf: int, form: Form
) -> None:
    before = row_counts(reporting.services)
    response = reporting.post("/kiosk/code", csrf_forms(reporting.csrf())[csrf] + form)
    event(f"code answered {response.status_code}")
    assert response.status_code in (200, 303, 400, 404, 413, 429), response.status_code
    if response.status_code not in (200, 303):
        assert_clear_refusal(reporting, response)
    assert row_counts(reporting.services) == before


@pytest.fixture
def following_up(reporting: ReportingKiosk) -> ReportingKiosk:
    """The same kiosk after the report was sent and its code entered again."""
    kiosk = reporting.kiosk
    kiosk.get("/kiosk/report/check")
    sent = kiosk.follow(kiosk.post("/kiosk/report/send", {}))
    code = "".join(e.text for e in sent.by_class("kiosk-code__group"))
    kiosk.post("/kiosk/finish", {})
    kiosk.get("/kiosk/")
    kiosk.post("/kiosk/language", {"language": LANGUAGE})
    response = kiosk.submit("/kiosk/code", {"code": code})
    assert response.location == "/kiosk/code/report"
    return reporting


@given(csrf=CSRF_VARIANTS, form=forms({"details": ("I was hit again on Monday.", "")}))
@example(csrf=0, form=[("details", b"\x00")])
@example(csrf=0, form=[("details", b"y" * 300_000)])
def test_information_added_later_is_taken_whole_or_refused_clearly(
    following_up: ReportingKiosk, csrf: int, form: Form
) -> None:
    before = row_counts(following_up.services)
    page = following_up.kiosk.get("/kiosk/code/add")
    response = following_up.post("/kiosk/code/add", csrf_forms(page.csrf)[csrf] + form)
    event(f"add answered {response.status_code}")
    assert response.status_code in (303, 400, 413), response.status_code
    after = row_counts(following_up.services)
    if response.status_code != 303:
        assert_clear_refusal(following_up, response)
        assert after == before
    else:
        assert after["Report"] == before["Report"]
        assert after["ReportAnswer"] == before["ReportAnswer"]


@given(token=st.text(min_size=1, max_size=80).filter(lambda t: "/" not in t))
@example(token="\x00")
@example(token="x" * 5000)
def test_a_random_enrolment_link_enrols_nothing(app: Flask, services: Services, token: str) -> None:
    before = row_counts(services)
    response = app.test_client().post("/kiosk/enrol", data={"token": token})
    assert response.status_code < 500
    assert DEVICE_COOKIE not in response.headers.get("Set-Cookie", "")
    assert row_counts(services) == before
