"""Kiosk devices: enrolling a screen with a one-time link, recognising it, limiting what it sends.

Only a registered kiosk may take reports. An admin registers a device for an establishment
(and a location), ``issue_kiosk_enrolment`` gives a one-time link, and opening that link on
the screen swaps it for a long random device secret kept in a cookie. The database holds
keyed hashes of both, never the values.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from safeguarding.admin_rules import ServerOperator
from safeguarding.clock import Clock
from safeguarding.codes import keyed_hash
from safeguarding.errors import SafeguardingError
from safeguarding.places_admin import register_kiosk
from safeguarding.policy import KioskLimits
from storage.models import Establishment, KioskDevice
from storage.repositories.audit import append_audit
from storage.repositories.drafts import (
    EnrolledKiosk,
    count_reports_from_device,
    find_device_by_enrolment_hash,
    find_device_by_label,
    find_enrolled_kiosk,
    find_establishment_by_code,
)

DEVICE_SECRET_BYTES = 32
_MAX_TOKEN_CHARS = 128  # anything longer is not one of ours: refuse before touching the database


class EnrolmentRefused(SafeguardingError):
    """The enrolment link is unknown, used already, expired, or for a revoked device."""


class KioskRateLimited(SafeguardingError):
    """This kiosk has sent as many reports as it may for now."""


class UnknownPlace(SafeguardingError):
    """No establishment or location by that name."""


@dataclass(frozen=True)
class SubmissionLimit:
    """How many reports one kiosk may send in a window. A real report takes minutes to make,
    so this only stops a flood (a stuck key, a script) from burying real reports."""

    max_reports: int = 10
    window: timedelta = timedelta(minutes=30)


KIOSK_SUBMISSION_LIMIT = SubmissionLimit()


def device_token_hash(pepper: bytes, device_secret: str) -> str:
    return keyed_hash(pepper, "kiosk-device", device_secret)


def redeem_enrolment(
    session: Session, *, token: str, pepper: bytes, clock: Clock
) -> tuple[KioskDevice, str]:
    """Swap a one-time enrolment token for a device secret; the token stops working.

    Enrolling again replaces the earlier secret, so only the newest screen is the kiosk.
    """
    if not token or len(token) > _MAX_TOKEN_CHARS:
        raise EnrolmentRefused()
    device = find_device_by_enrolment_hash(session, keyed_hash(pepper, "kiosk-enrolment", token))
    now = clock.now()
    if (
        device is None
        or device.revoked_at is not None
        or device.enrolment_expires_at is None
        or device.enrolment_expires_at <= now
    ):
        raise EnrolmentRefused()
    device_secret = secrets.token_urlsafe(DEVICE_SECRET_BYTES)
    device.device_token_hash = device_token_hash(pepper, device_secret)
    device.enrolment_token_hash = None
    device.enrolment_expires_at = None
    device.enrolled_at = now
    session.flush()
    append_audit(
        session, at=now, actor="kiosk", action="kiosk.enrolled", detail={"device_id": device.id},
        establishment_id=device.establishment_id,
    )  # fmt: skip
    return device, device_secret


def recognise_kiosk(session: Session, *, device_secret: str, pepper: bytes) -> EnrolledKiosk | None:
    """The enrolled, unrevoked device that holds this secret, or None; with its
    establishment's place_version from the same read, which every kiosk request needs
    before it may use the place cache."""
    if not device_secret or len(device_secret) > _MAX_TOKEN_CHARS:
        return None
    return find_enrolled_kiosk(session, device_token_hash(pepper, device_secret))


def register_device(
    session: Session,
    *,
    establishment_code: str,
    label: str,
    location_name: str | None,
    clock: Clock,
    actor: str,
) -> KioskDevice:
    """The device called ``label`` at this establishment, created if it is new (the command
    line names places; the one way to create a kiosk is places_admin.register_kiosk)."""
    establishment = find_establishment_by_code(session, establishment_code)
    if establishment is None:
        raise UnknownPlace(f"no establishment with code {establishment_code!r}")
    location_id: int | None = None
    if location_name is not None:
        location_id = next(
            (place.id for place in establishment.locations if place.name == location_name), None
        )
        if location_id is None:
            raise UnknownPlace(f"no location {location_name!r} at {establishment_code}")
    device = find_device_by_label(session, establishment.id, label)
    if device is not None:
        if location_id is not None:
            device.location_id = location_id
        return device
    return register_kiosk(
        session, by=ServerOperator(actor), establishment_id=establishment.id, label=label,
        location_id=location_id, clock=clock,
    )  # fmt: skip


def submission_limit(limits: KioskLimits, establishment: Establishment) -> SubmissionLimit:
    """The policy's limit, or the establishment's own number of reports where it set one."""
    own = establishment.kiosk_reports_limit
    return SubmissionLimit(
        max_reports=own if own is not None and own > 0 else limits.reports_per_device,
        window=limits.reports_window,
    )


def check_kiosk_rate(
    session: Session, device_id: int, establishment_id: int, limits: KioskLimits, clock: Clock
) -> None:
    """Raise KioskRateLimited when this device has sent the limit its establishment keeps."""
    establishment = session.get(Establishment, establishment_id)
    assert establishment is not None
    limit = submission_limit(limits, establishment)
    check_submission_rate(session, device_id=device_id, clock=clock, limit=limit)


def check_submission_rate(
    session: Session,
    *,
    device_id: int,
    clock: Clock,
    limit: SubmissionLimit = KIOSK_SUBMISSION_LIMIT,
) -> None:
    """Raise KioskRateLimited when this device has sent its limit within the window."""
    since = clock.now() - limit.window
    if count_reports_from_device(session, device_id=device_id, since=since) >= limit.max_reports:
        raise KioskRateLimited()
