"""Referrals on the case page: the rows shown, the threshold decision form (with the referral
it makes) and the form for what the agency answered. The rules are in safeguarding.referrals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from safeguarding.actions import ActionContext, ActionRefused
from safeguarding.referrals import (
    Sending,
    awaiting_answer,
    chase_overdue,
    record_referral_decision,
    record_response,
    referrals_of,
)
from storage.ids import parse_row_id
from storage.models import Report, StaffUser
from translations.i18n import _
from triage.case_content import is_staff_actor
from triage.labels import label

Form = MultiDict[str, str]


@dataclass(frozen=True)
class ReferralRow:
    id: int
    agency: str  # in the reader's language
    sent_on: date
    sent_by: str  # the name of the member of staff
    reference: str
    first_responder: str  # NRM: the First Responder Organisation, in the reader's language
    consent: str  # the person's consent to this disclosure, in the reader's language, or ""
    basis: str  # why it was shared against their refusal, in the reader's language, or ""
    answer: str  # what they answered, in the reader's language, or ""
    answered_on: date | None
    chase_on: date | None  # while there is no final answer
    chase_overdue: bool


def referral_rows(session: Session, report_id: int, today: date) -> list[ReferralRow]:
    referrals = referrals_of(session, report_id)
    names = _names_of(session, {r.sent_by for r in referrals})
    return [
        ReferralRow(
            id=r.id,
            agency=label("agency", r.agency),
            sent_on=r.sent_on,
            sent_by=names.get(r.sent_by, r.sent_by),
            reference=r.reference or "",
            first_responder=label("first_responder", r.first_responder)
            if r.first_responder
            else "",
            consent=label("consent", r.consent) if r.consent else "",
            basis=label("sharing_basis", r.sharing_basis) if r.sharing_basis else "",
            answer=label("referral_response", r.response) if r.response else "",
            answered_on=r.response_on,
            chase_on=r.chase_on if awaiting_answer(r) else None,
            chase_overdue=chase_overdue(r, today),
        )
        for r in referrals
    ]


def _names_of(session: Session, actors: set[str]) -> dict[str, str]:
    """Staff actors ("staff:4") to the names people know them by."""
    ids = {int(actor[6:]) for actor in actors if is_staff_actor(actor)}
    if not ids:
        return {}
    rows = session.execute(
        select(StaffUser.id, StaffUser.display_name).where(StaffUser.id.in_(ids))
    )
    return {f"staff:{staff_id}": name for staff_id, name in rows}


def form_date(form: Form, name: str) -> date | None:
    try:
        return date.fromisoformat(form.get(name, "").strip())
    except ValueError:
        return None


def _optional_date(form: Form, name: str) -> date | None:
    """Empty means "use the default"; anything else must be a date."""
    if not form.get(name, "").strip():
        return None
    found = form_date(form, name)
    if found is None:
        raise ActionRefused(f"{name}:invalid")
    return found


# The consent question's answers on the form, as CONSENT_LABELS keys ("" is not asked).
_CONSENT_ANSWERS = {"yes": "given", "no": "refused", "lacks_capacity": "lacks_capacity"}


def referral(ctx: ActionContext, report: Report, form: Form) -> None:
    answer = form.get("referral_consent", "")
    consent = _CONSENT_ANSWERS.get(answer, "not_asked" if answer == "" else answer)
    record_referral_decision(
        ctx,
        report,
        agency=form.get("referral_agency", ""),
        decision=form.get("referral_decision", ""),
        reason=form.get("referral_reason", ""),
        consent=consent == "given",
        sending=Sending(
            consent=consent,
            basis=form.get("referral_basis", ""),
            sent_on=_optional_date(form, "referral_sent_on"),
            reference=form.get("referral_reference", ""),
            first_responder=form.get("referral_first_responder", ""),
            chase_on=_optional_date(form, "referral_chase_on"),
        ),
    )


def referral_response(ctx: ActionContext, report: Report, form: Form) -> None:
    referral_id = parse_row_id(form.get("referral_id", ""))
    if referral_id is None:
        raise ActionRefused("referral:unknown")
    record_response(
        ctx,
        report,
        referral_id=referral_id,
        response=form.get("referral_response", ""),
        response_on=form_date(form, "referral_response_on"),
        chase_again_on=form_date(form, "referral_chase_again_on"),
        note=form.get("referral_note", ""),
    )


def refusal_messages() -> dict[str, tuple[str, str]]:
    """Where each refusal of the referral forms points, and what it says."""
    return {
        "referral_sent_on:invalid": (
            "referral_sent_on",
            # Translators: error on the referral form; the date must not be in the future.
            _(
                "Enter the date the referral was sent, like 2026-11-28, "
                "or leave it empty for today."
            ),
        ),
        "referral_reference:invalid": (
            "referral_reference",
            # Translators: error on the referral form.
            _("Enter the referral's reference (letters, numbers, / and -), or leave it empty."),
        ),
        "referral_chase_on:invalid": (
            "referral_chase_on",
            # Translators: error on the referral form: the chase date comes after sending.
            _("Enter a date after the referral was sent, or leave it empty for a week later."),
        ),
        "referral_first_responder:not_nrm": (
            "referral_first_responder",
            # Translators: error on the referral form: a First Responder Organisation was
            # chosen for a referral to an agency other than the NRM.
            _("A First Responder Organisation is for NRM referrals only. Leave it empty."),
        ),
        "referral_consent:invalid": (
            "referral_consent",
            # Translators: error on the referral form.
            _("Choose whether the person consented."),
        ),
        "referral_basis:required": (
            "referral_basis",
            # Translators: error on the referral form: the person refused, so the lawful reason
            # for sharing anyway must be given.
            _("They refused: choose why the information must be shared anyway."),
        ),
        "referral_basis:not_needed": (
            "referral_basis",
            # Translators: error on the referral form: with consent, no other reason is needed.
            _("They consented: leave the reason for sharing without consent empty."),
        ),
        "referral_basis:invalid": (
            "referral_basis",
            # Translators: error on the referral form.
            _("Choose a reason from the list."),
        ),
        "referral_first_responder:invalid": (
            "referral_first_responder",
            # Translators: error on the referral form.
            _("Choose a First Responder Organisation from the list, or leave it empty."),
        ),
        # Translators: error on the form that records an agency's answer to a referral.
        "referral:unknown": ("actions", _("That referral is not on this case.")),
        # Translators: error on the form that records an agency's answer to a referral.
        "referral_response:invalid": ("referral_response", _("Choose what they answered.")),
        "referral_response:not_nrm": (
            "referral_response",
            # Translators: error: an NRM decision was chosen for a referral to another agency.
            _("Reasonable and Conclusive Grounds decisions are for NRM referrals only."),
        ),
        "referral_response_on:invalid": (
            "referral_response_on",
            # Translators: error: the date of an agency's answer, not before sending nor future.
            _("Enter the date they answered, like 2026-11-28: not in the future."),
        ),
        "referral_chase_again_on:invalid": (
            "referral_chase_again_on",
            # Translators: error: with no answer yet, a later date to chase them is needed.
            _("Enter a date in the future to chase them again."),
        ),
    }
