"""Suggested links on the case page (issue 14): other reports that name the same person,
that are about the same wing and category within the policy's window, or that the same
reporter sent before. Matching is by blind index and plain columns only: nothing sealed is
opened to suggest anything.

Only reports the viewer may read (safeguarding.access.may_see_report: establishment,
queue, conflict of interest) are listed; the rest are a bare count ("and 2 reports you
cannot open"), never their ids, dates or categories. Reports at other establishments are a
count per establishment too; the lead may ask that establishment's lead about them
(safeguarding.cross_site).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from safeguarding.access import (
    Permission,
    StaffPrincipal,
    may_see_report,
    require,
    visible_queues,
)
from safeguarding.actions import ActionContext, ActionRefused, link_reports
from safeguarding.people import AT_RISK, CAUSING_HARM, REPORTER, current_people
from safeguarding.policy import Policy
from storage.models import Location, Report, SuggestionDecision
from storage.repositories import suggestions as repo
from storage.repositories.audit import append_audit
from storage.repositories.suggestions import Match

SAME_PERSON_CAUSING_HARM = "same_person_causing_harm"
SAME_PERSON_AT_RISK = "same_person_at_risk"
SAME_PLACE = "same_wing_and_category"
REPORTED_BEFORE = "reported_before"
CONFIRMED = "confirmed"
DISMISSED = "dismissed"
_PERSON_REASONS = {CAUSING_HARM: SAME_PERSON_CAUSING_HARM, AT_RISK: SAME_PERSON_AT_RISK}
PLACE_LISTED = 10  # the newest reports about a wing listed; the rest are counted


@dataclass(frozen=True)
class SuggestedReport:
    report_id: int
    created_at: datetime
    roles: tuple[str, ...]  # how the other report names the shared person ("" for a place)


@dataclass(frozen=True)
class Suggestion:
    reason: str
    count: int  # other reports the viewer may open
    hidden: int  # other reports the viewer may not open: only ever a number
    reports: tuple[SuggestedReport, ...]  # openable and not yet confirmed or dismissed
    wing: str = ""
    category: str = ""
    days: int = 0


@dataclass(frozen=True)
class Elsewhere:
    establishment_id: int
    name: str
    reports: int
    asked: bool  # this case's lead has already asked


@dataclass(frozen=True)
class Suggestions:
    groups: tuple[Suggestion, ...]
    elsewhere: tuple[Elsewhere, ...]


@dataclass(frozen=True)
class Scope:
    """What access needs of another report, without loading it."""

    establishment_id: int
    queue: str
    named_indexes: frozenset[str]


def suggestions_for(
    session: Session, principal: StaffPrincipal, report: Report, policy: Policy
) -> Suggestions:
    """What the case page suggests to ``principal`` (who may read ``report``)."""
    people = [(p.role, p.blind_index) for p in current_people(session, report.id) if p.blind_index]
    decided = repo.decided_with(session, report.id)
    # One indexed query for everyone the report names; split by role here.
    found = repo.people_matches(
        session,
        indexes={index for _, index in people},
        establishment_id=report.establishment_id,
    )
    # Which of them name the viewer (conflict of interest): one query for every group.
    naming_viewer = repo.carrying(
        session, {m.report_id for m in found if m.report_id != report.id}, principal.name_indexes
    )
    seen = _Seen(principal, report, decided, naming_viewer)
    groups: list[Suggestion] = []
    for role, reason in _PERSON_REASONS.items():
        indexes = {index for named, index in people if named == role}
        same = [m for m in found if m.key in indexes and m.role != REPORTER]
        groups += _group(seen, same, reason=reason)
    reporter = {index for named, index in people if named == REPORTER}
    before = [
        m
        for m in found
        if m.key in reporter and m.role == REPORTER and m.created_at < report.created_at
    ]
    groups += _group(seen, before, reason=REPORTED_BEFORE)
    groups += _place_groups(session, principal, report, policy, decided)
    indexes = {index for named, index in people if named != REPORTER}
    return Suggestions(tuple(groups), _elsewhere(session, report, indexes))


def _place_groups(
    session: Session, principal: StaffPrincipal, report: Report, policy: Policy, decided: set[int]
) -> list[Suggestion]:
    """A busy wing has thousands of reports: counted in SQL under the same three tests as
    may_see_report, and only the newest few listed."""
    location = session.get(Location, report.location_id) if report.location_id else None
    if location is None:
        return []
    window = policy.suggestion_window
    reader = repo.Visibility(
        principal.establishment_ids, visible_queues(principal), principal.name_indexes
    )
    place = repo.Place(
        location.id,
        frozenset(c.category for c in report.categories),
        report.created_at - window,
        report.created_at + window,
    )
    case_ = repo.LeftOut(
        report.id, report.establishment_id, report.location_id, report.queue,
        report.created_at, place.categories,
    )  # fmt: skip
    counts = repo.place_counts(session, place, leave_out=case_, open_to=reader)
    listed = repo.place_listed(
        session, place, leave_out={report.id, *decided}, open_to=reader, limit=PLACE_LISTED
    )
    groups: list[Suggestion] = []
    for category, (seen, hidden) in sorted(counts.items()):
        shown = tuple(
            SuggestedReport(m.report_id, m.created_at, ()) for m in listed if m.key == category
        )
        if shown or hidden:
            groups.append(
                Suggestion(SAME_PLACE, seen, hidden, shown, location.name, category, window.days)
            )
    return groups


@dataclass(frozen=True)
class _Seen:
    """Who is looking at which case, and what is already settled for it."""

    principal: StaffPrincipal
    report: Report
    decided: set[int]  # linked, confirmed or dismissed: not suggested again
    naming_viewer: set[int]  # matched reports that name the viewer


def _group(seen: _Seen, found: Sequence[Match], *, reason: str) -> list[Suggestion]:
    others = [m for m in found if m.report_id != seen.report.id]
    if not others:
        return []
    principal = seen.principal
    roles: dict[int, set[str]] = {}
    hidden: set[int] = set()
    for match in others:
        scope = Scope(
            match.establishment_id,
            match.queue,
            principal.name_indexes if match.report_id in seen.naming_viewer else frozenset(),
        )
        if may_see_report(principal, scope):
            roles.setdefault(match.report_id, set()).update({match.role} - {""})
        else:
            hidden.add(match.report_id)
    when = {m.report_id: m.created_at for m in others}
    listed = tuple(
        SuggestedReport(rid, when[rid], tuple(sorted(roles[rid])))
        for rid in sorted(roles, key=lambda rid: when[rid], reverse=True)
        if rid not in seen.decided
    )
    if not listed and not hidden:
        return []
    return [Suggestion(reason, len(roles), len(hidden), listed)]


def _elsewhere(session: Session, report: Report, indexes: set[str]) -> tuple[Elsewhere, ...]:
    counts = repo.elsewhere_counts(
        session, indexes=indexes, establishment_id=report.establishment_id
    )
    if not counts:  # the usual case: nothing more to read
        return ()
    asked = repo.asked_establishments(session, report.id)
    names = repo.establishment_names(session, counts)
    return tuple(
        Elsewhere(
            establishment_id, names.get(establishment_id, ""), count, establishment_id in asked
        )
        for establishment_id, count in sorted(counts.items())
    )


def is_suggested(
    session: Session, principal: StaffPrincipal, report: Report, other: Report, policy: Policy
) -> bool:
    """Is ``other`` among what the case page would offer to confirm or dismiss?"""
    found = suggestions_for(session, principal, report, policy)
    return any(s.report_id == other.id for group in found.groups for s in group.reports)


def confirm_suggestion(ctx: ActionContext, report: Report, other: Report, policy: Policy) -> None:
    """The suggestion was right: the two reports are linked (safeguarding.actions)."""
    _require_suggested(ctx, report, other, policy)
    link_reports(ctx, report, other)
    _decide(ctx, report, other, CONFIRMED)


def dismiss_suggestion(ctx: ActionContext, report: Report, other: Report, policy: Policy) -> None:
    """Not the same matter: the pair is not suggested again, and the decision is audited."""
    _require_suggested(ctx, report, other, policy)
    _decide(ctx, report, other, DISMISSED)
    append_audit(
        ctx.session,
        at=ctx.clock.now(),
        actor=ctx.principal.actor,
        action="report.suggestion_dismissed",
        report_id=report.id,
        detail={"other_report_id": other.id},
    )


def _require_suggested(ctx: ActionContext, report: Report, other: Report, policy: Policy) -> None:
    require(ctx.principal, Permission.LINK_REPORTS, report)
    require(ctx.principal, Permission.LINK_REPORTS, other)
    if not is_suggested(ctx.session, ctx.principal, report, other, policy):
        raise ActionRefused("suggestion:unknown")


def _decide(ctx: ActionContext, report: Report, other: Report, decision: str) -> None:
    low, high = sorted((report.id, other.id))
    ctx.session.add(
        SuggestionDecision(
            report_id=low,
            other_report_id=high,
            decision=decision,
            decided_at=ctx.clock.now(),
            decided_by=ctx.principal.actor,
        )
    )
    ctx.session.flush()
