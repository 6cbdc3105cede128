"""``safereport kiosk enrol``: register a kiosk screen and print its one-time enrolment link.

The composition root (safereport/cli.py) adds the group with what it needs, so the kiosk
does not import safereport: ``main.add_command(make_kiosk_commands(open_services, base_url))``
where ``open_services()`` gives Services for one command and closes them afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import click

from safeguarding.enrolment import ENROLMENT_LIFETIME, issue_kiosk_enrolment
from safeguarding.kiosk_devices import UnknownPlace, register_device
from safeguarding.services import Services

DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def make_kiosk_commands(
    services: Callable[[], AbstractContextManager[Services]],
    public_base_url: Callable[[], str | None],
) -> click.Group:
    @click.group("kiosk", help="Kiosk screens.")
    def kiosk() -> None:
        pass

    @kiosk.command(
        "enrol",
        help="Register a kiosk screen (or enrol it again) and print a one-time enrolment link. "
        "Open the link on the screen itself: it becomes that kiosk.",
    )
    @click.option("--establishment", "code", required=True, help="Establishment code, e.g. DEM.")
    @click.option("--label", required=True, help='A name for the screen, e.g. "A Wing kiosk".')
    @click.option("--location", default=None, help="Where the screen stands (a location name).")
    @click.option("--base-url", default=None, help="Public address of SafeReport.")
    def enrol(code: str, label: str, location: str | None, base_url: str | None) -> None:
        try:
            with services() as built, built.db.transaction() as session:
                device = register_device(
                    session,
                    establishment_code=code,
                    label=label,
                    location_name=location,
                    clock=built.clock,
                    actor="cli:kiosk-enrol",
                )
                token = issue_kiosk_enrolment(
                    session,
                    device=device,
                    pepper=built.secrets.code_pepper,
                    clock=built.clock,
                    actor="cli:kiosk-enrol",
                )
        except UnknownPlace as exc:
            raise click.ClickException(str(exc)) from exc
        base = (base_url or public_base_url() or DEFAULT_BASE_URL).rstrip("/")
        hours = int(ENROLMENT_LIFETIME.total_seconds() // 3600)
        click.echo(f"{base}/kiosk/enrol#{token}")  # after "#": never sent, never logged
        click.echo(
            f"Open this link once, on the kiosk screen {label!r}, within {hours} hours. "
            "Any earlier link for this screen no longer works.",
            err=True,
        )

    return kiosk
