"""The words staff read for the core's ids and times, in every language, cached or not."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from babel.dates import format_datetime
from flask import Flask
from flask_babel import force_locale

from safeguarding.actions import STATUS_LABELS
from translations.languages import LANGUAGES
from triage.labels import LOCAL_TIME, label, local_time

# Both sides of each clock change in 2026 (29 March, 25 October), midnight, the last day of
# a month, and a time without a zone (read as UTC, as Babel reads it).
TIMES = [
    datetime(2026, 3, 29, 0, 59, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
    datetime(2026, 10, 25, 0, 59, tzinfo=UTC),
    datetime(2026, 10, 25, 1, 0, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 30, tzinfo=UTC),
    datetime(2026, 6, 1, 12, 5),
    *(datetime(2026, month, 15, 9, 45, tzinfo=UTC) for month in range(1, 13)),
]


@pytest.mark.one_database
@pytest.mark.parametrize("code", [language.code for language in LANGUAGES])
def test_times_read_as_babel_writes_them_in_every_language(app: Flask, code: str) -> None:
    with app.test_request_context(), force_locale(code):
        for value in TIMES:
            expected = format_datetime(value, "d MMM yyyy, HH:mm", tzinfo=LOCAL_TIME, locale=code)
            assert local_time(value) == expected, (code, value)
    assert local_time(None) == ""


@pytest.mark.one_database
def test_a_label_is_in_the_language_asked_for_each_time(app: Flask) -> None:
    """Labels are kept per language: the Welsh word is never served to an English reader."""
    status = next(iter(STATUS_LABELS))
    with app.test_request_context():
        with force_locale("en"):
            english = label("status", status)
        with force_locale("cy"):
            welsh = label("status", status)
            assert label("status", status) == welsh
        with force_locale("en"):
            assert label("status", status) == english
    assert english != welsh
    with app.test_request_context(), force_locale("en"):
        assert label("status", "not-a-status") == "not-a-status"  # unknown: itself
