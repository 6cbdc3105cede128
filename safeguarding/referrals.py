"""Referrals as tracked work: each referral made to another agency is kept until they answer.

Recording "threshold met" for an agency makes a referral: when it was sent, by whom, the
agency's reference if they gave one, and the date to chase them by (a week after sending
unless the lead chooses another). The agency's answer closes it; "no answer yet" moves the
chase date on. A referral whose chase date has passed with no answer shows on the case and
in the queue, so a referral that went nowhere is noticed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding import timeline_facts as facts
from safeguarding.access import Permission, require
from safeguarding.actions import (
    OPEN_STATUSES,
    ActionContext,
    ActionRefused,
    record_action,
    record_referral,
    refuse_if_closed,
)
from safeguarding.agencies import INTERIM_RESPONSES, NRM_ONLY_RESPONSES, RESPONSE_LABELS
from safeguarding.statutory import CONSENT_LABELS, FIRST_RESPONDER_LABELS, SHARING_BASIS_LABELS
from storage.models import ExternalReferral, Report

DEFAULT_CHASE_DAYS = 7
EVENT_REFERRAL_SENT = "referral_sent"
EVENT_REFERRAL_ANSWERED = "referral_answered"
_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/ .-]{0,39}$")


@dataclass(frozen=True)
class Sending:
    """What the lead says about a referral as it is made (all optional on the form)."""

    sent_on: date | None = None  # None: today
    reference: str = ""
    first_responder: str = ""  # NRM only: the First Responder Organisation, if known yet
    chase_on: date | None = None  # None: DEFAULT_CHASE_DAYS after sending
    consent: str = "not_asked"  # the person's consent to this disclosure (CONSENT_LABELS)
    basis: str = ""  # why it is shared when they refused (SHARING_BASIS_LABELS)


def record_referral_decision(
    ctx: ActionContext,
    report: Report,
    *,
    agency: str,
    decision: str,
    reason: str,
    consent: bool | None = None,
    sending: Sending = Sending(),
    with_duty_to_notify: bool = False,
) -> ExternalReferral | None:
    """The threshold decision (safeguarding.actions.record_referral); when it is met, the
    referral it makes, tracked from now on. On a case with the modern slavery duty to notify,
    an NRM referral is recorded with that decision (safeguarding.nrm_referral, which says
    ``with_duty_to_notify``), never here alone: it would have to be typed twice."""
    nrm_met = agency == "nrm" and decision == "met"
    if nrm_met and report.duty_to_notify_prompted and not with_duty_to_notify:
        raise ActionRefused("nrm:with_duty_to_notify")
    if decision == "met":
        refuse_if_closed(report)
        tracked = _new_referral(ctx, report, agency, sending)  # checked before anything is kept
    record_referral(ctx, report, agency=agency, decision=decision, reason=reason, consent=consent)
    if decision != "met":
        return None
    ctx.session.add(tracked)
    ctx.session.flush()
    record_action(
        ctx, report, EVENT_REFERRAL_SENT, "report.referral_sent",
        summary=facts.referral_sent(agency=agency, chase_on=_iso(tracked.chase_on)),
        detail={"referral_id": tracked.id, "agency": agency, "chase_on": _iso(tracked.chase_on)},
    )  # fmt: skip
    return tracked


def record_response(
    ctx: ActionContext,
    report: Report,
    *,
    referral_id: int,
    response: str,
    response_on: date | None,
    chase_again_on: date | None = None,
    note: str = "",
) -> ExternalReferral:
    """What the agency answered, or (``response`` "none_yet") when to chase them again. An
    answer may come after the case is closed (an NRM Conclusive Grounds decision takes months):
    it is recorded without reopening the case."""
    require(ctx.principal, Permission.RECORD_REFERRAL, report)
    referral = ctx.session.get(ExternalReferral, referral_id)
    if referral is None or referral.report_id != report.id:
        raise ActionRefused("referral:unknown")
    today = ctx.clock.now().date()
    if response == "none_yet":
        if chase_again_on is None or chase_again_on <= today:
            raise ActionRefused("referral_chase_again_on:invalid")
        referral.chase_on = chase_again_on
        summary = facts.referral_chased(agency=referral.agency, chase_on=chase_again_on.isoformat())
    else:
        _check_response(referral, response, response_on, today)
        referral.response, referral.response_on = response, response_on
        referral.chase_on = referral.chase_on if response in INTERIM_RESPONSES else None
        summary = facts.referral_answered(agency=referral.agency, response=response)
    record_action(
        ctx, report, EVENT_REFERRAL_ANSWERED, "report.referral_answered", summary=summary,
        body=note.strip() or None,
        detail={"referral_id": referral.id, "response": response},
    )  # fmt: skip
    return referral


def referrals_of(session: Session, report_id: int) -> list[ExternalReferral]:
    return list(
        session.scalars(
            select(ExternalReferral)
            .where(ExternalReferral.report_id == report_id)
            .order_by(ExternalReferral.sent_on, ExternalReferral.id)
        )
    )


def awaiting_answer(referral: ExternalReferral) -> bool:
    return referral.response is None or referral.response in INTERIM_RESPONSES


def chase_overdue(referral: ExternalReferral, today: date) -> bool:
    """No final answer, and the day to chase them by has passed. The queue asks the same in
    SQL (storage.repositories.queue): a final answer clears the chase date, so there the
    date alone says it."""
    return awaiting_answer(referral) and referral.chase_on is not None and referral.chase_on < today


@dataclass(frozen=True)
class ToChase:
    report_id: int
    agency: str
    chase_on: date


def referrals_to_chase(session: Session, establishment_id: int, today: date) -> list[ToChase]:
    """Referrals of this establishment's open cases past their chase date, oldest first."""
    rows = session.execute(
        select(ExternalReferral.report_id, ExternalReferral.agency, ExternalReferral.chase_on)
        .join(Report, Report.id == ExternalReferral.report_id)
        .where(
            Report.establishment_id == establishment_id,
            Report.status.in_(OPEN_STATUSES),
            ExternalReferral.chase_on.is_not(None),
            ExternalReferral.chase_on < today,
        )
        .order_by(ExternalReferral.chase_on, ExternalReferral.id)
    )
    return [
        ToChase(report_id, agency, chase_on) for report_id, agency, chase_on in rows if chase_on
    ]


def _new_referral(
    ctx: ActionContext, report: Report, agency: str, sending: Sending
) -> ExternalReferral:
    today = ctx.clock.now().date()
    sent_on = sending.sent_on or today
    if sent_on > today:
        raise ActionRefused("referral_sent_on:invalid")
    reference = sending.reference.strip()
    if reference and not _REFERENCE.match(reference):
        raise ActionRefused("referral_reference:invalid")
    chase_on = sending.chase_on or sent_on + timedelta(days=DEFAULT_CHASE_DAYS)
    if chase_on <= sent_on:
        raise ActionRefused("referral_chase_on:invalid")
    _check_first_responder(agency, sending.first_responder)
    _check_consent(sending.consent, sending.basis)
    return ExternalReferral(
        report_id=report.id, agency=agency, sent_on=sent_on, sent_by=ctx.principal.actor,
        reference=reference or None, first_responder=sending.first_responder or None,
        consent=sending.consent, sharing_basis=sending.basis or None,
        chase_on=chase_on, recorded_at=ctx.clock.now(),
    )  # fmt: skip


def _check_consent(consent: str, basis: str) -> None:
    """Each disclosure records the person's consent. Sharing against a refusal needs a lawful
    reason (HM Government, Information sharing, 2018); with consent, none is asked."""
    if consent not in CONSENT_LABELS:
        raise ActionRefused("referral_consent:invalid")
    if basis and basis not in SHARING_BASIS_LABELS:
        raise ActionRefused("referral_basis:invalid")
    if consent == "refused" and not basis:
        raise ActionRefused("referral_basis:required")
    if consent == "given" and basis:
        raise ActionRefused("referral_basis:not_needed")


def _check_first_responder(agency: str, first_responder: str) -> None:
    """Only an NRM referral goes through a First Responder Organisation; which one may not be
    known when the decision is recorded (the duty to notify record asks for it later)."""
    if not first_responder:
        return
    if agency != "nrm":
        raise ActionRefused("referral_first_responder:not_nrm")
    if first_responder not in FIRST_RESPONDER_LABELS:
        raise ActionRefused("referral_first_responder:invalid")


def _check_response(
    referral: ExternalReferral, response: str, response_on: date | None, today: date
) -> None:
    if response not in RESPONSE_LABELS:
        raise ActionRefused("referral_response:invalid")
    if response in NRM_ONLY_RESPONSES and referral.agency != "nrm":
        raise ActionRefused("referral_response:not_nrm")
    if response_on is None or response_on > today or response_on < referral.sent_on:
        raise ActionRefused("referral_response_on:invalid")


def _iso(day: date | None) -> str:
    return day.isoformat() if day is not None else ""
