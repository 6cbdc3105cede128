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
from safeguarding.enrolment import invite_staff, reissue_staff_setup
from safeguarding.retention import find_expired, purge_expired_batch
from safeguarding.services import Services
from storage.models import Establishment
from storage.repositories.audit import append_audit
from storage.repositories.staff import end_staff_sessions, find_staff_by_email
from triage.quality_data import PERIODS, gather
from triage.quality_export import board_csv

_ACTOR = "system:cli"


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
    return f"{base.rstrip('/')}/triage/setup/{token}"


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
        if find_staff_by_email(session, email) is not None:
            _fail(f"there is already an account for {email.strip().lower()}")
        _user, token = invite_staff(
            session,
            email=email,
            display_name=display_name,
            role=role,
            establishment_ids=[e.id for e in found],
            pepper=services.secrets.code_pepper,
            clock=services.clock,
            actor=_ACTOR,
        )
    click.echo(f"setup link (works once, for 24 hours): {_setup_url(base_url, token)}")


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
        staff = find_staff_by_email(session, email)
        if staff is None:
            _fail(f"no account for {email.strip().lower()}")
            return
        now = services.clock.now()
        staff.password_hash = None
        staff.totp_secret_sealed = None
        end_staff_sessions(session, staff_id=staff.id, now=now)
        append_audit(
            session, at=now, actor=_ACTOR, action="staff.reset", detail={"staff_id": staff.id}
        )
        token = reissue_staff_setup(
            session,
            user=staff,
            pepper=services.secrets.code_pepper,
            clock=services.clock,
            actor=_ACTOR,
        )
    click.echo(f"setup link (works once, for 24 hours): {_setup_url(base_url, token)}")


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
    click.echo(f"purged {purged} reports (kept {period} after closing)")
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
        append_audit(
            session, at=now, actor=_ACTOR, action="quality.exported",
            detail={"establishments": sorted(e.id for e in found), "months": int(months),
                    "exact": exact},
        )  # fmt: skip
    with click.open_file(output, "w") as out:
        out.write(board_csv(data, exact=exact))
