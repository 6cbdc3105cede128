"""The case page's markup is valid where a validator (the Nu HTML Checker) found it was not:
the answers table has a caption, and timeline times carry no fractions of a second."""

from __future__ import annotations

import re
from datetime import timedelta

from flask.testing import FlaskClient

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from tests.factories import submit
from tests.triage.helpers import page_at

# HTML's valid global date and time string allows fractions, but not more than three
# digits; seconds are what a timeline needs.
WHOLE_SECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")


def test_timeline_times_are_whole_seconds_and_the_answers_table_has_a_caption(
    lead_client: FlaskClient, services: Services, establishment: int, clock: FixedClock
) -> None:
    clock.advance(timedelta(microseconds=123_456))  # a real clock's reading
    report_id = submit(services, establishment).report_id
    page = page_at(lead_client, f"/triage/reports/{report_id}")
    times = [e.attrs["datetime"] for e in page.all("time") if "datetime" in e.attrs]
    assert times, "no timeline time on the case page"
    assert all(WHOLE_SECONDS.match(value) for value in times), times
    first = page.by_id("answers").children[0]  # a caption must come first in its table
    assert (first.tag, first.text) == ("caption", "What they said")
