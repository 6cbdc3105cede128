"""``safereport user ...`` (staff accounts: the first admin, resets), ``safereport purge``
(retention: deleting closed reports whose period has run out) and ``safereport export``
(the quality numbers as CSV for the Safeguarding Adults Board)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy import select

from safeguarding.access import QUEUES, Role
from safeguarding.admin_rules import AdminRefused, ServerOperator
from safeguarding.email_addresses import normal_email
from safeguarding.handover_notes import NOTES_KEPT_FOR, purge_old_notes
from safeguarding.places_admin import create_establishment
from safeguarding.reads import record_read
from safeguarding.retention import find_expired, purge_expired_batch
from safeguarding.services import Services
from safeguarding.staff_admin import invite_member, reset_sign_in
from storage.models import Establishment
from storage.repositories.staff import find_staff_by_email
from triage.quality_data import PERIODS, gather
from triage.quality_export import board_csv

_ACTOR = "system:cli"
# The server operator: trusted with every operation, and the one who gives the national
# role. They hand the setup link over themselves.
_OPERATOR = ServerOperator(_ACTOR)
_REFUSALS = {
    "taken": "that email address or code is in use already",
    "code": "the code must be 2 to 16 letters or numbers",
    "email": "not an email address",
    "name": "give a name of 1 to 120 characters",
}


@contextmanager
def _services() -> Iterator[Services]:
    from safereport.config import Config
    from safereport.services import build_services

    services = build_services(Config.from_env())
    try:
        yield services
    finally:
        services.db.dispose()


def _setup_url(base_url: str | None, token: str) -> str:
    from safereport.config import Config

    base = base_url or Config.from_env().public_base_url or "http://127.0.0.1:5000"
    # After "#": the browser never sends it, so the token reaches no access log.
    return f"{base.rstrip('/')}/triage/setup#{token}"


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(2)


@click.group("user", help="Staff accounts.")
def user() -> None:
    pass


@user.command("add", help="Invite a member of staff and print their one-time setup link.")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True)
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.option(
    "--establishment",
    "codes",
    multiple=True,
    required=True,
    help="Establishment code (repeat for several), e.g. DEM.",
)
@click.option(
    "--base-url", default=None, help="Public address (default SAFEREPORT_PUBLIC_BASE_URL)."
)
def add(
    email: str, display_name: str, role: str, codes: tuple[str, ...], base_url: str | None
) -> None:
    with _services() as services, services.db.transaction() as session:
        found = session.scalars(select(Establishment).where(Establishment.code.in_(codes))).all()
        unknown = sorted(set(codes) - {e.code for e in found})
        if unknown:
            _fail(f"no establishment with code {', '.join(unknown)}")
        try:
            change = invite_member(
                session, by=_OPERATOR, email=email, display_name=display_name, role=role,
                establishment_ids=[e.id for e in found], pepper=services.secrets.code_pepper,
                clock=services.clock,
            )  # fmt: skip
        except AdminRefused as refused:
            _fail(_REFUSALS.get(refused.code, f"{refused.field}: {refused.code}"))
            return
    assert change.setup_token is not None
    click.echo(f"setup link (works once, for 24 hours): {_setup_url(base_url, change.setup_token)}")


@user.command(
    "reset",
    help="Sign a member of staff out, remove their password and authenticator, and print a "
    "new setup link (for a lost phone and lost recovery codes).",
)
@click.option("--email", required=True)
@click.option(
    "--base-url", default=None, help="Public address (default SAFEREPORT_PUBLIC_BASE_URL)."
)
def reset(email: str, base_url: str | None) -> None:
    with _services() as services, services.db.transaction() as session:
        email = normal_email(email)
        staff = find_staff_by_email(session, email)
        if staff is None:
            _fail(f"no account for {email}")
            return
        change = reset_sign_in(
            session, by=_OPERATOR, staff_id=staff.id, pepper=services.secrets.code_pepper,
            clock=services.clock,
        )  # fmt: skip
        token = change.setup_token
        assert token is not None
    click.echo(f"setup link (works once, for 24 hours): {_setup_url(base_url, token)}")


@click.group("establishment", help="Establishments (prisons). Only the server operator adds them.")
def establishment() -> None:
    pass


@establishment.command(
    "add",
    help="Add an establishment. Then invite its first administrator with "
    "safereport user add --role admin --establishment CODE.",
)
@click.option("--code", required=True, help="2 to 16 letters or numbers, e.g. DEM.")
@click.option("--name", required=True, help='e.g. "HMP Demo".')
@click.option("--language", "languages", multiple=True, help="Language code (repeat); default en.")
def establishment_add(code: str, name: str, languages: tuple[str, ...]) -> None:
    with _services() as services, services.db.transaction() as session:
        try:
            created = create_establishment(
                session, by=_OPERATOR, code=code, name=name, languages=list(languages) or ["en"],
                clock=services.clock,
            )  # fmt: skip
        except AdminRefused as refused:
            _fail(_REFUSALS.get(refused.code, f"{refused.field}: {refused.code}"))
            return
        click.echo(f"added {created.name} ({created.code})")


@click.command(
    "purge",
    help="Delete for good the closed reports kept longer than the policy's retention period "
    "(with their answers, timeline and recordings), leaving a tombstone in the audit log.",
)
@click.option("--dry-run", is_flag=True, help="Only list what would be purged.")
def purge(dry_run: bool) -> None:
    with _services() as services:
        period = services.policy.retention.describe()
        if dry_run:
            with services.db.transaction() as session:
                expired = find_expired(session, policy=services.policy, now=services.clock.now())
            for item in expired:
                closed = f"{item.closed_at:%Y-%m-%d}"
                click.echo(f"would purge report {item.report_id} (closed {closed})")
            click.echo(f"{len(expired)} reports would be purged (kept {period} after closing)")
            return
        purged = left_at_provider = 0
        while True:
            with services.db.transaction() as session:
                batch = purge_expired_batch(session, policy=services.policy, clock=services.clock)
            purged += len(batch.purged)
            left_at_provider += batch.provider_recordings_left
            if not batch.purged:
                break
        with services.db.transaction() as session:
            notes = purge_old_notes(session, clock=services.clock)
    click.echo(f"purged {purged} reports (kept {period} after closing)")
    click.echo(f"purged {notes} handover notes (kept {NOTES_KEPT_FOR.days} days)")
    if left_at_provider:
        click.echo(
            f"{left_at_provider} of their voice messages were never deleted from Twilio: "
            "delete them in the Twilio console",
            err=True,
        )


@click.command(
    "export",
    help="Write the quality numbers (reports by month, category, channel, language and "
    "place; response times; overdue; referrals) as CSV for the Safeguarding Adults Board.",
)
@click.option(
    "--establishment", "codes", multiple=True, required=True, help="Code (repeat for several)."
)
@click.option("--months", type=click.Choice([str(m) for m in PERIODS]), default="12")
@click.option("--exact", is_flag=True, help="Exact counts (otherwise 1 to 4 show as <5).")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), default="-")
def export(codes: tuple[str, ...], months: str, exact: bool, output: str) -> None:
    with _services() as services, services.db.transaction() as session:
        found = session.scalars(select(Establishment).where(Establishment.code.in_(codes))).all()
        unknown = sorted(set(codes) - {e.code for e in found})
        if unknown:
            _fail(f"no establishment with code {', '.join(unknown)}")
        now = services.clock.now()
        data = gather(
            session,
            establishment_ids=frozenset(e.id for e in found),
            queues=QUEUES,  # the board gets every report's numbers, restricted ones too
            months=int(months),
            policy=services.policy,
            now=now,
        )
        record_read(
            session, at=now, actor=_ACTOR, action="quality.exported",
            detail={"establishments": sorted(e.id for e in found), "months": int(months),
                    "exact": exact},
        )  # fmt: skip
    with click.open_file(output, "w") as out:
        out.write(board_csv(data, exact=exact))
