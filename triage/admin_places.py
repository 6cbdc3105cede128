"""Administration of establishments: their settings (languages offered and their order, how
long a kiosk waits before clearing itself) and their wings and places."""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import (
    Establishment,
    KioskDevice,
    Location,
    Report,
    StaffMembership,
)
from translations.languages import LANGUAGES, has_catalog
from triage.admin_common import (
    admin_principal,
    audit_admin,
    managed_establishment,
    name_problem,
    number_in,
)
from triage.admin_phone_settings import (
    phone_settings_problems,
    save_phone_settings,
    voice_rows,
)
from triage.guard import current_principal, services
from triage.i18n import _
from triage.labels import language_name

CODE = re.compile(r"^[A-Z0-9]{2,16}$")
# A kiosk clears itself after this long untouched: long enough to read slowly, short
# enough that the next person at a shared screen does not find someone's answers.
IDLE_SECONDS = (30, 600)


def register(bp: Blueprint) -> None:
    bp.add_url_rule(
        "/admin/establishments", "admin_establishments", establishments, methods=["GET", "POST"]
    )
    bp.add_url_rule(
        "/admin/establishments/<int:establishment_id>",
        "admin_establishment",
        settings,
        methods=["GET", "POST"],
    )
    bp.add_url_rule(
        "/admin/establishments/<int:establishment_id>/locations",
        "admin_location_add",
        add_location,
        methods=["POST"],
    )
    bp.add_url_rule(
        "/admin/establishments/<int:establishment_id>/locations/<int:location_id>",
        "admin_location",
        change_location,
        methods=["POST"],
    )


def _mine(session: Session) -> list[Establishment]:
    ids = sorted(current_principal().establishment_ids)
    return list(
        session.scalars(
            select(Establishment).where(Establishment.id.in_(ids)).order_by(Establishment.name)
        )
    )


def establishments() -> ResponseReturnValue:
    principal = admin_principal()
    form = request.form.to_dict() if request.method == "POST" else {}
    errors: dict[str, str] = {}
    with services().db.transaction() as session:
        if request.method == "POST":
            errors = _new_establishment_problems(session, form)
            if not errors:
                created = Establishment(
                    code=form["code"].strip().upper(),
                    name=form["name"].strip(),
                    languages="en",
                    created_at=services().clock.now(),
                )
                session.add(created)
                session.flush()
                # The administrator who creates it manages it (others are invited to it).
                session.add(
                    StaffMembership(staff_id=principal.staff_id, establishment_id=created.id)
                )
                audit_admin(session, "admin.establishment_created", establishment_id=created.id)
                flash("establishment_created")
                return redirect(url_for("triage.admin_establishment", establishment_id=created.id))
        page = render_template(
            "triage/admin_establishments.html",
            establishments=_mine(session),
            form=form,
            errors=errors,
        )
    return page, (400 if errors else 200)


def _new_establishment_problems(session: Session, form: dict[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    code = form.get("code", "").strip().upper()
    if not CODE.match(code):
        # Translators: error on the new establishment form; DEM is an example code.
        errors["code"] = _("Enter a code of 2 to 16 letters or numbers, like DEM.")
    elif session.scalar(select(func.count()).where(Establishment.code == code)):
        # Translators: error on the new establishment form.
        errors["code"] = _("There is already an establishment with this code.")
    problem = name_problem(form.get("name", ""))
    if problem:
        errors["name"] = problem
    return errors


def settings(establishment_id: int) -> ResponseReturnValue:
    errors: dict[str, str] = {}
    with services().db.transaction() as session:
        establishment = managed_establishment(session, establishment_id)
        if request.method == "POST":
            errors = _save_settings(session, establishment)
            if not errors:
                flash("settings_saved")
                return redirect(
                    url_for("triage.admin_establishment", establishment_id=establishment_id)
                )
        return render_settings(session, establishment, errors), (400 if errors else 200)


def render_settings(session: Session, establishment: Establishment, errors: dict[str, str]) -> str:
    offered = establishment.language_codes
    form = request.form if errors else {}
    return render_template(
        "triage/admin_settings.html",
        establishment=establishment,
        languages=[
            (
                language.code,
                language_name(language.code),
                has_catalog(language.code),
                language.code in offered,
                offered.index(language.code) + 1 if language.code in offered else "",
            )
            for language in LANGUAGES
        ],
        locations=list(establishment.locations),
        voices=voice_rows(establishment, form),
        form=form,
        errors=errors,
        section="settings",
    )


def _save_settings(session: Session, establishment: Establishment) -> dict[str, str]:
    form = request.form
    errors: dict[str, str] = {}
    problem = name_problem(form.get("name", ""))
    if problem:
        errors["name"] = problem
    idle = number_in(form.get("kiosk_idle_seconds", ""), *IDLE_SECONDS)
    if idle is None:
        # Translators: error on the establishment settings form.
        errors["kiosk_idle_seconds"] = _(
            "Enter a number of seconds from %(low)d to %(high)d.",
            low=IDLE_SECONDS[0], high=IDLE_SECONDS[1],
        )  # fmt: skip
    chosen = [
        code for code in form.getlist("languages") if code in {lang.code for lang in LANGUAGES}
    ]
    if not chosen:
        # Translators: error on the establishment settings form.
        errors["languages"] = _("Choose at least one language.")
    voices, voice_errors = phone_settings_problems(form)
    errors.update(voice_errors)
    if errors:
        return errors
    registry_order = [language.code for language in LANGUAGES]

    def place(code: str) -> tuple[int, int]:
        wanted = number_in(form.get(f"order-{code}", ""), 1, len(LANGUAGES))
        return (wanted if wanted is not None else len(LANGUAGES) + 1, registry_order.index(code))

    establishment.name = form["name"].strip()
    establishment.kiosk_idle_seconds = idle or IDLE_SECONDS[0]
    establishment.languages = ",".join(sorted(chosen, key=place))
    phone = save_phone_settings(establishment, form, voices)
    audit_admin(session, "admin.establishment_updated", establishment_id=establishment.id, **phone)
    return {}


def add_location(establishment_id: int) -> ResponseReturnValue:
    with services().db.transaction() as session:
        establishment = managed_establishment(session, establishment_id)
        problem = name_problem(request.form.get("location_name", ""))
        if problem:
            return render_settings(session, establishment, {"location_name": problem}), 400
        last = max((loc.position for loc in establishment.locations), default=-1)
        location = Location(
            establishment_id=establishment.id,
            name=request.form["location_name"].strip(),
            position=last + 1,
        )
        session.add(location)
        session.flush()
        audit_admin(
            session,
            "admin.location_added",
            establishment_id=establishment.id,
            location_id=location.id,
        )
    flash("location_added")
    return redirect(
        url_for(
            "triage.admin_establishment", establishment_id=establishment_id, _anchor="locations"
        )
    )


def change_location(establishment_id: int, location_id: int) -> ResponseReturnValue:
    with services().db.transaction() as session:
        establishment = managed_establishment(session, establishment_id)
        locations = list(establishment.locations)
        location = next((loc for loc in locations if loc.id == location_id), None)
        if location is None:
            abort(404)
        action = request.form.get("action", "")
        problem = _change(session, establishment, locations, location, action)
        if problem:
            return render_settings(
                session, establishment, {f"location-{location.id}": problem}
            ), 400
        audit_admin(
            session, f"admin.location_{action}", establishment_id=establishment.id,
            location_id=location_id,
        )  # fmt: skip
    flash(f"location_{action}")
    return redirect(
        url_for(
            "triage.admin_establishment", establishment_id=establishment_id, _anchor="locations"
        )
    )


def _change(
    session: Session,
    establishment: Establishment,
    locations: list[Location],
    location: Location,
    action: str,
) -> str | None:
    if action == "renamed":
        new_name = request.form.get("location_name", "")
        problem = name_problem(new_name)
        if problem is None:
            location.name = new_name.strip()
        return problem
    if action in ("up", "down"):
        # Swap with the neighbour, then number them 0, 1, 2... (repairs equal positions).
        index = locations.index(location)
        other = index - 1 if action == "up" else index + 1
        if 0 <= other < len(locations):
            locations[index], locations[other] = locations[other], locations[index]
        for position, each in enumerate(locations):
            each.position = position
        return None
    if action == "removed":
        in_use = session.scalar(
            select(func.count())
            .select_from(Report)
            .where(
                (Report.location_id == location.id) | (Report.sent_from_location_id == location.id)
            )
        ) or session.scalar(
            select(func.count())
            .select_from(KioskDevice)
            .where(KioskDevice.location_id == location.id)
        )
        if in_use:
            # Translators: error when removing a wing that reports or kiosks refer to.
            return _(
                "Reports or kiosks refer to this place, so it cannot be removed. Rename it instead."
            )
        session.delete(location)
        return None
    abort(404)
