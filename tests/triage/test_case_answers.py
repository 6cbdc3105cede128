"""The case page shows what the reporter chose in the words they saw, in the reader's
language and in theirs, with each one's direction; never a stored id (issue 19.4)."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from safeguarding.services import Services
from tests.factories import submit
from tests.support.pages import Page
from tests.triage.helpers import page_at

IDS = ("elsewhere", "someone_else", "not_sure", "made_to_pay")


def case_page(client: FlaskClient, report_id: int) -> Page:
    return page_at(client, f"/triage/reports/{report_id}")


def test_an_arabic_report_reads_in_both_languages_without_ids(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    report_id = submit(
        services,
        establishment,
        language="ar",
        concerns=["staff_bad"],
        staff_involved="not_sure",
        about_someone_else=True,
        extra_answers={"where": "elsewhere", "staff_involved": "not_sure", "about": "someone_else"},
    ).report_id
    page = case_page(lead_client, report_id)
    rows = page.table("answers")
    for stored_id in IDS:
        assert all(stored_id not in cell.split() for row in rows for cell in row.values()), (
            stored_id
        )
    answers = [row["Answer"] for row in rows]
    # The reporter said "not sure", although a concern about staff makes the case "yes".
    assert "I am not sure." in answers
    assert "It is about someone else." in answers
    assert "Somewhere else, or I am not sure." in answers
    arabic = page.inside(page.by_id("answers"), "td", lang="ar", dir="rtl")
    assert arabic and all(re.search("[\u0600-\u06ff]", cell.text) for cell in arabic), arabic
