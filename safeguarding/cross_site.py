"""Across prisons on one database (issue 14): the case page shows only how many reports at
each other establishment name the same person (safeguarding.suggestions). A lead may ask
that establishment's lead about them: the request is recorded and audited, and the other
establishment's leads on call are emailed case numbers only, each the numbers of their own
reports that they could open. Nothing more reaches the one who asked without an answer
(an approve or refuse page for the other lead is not built yet: docs/triage.md).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from safeguarding.access import Permission, on_call_may_open, require
from safeguarding.actions import ActionContext, ActionRefused
from safeguarding.alerts import NOTIFY_EMAIL, on_call_chain
from safeguarding.conflicts import name_indexes
from safeguarding.people import REPORTER, current_people
from safeguarding.suggestions import Scope
from storage.models import CrossSiteRequest, OnCallContact, Report
from storage.repositories import suggestions as repo
from storage.repositories.audit import append_audit
from storage.repositories.outbox import enqueue_once
from storage.repositories.suggestions import Match

EMAIL_TEMPLATE = "cross_site_request"
ASKED = "asked"


def person_indexes(session: Session, report: Report) -> set[str]:
    """The blind indexes of the people a report names (not its reporter)."""
    return {
        p.blind_index
        for p in current_people(session, report.id)
        if p.role != REPORTER and p.blind_index
    }


def ask_other_establishment(
    ctx: ActionContext, report: Report, *, other_establishment_id: int
) -> CrossSiteRequest:
    require(ctx.principal, Permission.LINK_REPORTS, report)
    indexes = person_indexes(ctx.session, report)
    counts = repo.elsewhere_counts(
        ctx.session, indexes=indexes, establishment_id=report.establishment_id
    )
    if not counts.get(other_establishment_id):
        raise ActionRefused("cross_site:unknown")
    if other_establishment_id in repo.asked_establishments(ctx.session, report.id):
        raise ActionRefused("cross_site:already_asked")
    leads = [
        c
        for c in on_call_chain(ctx.session, other_establishment_id)
        if c.role == "lead" and c.email
    ]
    if not leads:
        raise ActionRefused("cross_site:nobody")
    now = ctx.clock.now()
    request = CrossSiteRequest(
        report_id=report.id, establishment_id=report.establishment_id,
        other_establishment_id=other_establishment_id, reports=counts[other_establishment_id],
        requested_at=now, requested_by=ctx.principal.actor, status=ASKED,
    )  # fmt: skip
    ctx.session.add(request)
    ctx.session.flush()
    append_audit(
        ctx.session,
        at=now,
        actor=ctx.principal.actor,
        action="report.cross_site_requested",
        report_id=report.id,
        detail={"request_id": request.id, "other_establishment_id": other_establishment_id},
    )
    theirs = repo.people_matches(
        ctx.session, indexes=indexes, establishment_id=other_establishment_id
    )
    for contact in leads:
        _email(ctx, request, contact, theirs)
    return request


def _email(
    ctx: ActionContext, request: CrossSiteRequest, contact: OnCallContact, theirs: list[Match]
) -> None:
    # Each lead hears only of reports they could open: none that name them.
    named = repo.carrying(ctx.session, (m.report_id for m in theirs), name_indexes(
        ctx.session, contact.display_name
    ))  # fmt: skip
    cases = sorted(
        {
            m.report_id
            for m in theirs
            if m.report_id not in named
            and on_call_may_open(contact.role, Scope(m.establishment_id, m.queue, frozenset()))
        }
    )
    enqueue_once(
        ctx.session,
        kind=NOTIFY_EMAIL,
        dedupe_key=f"cross-site:{request.id}:{contact.id}",
        payload={
            "template": EMAIL_TEMPLATE,
            "contact_id": contact.id,
            "request_id": request.id,
            "from_report_id": request.report_id,
            "from_establishment_id": request.establishment_id,
            "their_establishment_id": request.other_establishment_id,
            "their_reports": cases,
        },
        at=ctx.clock.now(),
    )
