"""The other side of a cross-prison request (issue 14; safeguarding.cross_site asks).

The lead or governor at the establishment asked sees the requests waiting for them, with
the numbers of their own reports that name the same person (only those they may open),
and approves or refuses, with a reason if they want one (sealed). Approval shares the
least that lets the two leads talk: the case numbers, dates, categories and status of the
reports the answerer could open at that moment, never what a report says or whom it names,
and never a report added later. The asking lead, and nobody else, sees those on their case
page; a refusal shows as refused. Both answers are audited on both establishments' chains,
and the asking lead is emailed (case numbers and the answer only).

Nobody else may answer or see a request: not deputies, auditors or administrators, not a
lead or governor of a third establishment, not the lead who asked (even if they also work
at the establishment asked), and never anyone the asking report names (a conflict of
interest, as in safeguarding.conflicts): to them it does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.access import AccessDenied, Permission, StaffPrincipal, allows, may_see_report
from safeguarding.actions import ActionContext, ActionRefused
from safeguarding.alerts import NOTIFY_EMAIL
from safeguarding.conflicts import named_indexes
from safeguarding.cross_site import ASKED, person_indexes
from safeguarding.suggestions import Scope
from storage.models import CrossSiteRequest, CrossSiteShared, Establishment, Report
from storage.repositories import suggestions as repo
from storage.repositories.audit import append_audit
from storage.repositories.outbox import enqueue_once
from storage.sealed_fields import CROSS_SITE_REASON

APPROVED = "approved"
REFUSED = "refused"
EMAIL_TEMPLATE = "cross_site_answer"
MAX_REASON_CHARS = 2000


@dataclass(frozen=True)
class Waiting:
    """A request as the answering lead sees it."""

    request_id: int
    asking_establishment: str
    asking_case: str  # the asker's case number, e.g. "ALP-12"
    asked_at: datetime
    status: str
    their_reports: tuple[int, ...]  # the answerer's own reports naming the person


@dataclass(frozen=True)
class SharedReport:
    case: str  # e.g. "BET-40"
    created_at: datetime
    categories: tuple[str, ...]
    status: str


@dataclass(frozen=True)
class Answer:
    """A request as the asking lead sees it on their case page."""

    establishment: str
    status: str  # asked | approved | refused
    answered_at: datetime | None
    reports: tuple[SharedReport, ...]  # only when approved


def requests_for(session: Session, principal: StaffPrincipal) -> list[Waiting]:
    """Every request to the principal's establishments they may answer, newest first."""
    if not allows(principal.role, Permission.ANSWER_CROSS_SITE):
        return []
    found = session.scalars(
        select(CrossSiteRequest)
        .where(CrossSiteRequest.other_establishment_id.in_(sorted(principal.establishment_ids)))
        .order_by(CrossSiteRequest.requested_at.desc(), CrossSiteRequest.id.desc())
    )
    return [
        _waiting(session, principal, request)
        for request in found
        if _may_answer(session, principal, request)
    ]


def answer_request(
    ctx: ActionContext, request_id: int, *, approve: bool, reason: str = ""
) -> CrossSiteRequest:
    """Approve or refuse. Giving the same answer again changes nothing; a different one is
    refused (an answer stands). Raises AccessDenied for anyone who may not answer it."""
    request = ctx.session.get(CrossSiteRequest, request_id)
    if request is None or not _may_answer(ctx.session, ctx.principal, request):
        raise AccessDenied(Permission.ANSWER_CROSS_SITE.value)
    status = APPROVED if approve else REFUSED
    if request.status == status:
        return request  # a double press, or a second tab: already done
    if request.status != ASKED:
        raise ActionRefused("cross_site:answered")
    reason = reason.strip()
    if len(reason) > MAX_REASON_CHARS:
        raise ActionRefused("text_too_long")
    now = ctx.clock.now()
    request.status, request.answered_at, request.answered_by = status, now, ctx.principal.actor
    if reason:
        CROSS_SITE_REASON.seal_text(ctx.vault, request, reason)
    shared = _theirs(ctx.session, ctx.principal, request) if approve else ()
    ctx.session.add_all(CrossSiteShared(request_id=request.id, report_id=rid) for rid in shared)
    ctx.session.flush()
    _audit(ctx, request, status, shared=len(shared), with_reason=bool(reason))
    _tell_the_asker(ctx, request, status)
    return request


def answers_for(session: Session, principal: StaffPrincipal, report: Report) -> list[Answer]:
    """What the asking lead sees on the case they asked about (nobody else sees anything)."""
    if not allows(principal.role, Permission.LINK_REPORTS):
        return []
    asked = session.scalars(
        select(CrossSiteRequest)
        .where(
            CrossSiteRequest.report_id == report.id,
            CrossSiteRequest.requested_by == principal.actor,
        )
        .order_by(CrossSiteRequest.id)
    )
    return [
        Answer(
            _name(session, request.other_establishment_id),
            request.status,
            request.answered_at,
            _shared(session, principal, request) if request.status == APPROVED else (),
        )
        for request in asked
    ]


def _may_answer(session: Session, principal: StaffPrincipal, request: CrossSiteRequest) -> bool:
    return (
        allows(principal.role, Permission.ANSWER_CROSS_SITE)
        and request.other_establishment_id in principal.establishment_ids
        and request.requested_by != principal.actor
        and not principal.name_indexes & named_indexes(session, request.report_id)
    )


def _theirs(
    session: Session, principal: StaffPrincipal, request: CrossSiteRequest
) -> tuple[int, ...]:
    """The answerer's reports that name the person now, and that they may open."""
    asking = session.get(Report, request.report_id)
    if asking is None:
        return ()
    found = repo.people_matches(
        session,
        indexes=person_indexes(session, asking),
        establishment_id=request.other_establishment_id,
    )
    naming_them = repo.carrying(session, (m.report_id for m in found), principal.name_indexes)
    return tuple(
        sorted(
            {
                m.report_id
                for m in found
                if m.report_id not in naming_them
                and may_see_report(principal, Scope(m.establishment_id, m.queue, frozenset()))
            }
        )
    )


def _waiting(session: Session, principal: StaffPrincipal, request: CrossSiteRequest) -> Waiting:
    asking = session.get(Establishment, request.establishment_id)
    code = asking.code if asking is not None else ""
    return Waiting(
        request.id,
        asking.name if asking is not None else "",
        f"{code}-{request.report_id}",
        request.requested_at,
        request.status,
        _theirs(session, principal, request) if request.status == ASKED else (),
    )


def _shared(
    session: Session, principal: StaffPrincipal, request: CrossSiteRequest
) -> tuple[SharedReport, ...]:
    rows = session.scalars(
        select(Report)
        .join(CrossSiteShared, CrossSiteShared.report_id == Report.id)
        .where(CrossSiteShared.request_id == request.id)
        .order_by(Report.created_at.desc(), Report.id.desc())
    ).all()
    # Not even a case number of a report that names the one reading.
    naming_them = repo.carrying(session, (r.id for r in rows), principal.name_indexes)
    there = session.get(Establishment, request.other_establishment_id)
    code = there.code if there is not None else ""
    return tuple(
        SharedReport(
            f"{code}-{report.id}",
            report.created_at,
            tuple(sorted(c.category for c in report.categories)),
            report.status,
        )
        for report in rows
        if report.id not in naming_them
    )


def _name(session: Session, establishment_id: int) -> str:
    establishment = session.get(Establishment, establishment_id)
    return establishment.name if establishment is not None else ""


def _audit(
    ctx: ActionContext, request: CrossSiteRequest, status: str, *, shared: int, with_reason: bool
) -> None:
    detail = {"request_id": request.id, "shared": shared, "reason_given": with_reason}
    # On the asked establishment's chain (who answered, and how much went out), and on the
    # asking report's, so its history shows the answer.
    append_audit(
        ctx.session, at=ctx.clock.now(), actor=ctx.principal.actor,
        action=f"cross_site.{status}", detail=detail,
        establishment_id=request.other_establishment_id,
    )  # fmt: skip
    append_audit(
        ctx.session, at=ctx.clock.now(), actor=ctx.principal.actor,
        action=f"report.cross_site_{status}", report_id=request.report_id, detail=detail,
    )  # fmt: skip


def _tell_the_asker(ctx: ActionContext, request: CrossSiteRequest, status: str) -> None:
    kind, _, number = request.requested_by.partition(":")
    if kind != "staff" or not number.isdigit():
        return
    enqueue_once(
        ctx.session,
        kind=NOTIFY_EMAIL,
        dedupe_key=f"cross-site-answer:{request.id}",
        payload={
            "template": EMAIL_TEMPLATE,
            "staff_id": int(number),
            "request_id": request.id,
            "status": status,
            "from_report_id": request.report_id,
            "from_establishment_id": request.establishment_id,
            "their_establishment_id": request.other_establishment_id,
        },
        at=ctx.clock.now(),
    )
