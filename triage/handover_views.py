"""Handover notes (issue 15.6): the page that writes one; the queue's handover box shows them.
The rules (who may write, who may read, sealing, audit) are in safeguarding.handover_notes."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from safeguarding.errors import InvalidSubmission
from safeguarding.handover_notes import (
    MAX_NOTE_CHARS,
    audiences_for,
    may_write_notes,
    write_handover_note,
)
from storage.ids import parse_row_id
from storage.models import Establishment
from translations.i18n import _
from triage.guard import current_principal, services


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/handover-note", "handover_note", handover_note, methods=["GET", "POST"])


def handover_note() -> ResponseReturnValue:
    principal = current_principal()
    if not may_write_notes(principal):
        abort(403)
    if request.method == "GET":
        return _page(dict(request.form), {})
    svc = services()
    form = request.form
    try:
        with svc.db.transaction() as session:
            write_handover_note(
                session,
                principal=principal,
                establishment_id=_chosen_place(form.get("note_establishment", "")),
                text=form.get("note_text", ""),
                audience=_audience(form.get("note_audience", "")),
                vault=svc.secrets.vault,
                clock=svc.clock,
            )
    except InvalidSubmission as invalid:
        errors = {p.field: _message(p.field, p.code) for p in invalid.problems}
        return _page(dict(form), errors), 400
    flash("handover_note_saved")
    return redirect(url_for("triage.queue"))


def _chosen_place(value: str) -> int:
    places = sorted(current_principal().establishment_ids)
    if len(places) == 1 and not value:
        return places[0]
    return parse_row_id(value) or 0


def _audience(chosen: str) -> str:
    """Someone who reads one queue is not asked: their notes are for it, whatever is sent."""
    audiences = audiences_for(current_principal())
    return audiences[0] if len(audiences) == 1 else chosen


def _page(form: dict[str, str], errors: dict[str, str]) -> str:
    principal = current_principal()
    with services().db.transaction() as session:
        places = session.execute(
            select(Establishment.id, Establishment.name)
            .where(Establishment.id.in_(sorted(principal.establishment_ids)))
            .order_by(Establishment.name)
        ).all()
    return render_template(
        "triage/handover_note.html",
        form=form,
        errors=errors,
        places=[(place_id, name) for place_id, name in places],
        choose_audience=len(audiences_for(principal)) > 1,
        max_chars=MAX_NOTE_CHARS,
    )


def _message(field: str, code: str) -> str:
    if field == "note_text" and code == "required":
        # Translators: error on the handover note page: the note was left empty.
        return _("Write the note.")
    if field == "note_text":
        # Translators: error on the handover note page; %(limit)d is a number of characters.
        return _("The note must be %(limit)d characters or fewer.", limit=MAX_NOTE_CHARS)
    if field == "note_audience":
        # Translators: error on the handover note page: who may read the note was not chosen.
        return _("Choose who may read the note.")
    # Translators: error on the handover note page: no prison was chosen for the note.
    return _("Choose the establishment the note is for.")
