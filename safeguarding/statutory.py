"""Statutory duties a case cannot close without: the ACCT decision and the Modern Slavery
Act duty to notify.

A raised prompt is not advice. While a case's ACCT prompt (self-harm) has no recorded
decision, or its duty-to-notify prompt (modern slavery) has no recorded decision, closing
is refused. The duty-to-notify decision is stored as data, not prose: the person's consent
(given, refused, not asked, or lacking capacity for this decision), and either the National
Referral Mechanism referral (who referred, to which First Responder Organisation, when, and
its reference), or the date of the anonymous MS1 notification, or that neither is needed
and why.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding import timeline_facts as facts
from safeguarding.access import Permission, require
from safeguarding.actions import (
    ActionContext,
    ActionRefused,
    record_action,
    refuse_if_closed,
    required_text,
)
from safeguarding.i18n import N_
from storage.models import DutyToNotifyDecision, Report

CONSENT_LABELS = {
    # Translators: NRM consent: the adult agreed to a National Referral Mechanism referral.
    "given": N_("Consent given"),
    # Translators: NRM consent: the adult did not agree to a referral.
    "refused": N_("Consent refused"),
    # Translators: NRM consent: nobody has asked the adult yet.
    "not_asked": N_("Not asked"),
    # Translators: NRM consent: the adult lacks mental capacity to make this decision.
    "lacks_capacity": N_("Lacks capacity for this decision"),
}
# Sharing information without the person's consent (HM Government, Information sharing:
# advice for practitioners, 2018): only for one of these, recorded with the disclosure.
SHARING_BASIS_LABELS = {
    # Translators: why information was shared although the person refused: a risk of serious
    # harm to them or to others.
    "serious_harm": N_("A risk of serious harm to them or to others"),
    # Translators: why information was shared although the person refused: to prevent or
    # detect a serious crime.
    "serious_crime": N_("To prevent or detect a serious crime"),
    # Translators: why information was shared although the person refused: the law or a court
    # requires it.
    "legal_duty": N_("The law or a court requires it"),
    # Translators: why information was shared although the person refused: others (other
    # prisoners, children) may be at risk from the same person.
    "others_at_risk": N_("Other people are at risk from the same person"),
}
ROUTE_LABELS = {
    # Translators: duty to notify: a National Referral Mechanism referral was made.
    "nrm": N_("NRM referral made"),
    # Translators: duty to notify: an anonymous MS1 notification was sent to the Home Office.
    "ms1": N_("MS1 notification sent"),
    # Translators: duty to notify: the team decided neither is needed (the reason is kept).
    "not_required": N_("Neither needed"),
}
# Organisations that may refer into the NRM (First Responder Organisations, England and Wales).
FIRST_RESPONDER_LABELS = {
    # Translators: a First Responder Organisation for National Referral Mechanism referrals.
    "police": N_("Police"),
    # Translators: a First Responder Organisation for National Referral Mechanism referrals.
    "local_authority": N_("Local authority"),
    # Translators: a First Responder Organisation for National Referral Mechanism referrals.
    "ukvi": N_("UK Visas and Immigration"),
    # Translators: a First Responder Organisation for National Referral Mechanism referrals.
    "immigration_enforcement": N_("Immigration Enforcement"),
    # Translators: a First Responder Organisation for National Referral Mechanism referrals.
    "border_force": N_("Border Force"),
    # Translators: a First Responder Organisation for National Referral Mechanism referrals.
    "glaa": N_("Gangmasters and Labour Abuse Authority"),
    # Translators: a First Responder Organisation for National Referral Mechanism referrals.
    "salvation_army": N_("The Salvation Army"),
    # Translators: a First Responder Organisation for National Referral Mechanism referrals.
    "migrant_help": N_("Migrant Help"),
    # Translators: a First Responder Organisation for National Referral Mechanism referrals.
    "barnardos": N_("Barnardo's"),
    # Translators: a First Responder Organisation for National Referral Mechanism referrals.
    "nspcc": N_("NSPCC"),
    # Translators: a First Responder Organisation for National Referral Mechanism referrals.
    "kalayaan": N_("Kalayaan"),
    # Translators: a First Responder Organisation for National Referral Mechanism referrals.
    "medaille_trust": N_("Medaille Trust"),
    # Translators: a First Responder Organisation for National Referral Mechanism referrals.
    "bawso": N_("BAWSO"),
    # Translators: a First Responder Organisation for National Referral Mechanism referrals.
    "new_pathways": N_("New Pathways"),
    # Translators: a First Responder Organisation for National Referral Mechanism referrals.
    "unseen": N_("Unseen"),
}
EVENT_DUTY_TO_NOTIFY = "duty_to_notify"
_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/ .-]{0,39}$")


def decisions_of(session: Session, report_id: int) -> list[DutyToNotifyDecision]:
    return list(
        session.scalars(
            select(DutyToNotifyDecision)
            .where(DutyToNotifyDecision.report_id == report_id)
            .order_by(DutyToNotifyDecision.id)
        )
    )


def record_duty_to_notify(
    ctx: ActionContext,
    report: Report,
    *,
    route: str,
    consent: str,
    referred_by: str = "",
    first_responder: str = "",
    referred_on: date | None = None,
    reference: str = "",
    ms1_notified_on: date | None = None,
    reason: str = "",
    referral_id: int | None = None,
) -> DutyToNotifyDecision:
    """The duty-to-notify decision for a case, with consent and the referral's facts. An NRM
    referral comes through safeguarding.nrm_referral, which tracks it too and passes the
    tracked referral's id for the audit trail."""
    require(ctx.principal, Permission.RECORD_REFERRAL, report)
    refuse_if_closed(report)
    if consent not in CONSENT_LABELS:
        raise ActionRefused("dtn_consent:invalid")
    if route not in ROUTE_LABELS:
        raise ActionRefused("dtn_route:invalid")
    today = ctx.clock.now().date()
    decision = DutyToNotifyDecision(
        report_id=report.id, route=route, consent=consent,
        recorded_at=ctx.clock.now(), recorded_by=ctx.principal.actor,
    )  # fmt: skip
    if route == "nrm":
        check_nrm(consent, referred_by, first_responder, referred_on, reference, today)
        decision.referred_by = referred_by.strip()
        decision.first_responder = first_responder
        decision.referred_on = referred_on
        decision.reference = reference.strip()
    elif route == "ms1":
        if ms1_notified_on is None or ms1_notified_on > today:
            raise ActionRefused("dtn_ms1_on:invalid")
        decision.ms1_notified_on = ms1_notified_on
    body = required_text(reason) if route == "not_required" or reason.strip() else None
    ctx.session.add(decision)
    record_action(
        ctx, report, EVENT_DUTY_TO_NOTIFY, "report.duty_to_notify_recorded",
        summary=facts.duty_to_notify(route=route, consent=consent), body=body,
        detail={"route": route, "consent": consent, "first_responder": first_responder or None,
                "referral_id": referral_id},
    )  # fmt: skip
    return decision


def check_nrm(
    consent: str,
    referred_by: str,
    first_responder: str,
    referred_on: date | None,
    reference: str,
    today: date,
) -> None:
    # An adult's NRM referral needs their informed consent; without it the duty to notify
    # is met by an anonymous MS1 notification instead.
    if consent != "given":
        raise ActionRefused("dtn_consent:not_given")
    if not referred_by.strip() or len(referred_by.strip()) > 120:
        raise ActionRefused("dtn_referred_by:invalid")
    if first_responder not in FIRST_RESPONDER_LABELS:
        raise ActionRefused("dtn_first_responder:invalid")
    if referred_on is None or referred_on > today:
        raise ActionRefused("dtn_referred_on:invalid")
    if not _REFERENCE.match(reference.strip()):
        raise ActionRefused("dtn_reference:invalid")
