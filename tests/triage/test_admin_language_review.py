"""Unreviewed translations are never offered silently: the settings page shows which
offered languages are unreviewed, offering a new one needs a confirmation (audited), and
``safereport languages review xx --by NAME`` records a review in the database."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.services import Services
from safereport.cli import main
from storage.models import AuditEvent, Establishment, LanguageReview
from tests.support.pages import parse
from tests.triage.helpers import csrf, page_at

BASE = "/triage/admin/establishments"


def cli(tmp_path: Path, database_url: str, *args: str) -> tuple[int, str]:
    env = {
        "SAFEREPORT_INSTANCE_PATH": str(tmp_path / "instance"),
        "SAFEREPORT_DATABASE_URL": database_url,
    }
    result = CliRunner().invoke(main, ["languages", *args], env=env, catch_exceptions=False)
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def save(client: FlaskClient, establishment: int, languages: list[str], **extra: Any) -> Any:
    form = {
        "csrf_token": csrf(client),
        "name": "HMP Testing",
        "kiosk_idle_seconds": "90",
        "languages": languages,
        **extra,
    }
    return client.post(f"{BASE}/{establishment}", data=form)


def offered(services: Services, establishment: int) -> str:
    with services.db.transaction() as session:
        found = session.get(Establishment, establishment)
        assert found is not None
        return found.languages


def test_the_settings_page_names_the_offered_languages_that_are_unreviewed(
    admin_client: FlaskClient, establishment: int
) -> None:
    page = page_at(admin_client, f"{BASE}/{establishment}")
    warning = page.warning("offered-unreviewed")
    assert warning.startswith(
        "Offered, but the translation has not been reviewed by a fluent person: "
    )
    assert "Cymraeg (Welsh)" in warning
    assert page.label("language-cy").endswith("Not reviewed")


def test_offering_an_unreviewed_language_needs_a_confirmation_that_is_audited(
    admin_client: FlaskClient, services: Services, establishment: int
) -> None:
    before = offered(services, establishment)
    refused = save(admin_client, establishment, ["en", "cy", "ar", "so"])
    assert refused.status_code == 400
    page = parse(refused)
    assert page.field_error("confirm_unreviewed").startswith(
        "No fluent person has checked the translation of Soomaali (Somali)"
    )
    assert "confirm_unreviewed" in page.fields()
    assert offered(services, establishment) == before  # nothing saved
    confirmed = save(
        admin_client, establishment, ["en", "cy", "ar", "so"], confirm_unreviewed="yes"
    )
    assert confirmed.status_code == 302
    assert offered(services, establishment).split(",") == ["en", "cy", "ar", "so"]
    with services.db.transaction() as session:
        detail = session.scalars(
            select(AuditEvent.detail).where(
                AuditEvent.action == "admin.unreviewed_language_offered"
            )
        ).one()
    assert json.loads(detail)["languages"] == ["so"]
    # Languages already offered are not asked about again.
    assert save(admin_client, establishment, ["en", "cy", "ar", "so"]).status_code == 302


def test_a_recorded_review_is_stored_and_lifts_the_warning(
    admin_client: FlaskClient,
    services: Services,
    establishment: int,
    tmp_path: Path,
    database_url: str,
) -> None:
    code, output = cli(
        tmp_path, database_url, "review", "so", "--by", "Amina Yusuf", "--on", "2026-11-30"
    )
    assert code == 0 and "so: reviewed by Amina Yusuf on 2026-11-30" in output
    with services.db.transaction() as session:
        review = session.get(LanguageReview, "so")
        assert review is not None
        assert (review.reviewed_by, review.reviewed_on.isoformat()) == ("Amina Yusuf", "2026-11-30")
        audited = session.scalars(
            select(AuditEvent.action).where(AuditEvent.action == "language.reviewed")
        ).all()
    assert len(audited) == 1
    assert save(admin_client, establishment, ["en", "cy", "ar", "so"]).status_code == 302
    code, listing = cli(tmp_path, database_url, "list")
    assert "so\tSomali\treviewed by Amina Yusuf on 2026-11-30" in listing
    assert "cy\tWelsh\tNOT reviewed" in listing


def test_a_review_without_a_date_is_dated_today_and_bad_input_is_refused(
    services: Services, tmp_path: Path, database_url: str
) -> None:
    code, _ = cli(tmp_path, database_url, "review", "cy", "--by", "Gwen Jones")
    assert code == 0
    with services.db.transaction() as session:
        review = session.get(LanguageReview, "cy")
        assert review is not None and review.reviewed_on == datetime.now(UTC).date()
    assert cli(tmp_path, database_url, "review", "xx", "--by", "Someone")[0] == 2
    assert cli(tmp_path, database_url, "review", "pl", "--by", "  ")[0] == 2
    assert cli(tmp_path, database_url, "review", "pl", "--by", "A", "--on", "30/11")[0] == 2
