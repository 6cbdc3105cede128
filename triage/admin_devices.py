"""Administration of kiosk devices (register, a one-time enrolment link, revoke) and of the
safeguarding phone lines that route calls to an establishment."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safeguarding.enrolment import ENROLMENT_LIFETIME, issue_kiosk_enrolment
from storage.models import CallSession, Establishment, KioskDevice, PhoneLine, Report
from triage.admin_common import (
    MAX_NAME_CHARS,
    audit_admin,
    managed_establishment,
    name_problem,
    phone_problem,
)
from triage.guard import config, current_principal, services
from triage.i18n import _

PREFIX = "/admin/establishments/<int:establishment_id>"


def register(bp: Blueprint) -> None:
    bp.add_url_rule(f"{PREFIX}/devices", "admin_devices", devices)
    bp.add_url_rule(f"{PREFIX}/kiosks", "admin_kiosk_add", add_kiosk, methods=["POST"])
    bp.add_url_rule(
        f"{PREFIX}/kiosks/<int:device_id>/link", "admin_kiosk_link", kiosk_link, methods=["POST"]
    )
    bp.add_url_rule(
        f"{PREFIX}/kiosks/<int:device_id>/revoke",
        "admin_kiosk_revoke",
        revoke_kiosk,
        methods=["POST"],
    )
    bp.add_url_rule(
        f"{PREFIX}/phone-lines", "admin_phone_line_add", add_phone_line, methods=["POST"]
    )
    bp.add_url_rule(
        f"{PREFIX}/phone-lines/<int:line_id>/remove",
        "admin_phone_line_remove",
        remove_phone_line,
        methods=["POST"],
    )


def devices(establishment_id: int) -> ResponseReturnValue:
    with services().db.transaction() as session:
        establishment = managed_establishment(session, establishment_id)
        return render_devices(session, establishment, {})


def render_devices(
    session: Session,
    establishment: Establishment,
    errors: dict[str, str],
    *,
    enrolment_url: str | None = None,
    enrolled_device: KioskDevice | None = None,
) -> str:
    kiosks = session.scalars(
        select(KioskDevice)
        .where(KioskDevice.establishment_id == establishment.id)
        .order_by(KioskDevice.revoked_at.is_not(None), KioskDevice.label)
    ).all()
    lines = session.scalars(
        select(PhoneLine)
        .where(PhoneLine.establishment_id == establishment.id)
        .order_by(PhoneLine.id)
    ).all()
    return render_template(
        "triage/admin_devices.html",
        establishment=establishment,
        kiosks=kiosks,
        lines=lines,
        location_names={loc.id: loc.name for loc in establishment.locations},
        location_options=[(str(loc.id), loc.name) for loc in establishment.locations],
        enrolment_url=enrolment_url,
        enrolled_device=enrolled_device,
        lifetime_hours=int(ENROLMENT_LIFETIME.total_seconds() // 3600),
        form=request.form if errors else {},
        errors=errors,
        section="devices",
        now=services().clock.now(),
    )


def _device(session: Session, establishment: Establishment, device_id: int) -> KioskDevice:
    device = session.get(KioskDevice, device_id)
    if device is None or device.establishment_id != establishment.id:
        abort(404)
    return device


def add_kiosk(establishment_id: int) -> ResponseReturnValue:
    with services().db.transaction() as session:
        establishment = managed_establishment(session, establishment_id)
        errors = {}
        problem = name_problem(request.form.get("kiosk_label", ""))
        if problem:
            errors["kiosk_label"] = problem
        wanted = request.form.get("kiosk_location", "")
        places = {str(loc.id): loc.id for loc in establishment.locations}
        if wanted and wanted not in places:
            # Translators: error on the new kiosk form.
            errors["kiosk_location"] = _("Choose a wing or place from the list.")
        if errors:
            return render_devices(session, establishment, errors), 400
        device = KioskDevice(
            establishment_id=establishment.id,
            location_id=places.get(wanted),
            label=request.form["kiosk_label"].strip(),
            created_at=services().clock.now(),
        )
        session.add(device)
        session.flush()
        audit_admin(
            session, "kiosk.registered", establishment_id=establishment.id, device_id=device.id
        )
        return _with_link(session, establishment, device)


def kiosk_link(establishment_id: int, device_id: int) -> ResponseReturnValue:
    with services().db.transaction() as session:
        establishment = managed_establishment(session, establishment_id)
        device = _device(session, establishment, device_id)
        if device.revoked_at is not None:
            # Translators: error when asking for an enrolment link for a revoked kiosk.
            message = _("This kiosk was revoked. Register a new kiosk instead.")
            return render_devices(session, establishment, {f"kiosk-{device.id}": message}), 400
        return _with_link(session, establishment, device)


def _with_link(session: Session, establishment: Establishment, device: KioskDevice) -> str:
    """A fresh one-time link (any earlier one stops working), shown once on this page."""
    token = issue_kiosk_enrolment(
        session,
        device=device,
        pepper=services().secrets.code_pepper,
        clock=services().clock,
        actor=current_principal().actor,
    )
    # The kiosk's own address for it (/kiosk/enrol/<token>), without importing the kiosk.
    base = config().public_base_url or request.url_root
    url = f"{base.rstrip('/')}/kiosk/enrol/{token}"
    return render_devices(session, establishment, {}, enrolment_url=url, enrolled_device=device)


def revoke_kiosk(establishment_id: int, device_id: int) -> ResponseReturnValue:
    with services().db.transaction() as session:
        establishment = managed_establishment(session, establishment_id)
        device = _device(session, establishment, device_id)
        if device.revoked_at is None:
            device.revoked_at = services().clock.now()
            # The screen's cookie and any enrolment link stop working at once.
            device.device_token_hash = None
            device.enrolment_token_hash = None
            device.enrolment_expires_at = None
            audit_admin(
                session, "kiosk.revoked", establishment_id=establishment.id, device_id=device.id
            )
    flash("kiosk_revoked")
    return redirect(url_for("triage.admin_devices", establishment_id=establishment_id))


def add_phone_line(establishment_id: int) -> ResponseReturnValue:
    with services().db.transaction() as session:
        establishment = managed_establishment(session, establishment_id)
        number = request.form.get("line_number", "").strip()
        errors = {}
        problem = phone_problem(number)
        if problem:
            errors["line_number"] = problem
        elif session.scalar(select(func.count()).where(PhoneLine.number == number)):
            # Translators: error on the new phone line form.
            errors["line_number"] = _("This number is already in use.")
        label = request.form.get("line_label", "").strip()
        if len(label) > MAX_NAME_CHARS:
            # Translators: error on the new phone line form.
            errors["line_label"] = _("Use up to %(most)d characters.", most=MAX_NAME_CHARS)
        if errors:
            return render_devices(session, establishment, errors), 400
        line = PhoneLine(
            establishment_id=establishment.id, number=number, label=label,
            created_at=services().clock.now(),
        )  # fmt: skip
        session.add(line)
        session.flush()
        audit_admin(
            session, "admin.phone_line_added", establishment_id=establishment.id, line_id=line.id
        )
    flash("phone_line_added")
    return redirect(url_for("triage.admin_devices", establishment_id=establishment_id))


def remove_phone_line(establishment_id: int, line_id: int) -> ResponseReturnValue:
    with services().db.transaction() as session:
        establishment = managed_establishment(session, establishment_id)
        line = session.get(PhoneLine, line_id)
        if line is None or line.establishment_id != establishment.id:
            abort(404)
        used = session.scalar(
            select(func.count()).select_from(Report).where(Report.phone_line_id == line.id)
        ) or session.scalar(
            select(func.count())
            .select_from(CallSession)
            .where(CallSession.phone_line_id == line.id)
        )
        if used:
            # Translators: error when removing a phone line that calls or reports came in on.
            message = _(
                "Calls came in on this number, so it stays on record. It cannot be removed."
            )
            return render_devices(session, establishment, {f"line-{line.id}": message}), 400
        session.delete(line)
        audit_admin(
            session, "admin.phone_line_removed", establishment_id=establishment.id, line_id=line_id
        )
    flash("phone_line_removed")
    return redirect(url_for("triage.admin_devices", establishment_id=establishment_id))
