"""Administration of kiosk devices (register, a one-time enrolment link, revoke) and of the
safeguarding phone lines that route calls to an establishment."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.admin_rules import AdminRefused, NotManaged
from safeguarding.enrolment import ENROLMENT_LIFETIME
from safeguarding.places_admin import add_phone_line as add_phone_line_rule
from safeguarding.places_admin import kiosk_enrolment, register_kiosk
from safeguarding.places_admin import remove_phone_line as remove_phone_line_rule
from safeguarding.places_admin import revoke_kiosk as revoke_kiosk_rule
from storage.ids import parse_row_id
from storage.models import Establishment, KioskDevice, PhoneLine
from triage.admin_common import managed_establishment, refusal_message
from triage.guard import config, current_principal, services

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


def add_kiosk(establishment_id: int) -> ResponseReturnValue:
    svc = services()
    with svc.db.transaction() as session:
        establishment = managed_establishment(session, establishment_id)
        wanted = request.form.get("kiosk_location", "")
        try:
            device = register_kiosk(
                session, by=current_principal(), establishment_id=establishment.id,
                label=request.form.get("kiosk_label", ""),
                location_id=(parse_row_id(wanted) or -1) if wanted else None, clock=svc.clock,
            )  # fmt: skip
        except AdminRefused as refused:
            errors = {refused.field: refusal_message(refused)}
            return render_devices(session, establishment, errors), 400
        return _with_link(session, establishment, device.id)


def kiosk_link(establishment_id: int, device_id: int) -> ResponseReturnValue:
    with services().db.transaction() as session:
        establishment = managed_establishment(session, establishment_id)
        return _with_link(session, establishment, device_id)


def _with_link(
    session: Session, establishment: Establishment, device_id: int
) -> ResponseReturnValue:
    """A fresh one-time link (any earlier one stops working), shown once on this page."""
    svc = services()
    try:
        device, token = kiosk_enrolment(
            session, by=current_principal(), establishment_id=establishment.id,
            device_id=device_id, pepper=svc.secrets.code_pepper, clock=svc.clock,
        )  # fmt: skip
    except NotManaged:
        abort(404)
    except AdminRefused as refused:
        errors = {refused.field: refusal_message(refused)}
        return render_devices(session, establishment, errors), 400
    # The kiosk's own address for it, without importing the kiosk. The token goes after
    # "#": browsers never send a fragment, so it reaches no access log.
    base = config().public_base_url or request.url_root
    url = f"{base.rstrip('/')}/kiosk/enrol#{token}"
    return render_devices(session, establishment, {}, enrolment_url=url, enrolled_device=device)


def revoke_kiosk(establishment_id: int, device_id: int) -> ResponseReturnValue:
    svc = services()
    with svc.db.transaction() as session:
        managed_establishment(session, establishment_id)
        try:
            revoke_kiosk_rule(
                session, by=current_principal(), establishment_id=establishment_id,
                device_id=device_id, clock=svc.clock,
            )  # fmt: skip
        except NotManaged:
            abort(404)
    flash("kiosk_revoked")
    return redirect(url_for("triage.admin_devices", establishment_id=establishment_id))


def add_phone_line(establishment_id: int) -> ResponseReturnValue:
    svc = services()
    with svc.db.transaction() as session:
        establishment = managed_establishment(session, establishment_id)
        try:
            add_phone_line_rule(
                session, by=current_principal(), establishment_id=establishment.id,
                number=request.form.get("line_number", ""),
                label=request.form.get("line_label", ""), clock=svc.clock,
            )  # fmt: skip
        except AdminRefused as refused:
            errors = {refused.field: refusal_message(refused)}
            return render_devices(session, establishment, errors), 400
    flash("phone_line_added")
    return redirect(url_for("triage.admin_devices", establishment_id=establishment_id))


def remove_phone_line(establishment_id: int, line_id: int) -> ResponseReturnValue:
    svc = services()
    with svc.db.transaction() as session:
        establishment = managed_establishment(session, establishment_id)
        try:
            remove_phone_line_rule(
                session, by=current_principal(), establishment_id=establishment_id,
                line_id=line_id, clock=svc.clock,
            )  # fmt: skip
        except NotManaged:
            abort(404)
        except AdminRefused as refused:
            errors = {refused.field: refusal_message(refused)}
            return render_devices(session, establishment, errors), 400
    flash("phone_line_removed")
    return redirect(url_for("triage.admin_devices", establishment_id=establishment_id))
