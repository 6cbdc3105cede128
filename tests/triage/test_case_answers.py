"""The case page shows what the reporter chose in the words they saw, in the reader's
language and in theirs, with each one's direction; never a stored id (issue 19.4)."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from safeguarding.services import Services
from tests.factories import submit

IDS = ("elsewhere", "someone_else", "not_sure", "made_to_pay")


def answers_table(client: FlaskClient, report_id: int) -> str:
    html = client.get(f"/triage/reports/{report_id}").get_data(as_text=True)
    start = html.index('<table class="govuk-table" id="answers">')
    return html[start : html.index("</table>", start)]


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
    table = answers_table(lead_client, report_id)
    cells = re.sub(r"<[^>]+>", " ", table)
    for stored_id in IDS:
        assert f" {stored_id} " not in cells, stored_id
    # The reporter said "not sure", although a concern about staff makes the case "yes".
    assert "I am not sure." in table
    assert "It is about someone else." in table
    assert "Somewhere else, or I am not sure." in table
    assert 'lang="ar" dir="rtl"' in table
    arabic = re.findall(r'lang="ar" dir="rtl">(.*?)</td>', table, re.S)
    assert arabic and all(re.search("[\u0600-\u06ff]", cell) for cell in arabic), arabic
