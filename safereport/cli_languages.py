"""``safereport languages``: which translations have been reviewed, and recording a review."""

from __future__ import annotations

import sys
from datetime import date

import click

from safeguarding.language_reviews import UnknownLanguage, record_review, reviewed_codes, reviews
from safereport.config import Config
from safereport.services import open_services
from translations.languages import BY_CODE, LANGUAGES, SHIPPED_REVIEWED


@click.group(help="The languages people can use, and whether their translations are reviewed.")
def languages() -> None:
    pass


@languages.command("review", help="Record that a fluent person checked a translation.")
@click.argument("code")
@click.option("--by", "by", required=True, help="Who reviewed it (their name).")
@click.option(
    "--on", "on", default=None, help="The date of the review, YYYY-MM-DD (default: today)."
)
def review(code: str, by: str, on: str | None) -> None:
    try:
        day = date.fromisoformat(on) if on else None
    except ValueError:
        click.echo(f"{on!r} is not a date like 2026-12-04.", err=True)
        sys.exit(2)
    with open_services(Config.from_env()) as services, services.db.transaction() as session:
        try:
            done = record_review(
                session, code=code, by=by, on=day, known=BY_CODE, clock=services.clock
            )
        except UnknownLanguage:
            click.echo(f"{code!r} is not a language SafeReport knows.", err=True)
            sys.exit(2)
        except ValueError as problem:
            click.echo(str(problem), err=True)
            sys.exit(2)
        click.echo(f"{code}: reviewed by {done.reviewed_by} on {done.reviewed_on.isoformat()}")


@languages.command("list", help="Every language, and whether its translation is reviewed.")
def list_languages() -> None:
    with open_services(Config.from_env()) as services, services.db.transaction() as session:
        reviewed = reviewed_codes(session, shipped_reviewed=SHIPPED_REVIEWED)
        recorded = {r.code: r for r in reviews(session)}
        for language in LANGUAGES:
            found = recorded.get(language.code)
            if found is not None:
                state = f"reviewed by {found.reviewed_by} on {found.reviewed_on.isoformat()}"
            else:
                state = "reviewed" if language.code in reviewed else "NOT reviewed"
            click.echo(f"{language.code}\t{language.english_name}\t{state}")
