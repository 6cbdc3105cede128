"""``safereport user ...``: staff accounts from the command line (the first admin, resets)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy import select

from safeguarding.access import Role
from safeguarding.enrolment import invite_staff, reissue_staff_setup
from safeguarding.services import Services
from storage.models import Establishment
from storage.repositories.audit import append_audit
from storage.repositories.staff import end_staff_sessions, find_staff_by_email

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
