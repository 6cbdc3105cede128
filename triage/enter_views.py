"""Reports told to staff: the form, and the printable slip with the follow-up code.

The slip is the response to the POST itself, never a redirect: the code must not go into a
URL, a cookie or a log. The form carries a random submission key, from which the code is
derived again; sending the same form twice (a double click, a reload) gives one report and
shows its slip again.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, make_response, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from safeguarding.access import AccessDenied, Permission, allows
from safeguarding.catalogue import CONCERNS, STAFF_INVOLVED_ANSWERS, WHEN_ANSWERS
from safeguarding.codes import group
from safeguarding.errors import InvalidSubmission
from safeguarding.identifiers import IDENTIFIER_KINDS
from safeguarding.people import AT_RISK, CAUSING_HARM, KINDS_BY_ROLE
from safeguarding.phone_numbers import display_phone_number
from safeguarding.staff_reports import (
    ELSEWHERE,
    STAFF_CHANNELS,
    EnteredReport,
    PersonAnswer,
    StaffEntry,
    enter_report,
    record_slip_shown,
    safeguarding_line,
)
from safeguarding.wishes import SHARING, WANTS
from storage.models import Establishment
from translations.i18n import _
from translations.languages import BY_CODE
from triage.guard import current_principal, services
from triage.labels import concern_label, label, language_name
from triage.person_labels import person_label
from triage.slip import FOLLOW_UP_KEYS_EXTENSION, FollowUpKeys, slip_words

SUBMISSION_KEY_BYTES = 32


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/reports/new", "enter_report", enter, methods=["GET", "POST"])


def enter() -> ResponseReturnValue:
    principal = current_principal()
    if not allows(principal.role, Permission.ENTER_REPORT):
        abort(403)
    # One transaction, run again when PostgreSQL rolls it back to end a deadlock, as the
    # kiosk's Send is: the report is made and its slip printed, not an error page.
    done = services().db.retrying(_enter_in_one_transaction)
    if not isinstance(done, _Entered):
        return done  # the choice of establishment, the form, or the form with its errors
    # Only now, after the commit, may the code be shown; never kept by any cache (this is
    # also the app's default, stated here because this page holds a follow-up code).
    response = make_response(_slip_page(done.entered, done.establishment, done.phone))
    response.headers["Cache-Control"] = "no-store"
    return response


@dataclass(frozen=True)
class _Entered:
    entered: EnteredReport
    establishment: Establishment
    phone: str | None


def _enter_in_one_transaction() -> ResponseReturnValue | _Entered:
    principal = current_principal()
    svc = services()
    with svc.db.transaction() as session:
        establishments = _establishments(session, principal.establishment_ids)
        chosen = _chosen(establishments)
        if chosen is None:
            return render_template(
                "triage/enter_choose.html", establishments=establishments, errors={}
            )
        if request.method == "GET":
            return _form_page(session, chosen, {}, _new_key(), {})
        form = request.form
        try:
            with session.begin_nested():
                entered = enter_report(
                    session,
                    entry=_entry(form, chosen.id),
                    principal=principal,
                    secrets=svc.secrets,
                    policy=svc.policy,
                    clock=svc.clock,
                )
                record_slip_shown(session, entered=entered, principal=principal, clock=svc.clock)
        except InvalidSubmission as invalid:
            errors = _messages({problem.field: problem.code for problem in invalid.problems})
            key = form.get("submission_key", "") if "submission_key" not in errors else _new_key()
            return _form_page(session, chosen, form, key, errors), 400
        except AccessDenied:
            # A submission key from someone else's form: start a fresh form.
            errors = {"actions": _form_used()}
            return _form_page(session, chosen, form, _new_key(), errors), 400
        phone = display_phone_number(safeguarding_line(session, chosen.id))
    return _Entered(entered, chosen, phone)


def _new_key() -> str:
    return secrets.token_urlsafe(SUBMISSION_KEY_BYTES)


def _establishments(session: Session, ids: frozenset[int]) -> list[Establishment]:
    return list(
        session.scalars(
            select(Establishment)
            .where(Establishment.id.in_(sorted(ids)))
            .order_by(Establishment.name)
        )
    )


def _chosen(establishments: list[Establishment]) -> Establishment | None:
    if len(establishments) == 1:
        return establishments[0]
    wanted = request.values.get("establishment", "")
    return next((e for e in establishments if str(e.id) == wanted), None)


def _entry(form: MultiDict[str, str], establishment_id: int) -> StaffEntry:
    return StaffEntry(
        establishment_id=establishment_id,
        channel=form.get("channel", ""),
        language=form.get("language", ""),
        submission_key=form.get("submission_key", ""),
        concerns=tuple(form.getlist("concerns")),
        in_danger_now=form.get("in_danger_now", ""),
        staff_involved=form.get("staff_involved", ""),
        about_someone_else=form.get("about_someone_else", ""),
        injured=form.get("injured", ""),
        where=form.get("where", ""),
        when_happened=form.get("when_happened", ""),
        details=form.get("details", ""),
        name=form.get("name", ""),
        prison_number=form.get("prison_number", ""),
        wants=tuple(form.getlist("wants")),
        sharing=form.get("sharing", ""),
        at_risk=_person(form, "at_risk"),
        causing_harm=_person(form, "causing_harm"),
    )


def _person(form: MultiDict[str, str], role: str) -> PersonAnswer:
    return PersonAnswer(
        kind=form.get(f"{role}_kind", ""),
        identifier_kind=form.get(f"{role}_identifier_kind", ""),
        identifier=form.get(f"{role}_identifier", ""),
    )


def _form_page(
    session: Session,
    establishment: Establishment,
    form: MultiDict[str, str] | dict[str, str],
    key: str,
    errors: dict[str, str],
) -> str:
    chosen_concerns = form.getlist("concerns") if isinstance(form, MultiDict) else []
    return render_template(
        "triage/enter.html",
        establishment=establishment,
        several_establishments=len(current_principal().establishment_ids) > 1,
        options=_options(establishment),
        form=form,
        chosen_concerns=chosen_concerns,
        chosen_wants=form.getlist("wants") if isinstance(form, MultiDict) else [],
        submission_key=key,
        errors=errors,
    )


def _options(establishment: Establishment) -> dict[str, list[tuple[str, str]]]:
    # Translators: a choice on the form for a report told to staff: the place is not known.
    elsewhere = _("Somewhere else, or not sure")
    # Translators: an answer on the form for a report told to staff.
    yes, no = _("Yes"), _("No")
    return {
        "channels": [(c, label("channel", c)) for c in STAFF_CHANNELS],
        "languages": [(code, language_name(code)) for code in establishment.language_codes],
        "concerns": [(c.id, concern_label(c.id)) for c in CONCERNS],
        "yes_no": [("yes", yes), ("no", no)],
        "danger": [
            # Translators: an answer on the staff form to "Is anyone in danger now?".
            ("yes", _("Yes, the person who told us")),
            # Translators: an answer on the staff form to "Is anyone in danger now?".
            ("someone_else", _("Yes, someone else")),
            ("no", no),
        ],
        "staff_involved": [(a, label("staff_involved", a)) for a in STAFF_INVOLVED_ANSWERS],
        "where": [(str(loc.id), loc.name) for loc in establishment.locations]
        + [(ELSEWHERE, elsewhere)],
        "when": [(w, label("when", w)) for w in WHEN_ANSWERS],
        "wants": [(key, _(words)) for key, words in WANTS.items()],
        "at_risk_kinds": [(k, person_label("kind", k)) for k in KINDS_BY_ROLE[AT_RISK]],
        "harm_kinds": [(k, person_label("kind", k)) for k in KINDS_BY_ROLE[CAUSING_HARM]],
        "identifier_kinds": [(k, person_label("identifier", k)) for k in IDENTIFIER_KINDS],
        # Translators: an answer on the staff form: the person was not asked, or did not say.
        "sharing": [("", _("Not asked, or they did not say"))]
        + [(key, _(words)) for key, words in SHARING.items()],
    }


def _form_used() -> str:
    # Translators: error on the form for a report told to staff when it was already used.
    return _("This form was already used. Check the answers and send it again.")


def _messages(problems: dict[str, str]) -> dict[str, str]:
    """The door's words for the core's problem codes, field by field, in form order."""
    messages = {
        # Translators: error on the form for a report told to staff.
        "channel": _("Choose how the report was made."),
        # Translators: error on the form for a report told to staff.
        "language": _("Choose the language the person speaks."),
        # Translators: error on the form for a report told to staff.
        "concerns": _("Choose at least one thing the person told you."),
        # Translators: error on the form for a report told to staff.
        "in_danger_now": _("Say whether anyone is in danger now."),
        # Translators: error on the form for a report told to staff.
        "staff_involved": _("Say whether a member of staff is involved."),
        # Translators: error on the form for a report told to staff.
        "about_someone_else": _("Say whether the report is about someone else."),
        # Translators: error on the form for a report told to staff.
        "injured": _("Say whether anyone is hurt."),
        # Translators: error on the form for a report told to staff.
        "where": _("Choose where it happened."),
        # Translators: error on the form for a report told to staff.
        "when_happened": _("Choose when it happened."),
        # Translators: error on the form for a report told to staff.
        "details": _("The text is too long. Use fewer than 5,000 characters."),
        # Translators: error on the form for a report told to staff.
        "name": _("The name is too long. Use fewer than 100 characters."),
        # Translators: error on the form for a report told to staff; A1234BC is an example.
        "prison_number": _("Enter a prison number like A1234BC, or leave it empty."),
        "submission_key": _form_used(),
        # Translators: error on the form for a report told to staff.
        "establishment": _("Choose an establishment."),
        # Translators: error on the form for a report told to staff: "Nothing yet, I just
        # want you to know" cannot go with another choice.
        "wants": _("“Nothing yet. I just want you to know” cannot go with other choices."),
        # Translators: error on the form for a report told to staff.
        "sharing": _("Choose an answer from the list."),
        **_people_messages(problems),
    }
    return {
        field: messages.get(field, _form_used())
        for field in (*messages, *problems)
        if field in problems
    }


def _people_messages(problems: dict[str, str]) -> dict[str, str]:
    # Translators: error on the staff form: who is at risk or causing harm must be chosen
    # when something identifying them was typed.
    kind = _("Choose who they are, or leave the name or number empty.")
    # Translators: error on the staff form: what was typed about a person.
    what = _("Choose what you typed: a name, a prison number, a staff number or a description.")
    # Translators: error on the staff form: a person's name, number or description.
    text = _(
        "Check what you typed. A prison number is like A1234BC; use fewer than 200 characters."
    )
    # Translators: error on the staff form: for "not known", "did not want to say" and "the
    # person who told us" there is nothing to type.
    empty = _("Leave the name or number empty for that choice.")
    messages = {}
    for role in ("at_risk", "causing_harm"):
        messages[f"{role}_kind"] = kind
        messages[f"{role}_identifier_kind"] = what
        unexpected = problems.get(f"{role}_identifier") == "not_expected"
        messages[f"{role}_identifier"] = empty if unexpected else text
    return messages


def _slip_page(entered: EnteredReport, establishment: Establishment, phone: str | None) -> str:
    follow_up_keys: FollowUpKeys = current_app.extensions[FOLLOW_UP_KEYS_EXTENSION]
    words, slip_language = slip_words(entered, phone, follow_up_keys(establishment))
    return render_template(
        "triage/slip.html",
        entered=entered,
        establishment=establishment,
        code_groups=group(entered.code),
        words=words,
        slip_language=BY_CODE[slip_language],
        errors={},
    )
