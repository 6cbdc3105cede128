"""An NRM referral recorded once (issue 15.3). A National Referral Mechanism referral is two
things the case must show: the Modern Slavery Act duty-to-notify decision (who referred, to
which First Responder Organisation, when, the reference; safeguarding.statutory) and a
referral tracked until the Single Competent Authority answers (Reasonable and Conclusive
Grounds; safeguarding.referrals). They used to be typed twice, on two forms.

``record_nrm_referral`` is the one way in: one submission, one transaction, in which
everything is checked before anything is kept, and then the threshold decision ("met", with
consent), the tracked referral and the duty-to-notify decision are recorded one after the
other in the report's audit chain, the last naming the referral it made. A case that already
has a tracked NRM referral (made on the referral form before the duty was prompted) keeps
it: the decision is linked to it, never a second referral to the same authority.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from safeguarding.actions import ActionContext, refuse_if_closed, required_text
from safeguarding.referrals import Sending, record_referral_decision
from safeguarding.statutory import check_nrm, record_duty_to_notify
from storage.models import DutyToNotifyDecision, ExternalReferral, Report

NRM = "nrm"
GIVEN = "given"


@dataclass(frozen=True)
class NrmReferral:
    """What the lead types, once, about an NRM referral they made."""

    consent: str  # must be "given": an adult's NRM referral needs their informed consent
    referred_by: str  # the name of who made the referral
    first_responder: str  # safeguarding.statutory.FIRST_RESPONDER_LABELS
    referred_on: date | None
    reference: str
    reason: str  # why the threshold for an NRM referral is met (sealed on the timeline)
    chase_on: date | None = None  # None: a week after the referral (safeguarding.referrals)


def record_nrm_referral(
    ctx: ActionContext, report: Report, referral: NrmReferral
) -> tuple[DutyToNotifyDecision, ExternalReferral]:
    """Record the NRM referral as the duty-to-notify decision and as tracked work, at once."""
    refuse_if_closed(report)
    check_nrm(
        referral.consent, referral.referred_by, referral.first_responder, referral.referred_on,
        referral.reference, ctx.clock.now().date(),
    )  # fmt: skip
    reason = required_text(referral.reason)
    tracked = _tracked_nrm_referral(ctx, report)
    if tracked is None:
        tracked = record_referral_decision(
            ctx, report, agency=NRM, decision="met", reason=reason, consent=True,
            with_duty_to_notify=True,
            sending=Sending(
                sent_on=referral.referred_on, reference=referral.reference,
                first_responder=referral.first_responder, chase_on=referral.chase_on,
                consent=GIVEN,
            ),
        )  # fmt: skip
        assert tracked is not None  # "met" always makes one, or raised before keeping anything
    decision = record_duty_to_notify(
        ctx, report, route=NRM, consent=GIVEN, referred_by=referral.referred_by,
        first_responder=referral.first_responder, referred_on=referral.referred_on,
        reference=referral.reference, reason=reason, referral_id=tracked.id,
    )  # fmt: skip
    return decision, tracked


def _tracked_nrm_referral(ctx: ActionContext, report: Report) -> ExternalReferral | None:
    return ctx.session.scalars(
        select(ExternalReferral)
        .where(ExternalReferral.report_id == report.id, ExternalReferral.agency == NRM)
        .order_by(ExternalReferral.id)
        .limit(1)
    ).first()


def record_duty_decision(
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
) -> DutyToNotifyDecision:
    """The duty-to-notify form: an NRM referral is recorded with its tracked referral
    (``record_nrm_referral``); an MS1 notification or "neither needed" as before."""
    if route == NRM:
        nrm = NrmReferral(
            consent=consent, referred_by=referred_by, first_responder=first_responder,
            referred_on=referred_on, reference=reference, reason=reason,
        )  # fmt: skip
        return record_nrm_referral(ctx, report, nrm)[0]
    return record_duty_to_notify(
        ctx, report, route=route, consent=consent, ms1_notified_on=ms1_notified_on, reason=reason
    )
