"""The demo establishment, HMP Demo: wings, a kiosk, a phone line and staff to try it all."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.admin_rules import ServerOperator
from safeguarding.enrolment import issue_kiosk_enrolment
from safeguarding.oncall_admin import add_oncall_contact
from safeguarding.places_admin import (
    add_location,
    add_phone_line,
    create_establishment,
    register_kiosk,
)
from safeguarding.services import Services
from safeguarding.staff_admin import invite_member, reset_sign_in
from storage.models import Establishment, KioskDevice, StaffUser

DEMO_CODE = "DEM"
# Ofcom reserves 01632 960000-960999 for drama: it can never ring a real person.
DEMO_PHONE_NUMBER = "+441632960001"
DEMO_LOCATIONS = (
    "A Wing",
    "B Wing",
    "C Wing",
    "Healthcare",
    "Education",
    "Workshops",
    "Gym",
    "Visits",
    "Segregation unit",
)
# Demo alerts go to instance/demo-alerts.jsonl unless SMTP or Twilio is configured.
DEMO_ON_CALL = (
    ("lead", "Demo Safeguarding Lead", "lead@demo.safereport.invalid", "+441632960101"),
    ("deputy", "Demo Deputy", "deputy@demo.safereport.invalid", "+441632960102"),
    ("duty_governor", "Demo Duty Governor", "governor@demo.safereport.invalid", "+441632960103"),
    (
        "independent_reviewer",
        "Demo Independent Reviewer",
        "reviewer@demo.safereport.invalid",
        "+441632960104",
    ),
)
DEMO_STAFF = (
    ("admin@demo.safereport.invalid", "Demo Admin", "admin"),
    ("lead@demo.safereport.invalid", "Demo Safeguarding Lead", "lead"),
    ("deputy@demo.safereport.invalid", "Demo Deputy", "deputy"),
    ("governor@demo.safereport.invalid", "Demo Duty Governor", "governor"),
    ("auditor@demo.safereport.invalid", "Demo Auditor", "auditor"),
    ("reviewer@demo.safereport.invalid", "Demo Independent Reviewer", "reviewer"),
)


@dataclass(frozen=True)
class DemoLinks:
    establishment_id: int
    kiosk_enrolment_token: str
    admin_setup_token: str | None  # None once the admin has set up their account
    phone_number: str


def ensure_demo(services: Services, *, languages: list[str]) -> DemoLinks:
    """Create HMP Demo if missing (reusing it otherwise) and issue fresh one-time links."""
    with services.db.transaction() as session:
        establishment = session.scalars(
            select(Establishment).where(Establishment.code == DEMO_CODE)
        ).one_or_none()
        if establishment is None:
            establishment = _create_demo(session, services, languages)
        else:
            establishment.languages = ",".join(languages)
        device = session.scalars(
            select(KioskDevice).where(KioskDevice.establishment_id == establishment.id)
        ).first()
        assert device is not None
        pepper = services.secrets.code_pepper
        kiosk_token = issue_kiosk_enrolment(
            session, device=device, pepper=pepper, clock=services.clock, actor="system:demo"
        )
        admin_token = _fresh_admin_setup(session, services, establishment.id)
        return DemoLinks(establishment.id, kiosk_token, admin_token, DEMO_PHONE_NUMBER)


_DEMO = ServerOperator("system:demo")


def _create_demo(session: Session, services: Services, languages: list[str]) -> Establishment:
    """Made with the same operations as the command line and the staff pages."""
    clock = services.clock
    establishment = create_establishment(
        session, by=_DEMO, code=DEMO_CODE, name="HMP Demo", languages=languages, clock=clock
    )
    places = [
        add_location(session, by=_DEMO, establishment_id=establishment.id, name=name, clock=clock)
        for name in DEMO_LOCATIONS
    ]
    register_kiosk(
        session, by=_DEMO, establishment_id=establishment.id, label="A Wing kiosk",
        location_id=places[0].id, clock=clock,
    )  # fmt: skip
    add_phone_line(
        session, by=_DEMO, establishment_id=establishment.id, number=DEMO_PHONE_NUMBER,
        label="HMP Demo safeguarding line", clock=clock,
    )  # fmt: skip
    for role, name, email, phone in DEMO_ON_CALL:
        add_oncall_contact(
            session, by=_DEMO, establishment_id=establishment.id, role=role, display_name=name,
            email=email, phone=phone, clock=clock,
        )  # fmt: skip
    return establishment


def _fresh_admin_setup(session: Session, services: Services, establishment_id: int) -> str | None:
    """Invite the demo staff once; while the admin has not set up, re-issue their link."""
    pepper = services.secrets.code_pepper
    admin_email = DEMO_STAFF[0][0]
    admin = session.scalars(select(StaffUser).where(StaffUser.email == admin_email)).one_or_none()
    if admin is not None:
        if admin.password_hash is not None:
            return None
        return reset_sign_in(
            session, by=_DEMO, staff_id=admin.id, pepper=pepper, clock=services.clock
        ).setup_token
    token: str | None = None
    for email, name, role in DEMO_STAFF:
        exists = session.scalars(select(StaffUser).where(StaffUser.email == email)).one_or_none()
        if exists is not None:
            continue
        invited = invite_member(
            session, by=_DEMO, email=email, display_name=name, role=role,
            establishment_ids=[establishment_id], pepper=pepper, clock=services.clock,
        )  # fmt: skip
        if role == "admin":
            token = invited.setup_token
    return token


def links_as_urls(links: DemoLinks, *, base: str) -> dict[str, str | None]:
    admin = links.admin_setup_token
    return {
        "kiosk": f"{base}/kiosk/enrol#{links.kiosk_enrolment_token}",
        "phone_simulator": f"{base}/ivr/simulator",
        "ivr_voice_webhook": f"{base}/ivr/voice",
        "triage": f"{base}/triage/",
        "first_admin_setup": f"{base}/triage/setup#{admin}" if admin else None,
        "phone_number": links.phone_number,
    }
