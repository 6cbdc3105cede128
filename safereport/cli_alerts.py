"""``safereport worker`` and ``safereport oncall``: delivering alerts and the on-call chain."""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.admin_rules import AdminRefused, ServerOperator
from safeguarding.alerts import ON_CALL_ROLES, on_call_chain
from safeguarding.oncall_admin import add_oncall_contact
from safeguarding.phone_numbers import display_phone_number
from safereport.config import Config
from safereport.services import open_services
from safereport.worker_setup import build_worker
from storage.models import Establishment


@click.command(help="Deliver alerts and other outbox work; run one or more beside the app.")
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit.")
def worker(once: bool) -> None:
    config = Config.from_env()
    with open_services(config) as services:
        base_url = config.public_base_url or "http://127.0.0.1:5000"
        runner = build_worker(config, services, base_url=base_url)
        if once:
            click.echo(f"{runner.run_once()} messages attempted")
            return
        stop = threading.Event()

        def request_stop(_signum: int, _frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        runner.run_forever(stop)


@click.group(help="Who is on call, in the order they are paged.")
def oncall() -> None:
    pass


@oncall.command("add", help="Add a person at the end of an establishment's escalation chain.")
@click.option("--establishment", "code", required=True, help="Establishment code, e.g. DEM.")
@click.option("--role", type=click.Choice(ON_CALL_ROLES), required=True)
@click.option("--name", required=True)
@click.option("--email", default=None)
@click.option("--phone", default=None, help="E.164, e.g. +447700900123, for SMS and calls.")
def oncall_add(code: str, role: str, name: str, email: str | None, phone: str | None) -> None:
    with open_services(Config.from_env()) as services, services.db.transaction() as session:
        establishment = _establishment_or_exit(session, code)
        try:
            add_oncall_contact(
                session, by=ServerOperator("system:cli"), establishment_id=establishment.id,
                role=role, display_name=name, email=email, phone=phone, clock=services.clock,
            )  # fmt: skip
        except AdminRefused as refused:
            click.echo(_ONCALL_REFUSALS.get(refused.code, str(refused)), err=True)
            sys.exit(2)
    click.echo(f"added {name} ({role}) to the chain of {code}")


_ONCALL_REFUSALS = {
    "no_way_to_reach": "Give an email address, a phone number, or both.",
    "phone": "Give the phone number in E.164 form, e.g. +447700900123.",
    "email": "That is not an email address.",
    "name": "Give a name of 1 to 120 characters.",
}


@oncall.command("list", help="Show an establishment's escalation chain.")
@click.option("--establishment", "code", required=True)
def oncall_list(code: str) -> None:
    with open_services(Config.from_env()) as services, services.db.transaction() as session:
        establishment = _establishment_or_exit(session, code)
        for contact in on_call_chain(session, establishment.id):
            reach = ", ".join(filter(None, [display_phone_number(contact.phone), contact.email]))
            click.echo(
                f"{contact.chain_position:>3}  {contact.role:<14} {contact.display_name}  {reach}"
            )


def _establishment_or_exit(session: Session, code: str) -> Establishment:
    establishment = session.scalars(
        select(Establishment).where(Establishment.code == code)
    ).one_or_none()
    if establishment is None:
        click.echo(f"No establishment with code {code!r}.", err=True)
        sys.exit(2)
    return establishment
