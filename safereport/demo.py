"""The demo establishment, HMP Demo: wings, a kiosk, a phone line and staff to try it all."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.enrolment import invite_staff, issue_kiosk_enrolment, reissue_staff_setup
from safeguarding.services import Services
from storage.models import (
    Establishment,
    KioskDevice,
    Location,
    OnCallContact,
    PhoneLine,
    StaffUser,
)

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
)
DEMO_STAFF = (
    ("admin@demo.safereport.invalid", "Demo Admin", "admin"),
    ("lead@demo.safereport.invalid", "Demo Safeguarding Lead", "lead"),
    ("deputy@demo.safereport.invalid", "Demo Deputy", "deputy"),
    ("governor@demo.safereport.invalid", "Demo Duty Governor", "governor"),
    ("auditor@demo.safereport.invalid", "Demo Auditor", "auditor"),
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


def _create_demo(session: Session, services: Services, languages: list[str]) -> Establishment:
    now = services.clock.now()
    establishment = Establishment(
        code=DEMO_CODE, name="HMP Demo", languages=",".join(languages), created_at=now
    )
    session.add(establishment)
    session.flush()
    locations = [
        Location(establishment_id=establishment.id, name=name, position=i)
        for i, name in enumerate(DEMO_LOCATIONS)
    ]
    session.add_all(locations)
    session.flush()
    session.add(
        KioskDevice(
            establishment_id=establishment.id,
            location_id=locations[0].id,
            label="A Wing kiosk",
            created_at=now,
        )
    )
    session.add(
        PhoneLine(
            establishment_id=establishment.id,
            number=DEMO_PHONE_NUMBER,
            label="HMP Demo safeguarding line",
            created_at=now,
        )
    )
    session.add_all(
        OnCallContact(
            establishment_id=establishment.id,
            chain_position=position,
            role=role,
            display_name=name,
            email=email,
            phone=phone,
            created_at=now,
        )
        for position, (role, name, email, phone) in enumerate(DEMO_ON_CALL, start=1)
    )
    session.flush()
    return establishment


def _fresh_admin_setup(session: Session, services: Services, establishment_id: int) -> str | None:
    """Invite the demo staff once; while the admin has not set up, re-issue their link."""
    pepper = services.secrets.code_pepper
    admin_email = DEMO_STAFF[0][0]
    admin = session.scalars(select(StaffUser).where(StaffUser.email == admin_email)).one_or_none()
    if admin is not None:
        if admin.password_hash is not None:
            return None
        return reissue_staff_setup(
            session, user=admin, pepper=pepper, clock=services.clock, actor="system:demo"
        )
    token: str | None = None
    for email, name, role in DEMO_STAFF:
        exists = session.scalars(select(StaffUser).where(StaffUser.email == email)).one_or_none()
        if exists is not None:
            continue
        _user, invite = invite_staff(
            session,
            email=email,
            display_name=name,
            role=role,
            establishment_ids=[establishment_id],
            pepper=pepper,
            clock=services.clock,
            actor="system:demo",
        )
        if role == "admin":
            token = invite
    return token


def links_as_urls(links: DemoLinks, *, base: str) -> dict[str, str | None]:
    admin = links.admin_setup_token
    return {
        "kiosk": f"{base}/kiosk/enrol/{links.kiosk_enrolment_token}",
        "phone_simulator": f"{base}/ivr/simulator",
        "ivr_voice_webhook": f"{base}/ivr/voice",
        "triage": f"{base}/triage/",
        "first_admin_setup": f"{base}/triage/setup/{admin}" if admin else None,
        "phone_number": links.phone_number,
    }
