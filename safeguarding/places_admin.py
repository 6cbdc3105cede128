"""An establishment's wings and places, phone lines and kiosks: one function per change,
called by the administration pages, the command line and the demo."""

from __future__ import annotations

import json
import re
from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safeguarding.admin_rules import (
    MAX_NAME_CHARS,
    AdminRefused,
    Manager,
    NotManaged,
    ServerOperator,
    audit,
    clean_name,
    clean_phone,
    move_in_order,
    require_establishment,
)
from safeguarding.clock import Clock
from safeguarding.enrolment import issue_kiosk_enrolment
from safeguarding.language_reviews import unreviewed
from storage.models import CallSession, Establishment, KioskDevice, Location, PhoneLine, Report

ESTABLISHMENT_CODE = re.compile(r"^[A-Z0-9]{2,16}$")


def managed_establishment(session: Session, *, by: Manager, establishment_id: int) -> Establishment:
    require_establishment(by, establishment_id)
    establishment = session.get(Establishment, establishment_id)
    if establishment is None:
        raise NotManaged()
    return establishment


def _location(session: Session, by: Manager, establishment_id: int, location_id: int) -> Location:
    establishment = managed_establishment(session, by=by, establishment_id=establishment_id)
    location = next((loc for loc in establishment.locations if loc.id == location_id), None)
    if location is None:
        raise NotManaged()
    return location


def add_location(
    session: Session, *, by: Manager, establishment_id: int, name: str, clock: Clock
) -> Location:
    establishment = managed_establishment(session, by=by, establishment_id=establishment_id)
    name = clean_name(name, field="location_name")
    last = max((loc.position for loc in establishment.locations), default=0)
    location = Location(establishment_id=establishment.id, name=name, position=last + 1)
    session.add(location)
    session.flush()
    session.refresh(establishment, ["locations"])
    audit(
        session, by=by, clock=clock, action="admin.location_added",
        establishment_id=establishment.id, location_id=location.id,
    )  # fmt: skip
    return location


def rename_location(
    session: Session, *, by: Manager, establishment_id: int, location_id: int, name: str,
    clock: Clock,
) -> None:  # fmt: skip
    location = _location(session, by, establishment_id, location_id)
    location.name = clean_name(name, field=f"location-{location_id}")
    audit(
        session, by=by, clock=clock, action="admin.location_renamed",
        establishment_id=establishment_id, location_id=location_id,
    )  # fmt: skip


def move_location(
    session: Session, *, by: Manager, establishment_id: int, location_id: int, step: int,
    clock: Clock,
) -> None:  # fmt: skip
    location = _location(session, by, establishment_id, location_id)
    establishment = managed_establishment(session, by=by, establishment_id=establishment_id)
    move_in_order(list(establishment.locations), location, step, attribute="position")
    audit(
        session, by=by, clock=clock, action=f"admin.location_{'up' if step < 0 else 'down'}",
        establishment_id=establishment_id, location_id=location_id,
    )  # fmt: skip


def remove_location(
    session: Session, *, by: Manager, establishment_id: int, location_id: int, clock: Clock
) -> None:
    location = _location(session, by, establishment_id, location_id)
    # A report keeps the place it was about and the kiosk it was sent from: both stay named.
    in_use = session.scalar(
        select(func.count())
        .select_from(Report)
        .where((Report.location_id == location.id) | (Report.sent_from_location_id == location.id))
    ) or session.scalar(
        select(func.count()).select_from(KioskDevice).where(KioskDevice.location_id == location.id)
    )
    if in_use:
        raise AdminRefused(f"location-{location_id}", "in_use")
    session.delete(location)
    audit(
        session, by=by, clock=clock, action="admin.location_removed",
        establishment_id=establishment_id, location_id=location_id,
    )  # fmt: skip


def add_phone_line(
    session: Session, *, by: Manager, establishment_id: int, number: str, label: str,
    clock: Clock,
) -> PhoneLine:  # fmt: skip
    establishment = managed_establishment(session, by=by, establishment_id=establishment_id)
    number = clean_phone(number, field="line_number")
    if session.scalar(select(func.count()).where(PhoneLine.number == number)):
        raise AdminRefused("line_number", "taken")
    label = label.strip()
    if len(label) > MAX_NAME_CHARS:
        raise AdminRefused("line_label", "too_long")
    line = PhoneLine(
        establishment_id=establishment.id, number=number, label=label, created_at=clock.now()
    )
    session.add(line)
    session.flush()
    audit(
        session, by=by, clock=clock, action="admin.phone_line_added",
        establishment_id=establishment.id, line_id=line.id,
    )  # fmt: skip
    return line


def remove_phone_line(
    session: Session, *, by: Manager, establishment_id: int, line_id: int, clock: Clock
) -> None:
    require_establishment(by, establishment_id)
    line = session.get(PhoneLine, line_id)
    if line is None or line.establishment_id != establishment_id:
        raise NotManaged()
    used = session.scalar(
        select(func.count()).select_from(Report).where(Report.phone_line_id == line.id)
    ) or session.scalar(
        select(func.count()).select_from(CallSession).where(CallSession.phone_line_id == line.id)
    )
    if used:
        raise AdminRefused(f"line-{line_id}", "in_use")
    session.delete(line)
    audit(
        session, by=by, clock=clock, action="admin.phone_line_removed",
        establishment_id=establishment_id, line_id=line_id,
    )  # fmt: skip


def register_kiosk(
    session: Session, *, by: Manager, establishment_id: int, label: str,
    location_id: int | None, clock: Clock,
) -> KioskDevice:  # fmt: skip
    """A new kiosk device (it takes reports only once enrolled with a one-time link)."""
    establishment = managed_establishment(session, by=by, establishment_id=establishment_id)
    label = clean_name(label, field="kiosk_label")
    if location_id is not None and location_id not in {loc.id for loc in establishment.locations}:
        raise AdminRefused("kiosk_location", "choice")
    device = KioskDevice(
        establishment_id=establishment.id, location_id=location_id, label=label,
        created_at=clock.now(),
    )  # fmt: skip
    session.add(device)
    session.flush()
    audit(
        session, by=by, clock=clock, action="kiosk.registered",
        establishment_id=establishment.id, device_id=device.id,
    )  # fmt: skip
    return device


def managed_kiosk(
    session: Session, *, by: Manager, establishment_id: int, device_id: int
) -> KioskDevice:
    require_establishment(by, establishment_id)
    device = session.get(KioskDevice, device_id)
    if device is None or device.establishment_id != establishment_id:
        raise NotManaged()
    return device


def kiosk_enrolment(
    session: Session, *, by: Manager, establishment_id: int, device_id: int, pepper: bytes,
    clock: Clock,
) -> tuple[KioskDevice, str]:  # fmt: skip
    """A fresh one-time enrolment token (any earlier one stops working)."""
    device = managed_kiosk(session, by=by, establishment_id=establishment_id, device_id=device_id)
    if device.revoked_at is not None:
        raise AdminRefused(f"kiosk-{device_id}", "revoked")
    token = issue_kiosk_enrolment(
        session, device=device, pepper=pepper, clock=clock, actor=by.actor
    )
    return device, token


def revoke_kiosk(
    session: Session, *, by: Manager, establishment_id: int, device_id: int, clock: Clock
) -> None:
    device = managed_kiosk(session, by=by, establishment_id=establishment_id, device_id=device_id)
    if device.revoked_at is not None:
        return
    device.revoked_at = clock.now()
    # The screen's cookie and any enrolment link stop working at once.
    device.device_token_hash = None
    device.enrolment_token_hash = None
    device.enrolment_expires_at = None
    audit(
        session, by=by, clock=clock, action="kiosk.revoked",
        establishment_id=establishment_id, device_id=device_id,
    )  # fmt: skip


def create_establishment(
    session: Session, *, by: ServerOperator, code: str, name: str, languages: list[str],
    clock: Clock,
) -> Establishment:  # fmt: skip
    """A new establishment. Only the server operator (``safereport establishment add``)
    creates one: an administrator who could would administer a prison nobody gave them."""
    code = code.strip().upper()
    if not ESTABLISHMENT_CODE.match(code):
        raise AdminRefused("code", "code")
    if session.scalar(select(func.count()).where(Establishment.code == code)):
        raise AdminRefused("code", "taken")
    establishment = Establishment(
        code=code, name=clean_name(name, field="name"), languages=",".join(languages) or "en",
        created_at=clock.now(),
    )  # fmt: skip
    session.add(establishment)
    session.flush()
    audit(
        session, by=by, clock=clock, action="admin.establishment_created",
        establishment_id=establishment.id,
    )  # fmt: skip
    return establishment


# A kiosk clears itself after this long untouched: long enough to read slowly, short
# enough that the next person at a shared screen does not find someone's answers.
IDLE_SECONDS = (30, 600)


def settings_problems(
    *, name: str, kiosk_idle_seconds: int | None, languages: list[str]
) -> list[AdminRefused]:
    """Everything wrong with an establishment's settings at once (a form shows them all)."""
    problems = []
    try:
        clean_name(name, field="name")
    except AdminRefused as refused:
        problems.append(refused)
    low, high = IDLE_SECONDS
    if kiosk_idle_seconds is None or not low <= kiosk_idle_seconds <= high:
        problems.append(AdminRefused("kiosk_idle_seconds", "range"))
    if not languages:
        problems.append(AdminRefused("languages", "none"))
    return problems


class UnreviewedLanguages(AdminRefused):
    """Offering a language no fluent person has checked needs the administrator to confirm."""

    def __init__(self, codes: list[str]) -> None:
        super().__init__("confirm_unreviewed", "unreviewed")
        self.codes = codes


def unreviewed_additions(
    session: Session, establishment: Establishment, languages: list[str],
    *, shipped_reviewed: Collection[str],
) -> list[str]:  # fmt: skip
    """Languages this change would newly offer whose translation nobody has reviewed."""
    added = [code for code in languages if code not in establishment.language_codes]
    return unreviewed(session, added, shipped_reviewed=shipped_reviewed)


def update_establishment(
    session: Session, *, by: Manager, establishment_id: int, name: str,
    kiosk_idle_seconds: int | None, languages: list[str], say_voices: str,
    keep_caller_number: bool, high_alert_names_wing: bool, confirmed_unreviewed: bool,
    shipped_reviewed: Collection[str], clock: Clock, immediate_alert_names_wing: bool = True,
) -> None:  # fmt: skip
    """``languages`` in the order people see them; ``say_voices`` as speech.say_voices
    writes it (checked there: voices are the speech package's rule)."""
    establishment = managed_establishment(session, by=by, establishment_id=establishment_id)
    problems = settings_problems(
        name=name, kiosk_idle_seconds=kiosk_idle_seconds, languages=languages
    )
    if problems:
        raise problems[0]
    newly_unreviewed = unreviewed_additions(
        session, establishment, languages, shipped_reviewed=shipped_reviewed
    )
    if newly_unreviewed and not confirmed_unreviewed:
        raise UnreviewedLanguages(newly_unreviewed)
    assert kiosk_idle_seconds is not None
    establishment.name = name.strip()
    establishment.kiosk_idle_seconds = kiosk_idle_seconds
    establishment.languages = ",".join(languages)
    establishment.say_voices = say_voices
    establishment.keep_caller_number = keep_caller_number
    establishment.high_alert_names_wing = high_alert_names_wing
    establishment.immediate_alert_names_wing = immediate_alert_names_wing
    if newly_unreviewed:
        audit(
            session, by=by, clock=clock, action="admin.unreviewed_language_offered",
            establishment_id=establishment.id, languages=newly_unreviewed,
        )  # fmt: skip
    audit(
        session, by=by, clock=clock, action="admin.establishment_updated",
        establishment_id=establishment.id, say_voices=sorted(_voice_languages(say_voices)),
        keep_caller_number=keep_caller_number, high_alert_names_wing=high_alert_names_wing,
        immediate_alert_names_wing=immediate_alert_names_wing,
    )  # fmt: skip


def _voice_languages(say_voices: str) -> list[str]:
    return list(json.loads(say_voices or "{}"))
