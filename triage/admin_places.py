"""Administration of establishments: their settings (languages offered and their order, how
long a kiosk waits before clearing itself) and their wings and places."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.admin_rules import AdminRefused, NotManaged
from safeguarding.language_reviews import reviewed_codes
from safeguarding.places_admin import (
    IDLE_SECONDS,
    move_location,
    remove_location,
    rename_location,
    settings_problems,
    unreviewed_additions,
    update_establishment,
)
from safeguarding.places_admin import add_location as add_location_rule
from speech.say_voices import write_say_voices
from storage.models import (
    Establishment,
)
from translations.i18n import _
from translations.languages import LANGUAGES, SHIPPED_REVIEWED, has_catalog
from triage.admin_common import (
    admin_principal,
    managed_establishment,
    number_in,
    refusal_message,
)
from triage.admin_phone_settings import KEEP_NUMBER_FIELD, phone_settings_problems, voice_rows
from triage.guard import current_principal, services
from triage.labels import language_name


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/admin/establishments", "admin_establishments", establishments)
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
    """The establishments this administrator manages. New ones are created only by the
    server operator (``safereport establishment add``): an administrator who could create
    one would administer a prison nobody gave them."""
    admin_principal()
    with services().db.transaction() as session:
        return render_template("triage/admin_establishments.html", establishments=_mine(session))


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
    reviewed = reviewed_codes(session, shipped_reviewed=SHIPPED_REVIEWED)
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
        unreviewed_codes={lang.code for lang in LANGUAGES} - reviewed,
        offered_unreviewed=[language_name(code) for code in offered if code not in reviewed],
        locations=list(establishment.locations),
        voices=voice_rows(establishment, form),
        form=form,
        errors=errors,
        section="settings",
    )


def _save_settings(session: Session, establishment: Establishment) -> dict[str, str]:
    form = request.form
    idle = number_in(form.get("kiosk_idle_seconds", ""), 0, 10**6)
    registry_order = [language.code for language in LANGUAGES]

    def place(code: str) -> tuple[int, int]:
        wanted = number_in(form.get(f"order-{code}", ""), 1, len(LANGUAGES))
        return (wanted if wanted is not None else len(LANGUAGES) + 1, registry_order.index(code))

    chosen = sorted(
        (code for code in form.getlist("languages") if code in registry_order), key=place
    )
    problems = settings_problems(
        name=form.get("name", ""), kiosk_idle_seconds=idle, languages=chosen
    )
    errors = {refused.field: _settings_message(refused) for refused in problems}
    newly_unreviewed = unreviewed_additions(
        session, establishment, chosen, shipped_reviewed=SHIPPED_REVIEWED
    )
    confirmed = form.get("confirm_unreviewed") == "yes"
    if newly_unreviewed and not confirmed:
        errors["confirm_unreviewed"] = _unreviewed_message(newly_unreviewed)
    voices, voice_errors = phone_settings_problems(form)
    errors.update(voice_errors)
    if errors:
        return errors
    update_establishment(
        session, by=current_principal(), establishment_id=establishment.id,
        name=form.get("name", ""), kiosk_idle_seconds=idle, languages=chosen,
        say_voices=write_say_voices(voices),
        keep_caller_number=form.get(KEEP_NUMBER_FIELD) == "yes",
        high_alert_names_wing=form.get("high_alert_names_wing") == "yes",
        immediate_alert_names_wing=form.get("immediate_alert_names_wing") == "yes",
        confirmed_unreviewed=confirmed, shipped_reviewed=SHIPPED_REVIEWED,
        clock=services().clock,
    )  # fmt: skip
    return {}


def _unreviewed_message(codes: list[str]) -> str:
    # Translators: error on the establishment settings form; %(languages)s lists names.
    return _(
        "No fluent person has checked the translation of %(languages)s. People may "
        "misunderstand it. Tick the box to confirm you want to offer it.",
        languages=", ".join(language_name(code) for code in codes),
    )


def _settings_message(refused: AdminRefused) -> str:
    if refused.field == "kiosk_idle_seconds":
        # Translators: error on the establishment settings form.
        return _(
            "Enter a number of seconds from %(low)d to %(high)d.",
            low=IDLE_SECONDS[0], high=IDLE_SECONDS[1],
        )  # fmt: skip
    if refused.field == "languages":
        # Translators: error on the establishment settings form.
        return _("Choose at least one language.")
    return refusal_message(refused)


def add_location(establishment_id: int) -> ResponseReturnValue:
    svc = services()
    with svc.db.transaction() as session:
        establishment = managed_establishment(session, establishment_id)
        try:
            add_location_rule(
                session, by=current_principal(), establishment_id=establishment.id,
                name=request.form.get("location_name", ""), clock=svc.clock,
            )  # fmt: skip
        except AdminRefused as refused:
            return render_settings(
                session, establishment, {refused.field: refusal_message(refused)}
            ), 400
    flash("location_added")
    return _to_locations(establishment_id)


def _to_locations(establishment_id: int) -> ResponseReturnValue:
    return redirect(
        url_for(
            "triage.admin_establishment", establishment_id=establishment_id, _anchor="locations"
        )
    )


def change_location(establishment_id: int, location_id: int) -> ResponseReturnValue:
    action = request.form.get("action", "")
    if action not in ("renamed", "up", "down", "removed"):
        abort(404)
    svc = services()
    with svc.db.transaction() as session:
        establishment = managed_establishment(session, establishment_id)
        by, clock = current_principal(), svc.clock
        try:
            if action == "renamed":
                rename_location(
                    session, by=by, establishment_id=establishment_id, location_id=location_id,
                    name=request.form.get("location_name", ""), clock=clock,
                )  # fmt: skip
            elif action == "removed":
                remove_location(
                    session, by=by, establishment_id=establishment_id, location_id=location_id,
                    clock=clock,
                )  # fmt: skip
            else:
                move_location(
                    session, by=by, establishment_id=establishment_id, location_id=location_id,
                    step=-1 if action == "up" else 1, clock=clock,
                )  # fmt: skip
        except NotManaged:
            abort(404)
        except AdminRefused as refused:
            return render_settings(
                session, establishment, {f"location-{location_id}": refusal_message(refused)}
            ), 400
    flash(f"location_{action}")
    return _to_locations(establishment_id)
