"""Staff add, correct and remove the people a report names, each with a reason.

Who a report names decides who may read it (safeguarding.conflicts): a report that names a
member of staff is hidden from them, one naming a lead or governor goes to the independent
reviewer. So each change is an action like re-categorising: the permission to correct a
report (RECATEGORISE), refused on a closed case, the reason sealed on the timeline, an
audit event with ids only, and the report routed again afterwards. A correction never
deletes: the old row stays, marked removed (safeguarding.people.remove_person).
"""

from __future__ import annotations

from sqlalchemy import select

from safeguarding import timeline_facts as facts
from safeguarding.access import INDEPENDENT_QUEUE, Permission, StaffPrincipal, require
from safeguarding.actions import (
    ActionContext,
    ActionRefused,
    record_action,
    refuse_if_closed,
    required_text,
)
from safeguarding.errors import InvalidSubmission
from safeguarding.identifiers import INDEXED_KINDS, normalise
from safeguarding.people import (
    AT_RISK,
    CAUSING_HARM,
    FROM_STAFF,
    PersonGiven,
    add_person,
    check_person,
    remove_person,
)
from safeguarding.people_changes import after_people_changed
from safeguarding.policy import Policy
from storage.blind_index import session_indexes
from storage.crypto import Secrets
from storage.models import Report, ReportPerson
from storage.sealed_fields import PERSON_IDENTIFIER

EVENT_PERSON_ADDED = facts.PERSON_ADDED
EVENT_PERSON_REMOVED = facts.PERSON_REMOVED
# Staff name who is at risk and who is causing the harm; the reporter is recorded from what
# the reporter gave about themselves, never typed in by staff.
STAFF_ROLES = (AT_RISK, CAUSING_HARM)
# Why a change left the member of staff who made it unable to see the report.
HIDDEN_NAMES_YOU = "names_you"
HIDDEN_INDEPENDENT = "independent"
HIDDEN_RESTRICTED = "restricted"


def add_person_to_case(
    ctx: ActionContext,
    report: Report,
    secrets: Secrets,
    *,
    person: PersonGiven,
    reason: str,
    policy: Policy,
) -> ReportPerson:
    """Name one more person on ``report``, saying why (sealed)."""
    _may_change(ctx, report)
    reason = required_text(reason)
    person = _checked(person)
    if _already_named(ctx, report, person):
        raise ActionRefused("person:already_named")
    row = _add(ctx, report, secrets, person, reason)
    _after_change(ctx, report, policy)
    return row


def remove_person_from_case(
    ctx: ActionContext, report: Report, *, person_id: int | None, reason: str, policy: Policy
) -> None:
    """Take a person off ``report`` (named in error), saying why (sealed)."""
    _may_change(ctx, report)
    reason = required_text(reason)
    row = _current_row(ctx, report, person_id)
    _remove(ctx, report, row, reason)
    # Removing names nobody new, but the rules are asked after every change: one place decides.
    _after_change(ctx, report, policy)


def correct_person_on_case(
    ctx: ActionContext,
    report: Report,
    secrets: Secrets,
    *,
    person_id: int | None,
    person: PersonGiven,
    reason: str,
    policy: Policy,
) -> ReportPerson:
    """Replace one person's details: the old row is removed, the new one added, one reason."""
    _may_change(ctx, report)
    reason = required_text(reason)
    row = _current_row(ctx, report, person_id)
    person = _checked(person)
    if _same(secrets, row, person):
        raise ActionRefused("person:unchanged")
    _remove(ctx, report, row, reason)
    added = _add(ctx, report, secrets, person, reason)
    _after_change(ctx, report, policy)
    return added


def _after_change(ctx: ActionContext, report: Report, policy: Policy) -> None:
    after_people_changed(
        ctx.session, report, policy=policy, actor=ctx.principal.actor, clock=ctx.clock
    )


def why_hidden(principal: StaffPrincipal, report: Report) -> str:
    """Why a report this person just changed is no longer theirs to see."""
    if principal.name_indexes & report.named_indexes:
        return HIDDEN_NAMES_YOU
    if report.queue == INDEPENDENT_QUEUE:
        return HIDDEN_INDEPENDENT
    return HIDDEN_RESTRICTED


def _may_change(ctx: ActionContext, report: Report) -> None:
    require(ctx.principal, Permission.RECATEGORISE, report)
    refuse_if_closed(report)


def _checked(person: PersonGiven) -> PersonGiven:
    if person.role not in STAFF_ROLES:
        raise ActionRefused("person_role:invalid")
    try:
        return check_person(person)
    except InvalidSubmission as invalid:
        first = invalid.problems[0]
        raise ActionRefused(f"{first.field}:{first.code}") from None


def _current_row(ctx: ActionContext, report: Report, person_id: int | None) -> ReportPerson:
    row = ctx.session.get(ReportPerson, person_id) if person_id is not None else None
    if row is None or row.report_id != report.id or row.removed_at is not None:
        raise ActionRefused("person_id:invalid")
    return row


def _already_named(ctx: ActionContext, report: Report, person: PersonGiven) -> bool:
    """The same role, kind and indexed identifier already on the report (compared by blind
    index: nothing is opened). Descriptions are not indexed and never count as the same."""
    kind = person.identifier_kind
    normal = normalise(kind, person.identifier or "") if kind in INDEXED_KINDS else None
    if kind is None or normal is None:
        return False
    indexes = session_indexes(ctx.session, kind, normal)
    found = ctx.session.scalars(
        select(ReportPerson.id).where(
            ReportPerson.report_id == report.id,
            ReportPerson.removed_at.is_(None),
            ReportPerson.role == person.role,
            ReportPerson.kind == person.kind,
            ReportPerson.blind_index.in_(sorted(indexes)),
        )
    ).first()
    return found is not None


def _same(secrets: Secrets, row: ReportPerson, person: PersonGiven) -> bool:
    identifier = PERSON_IDENTIFIER.open_text(secrets.vault, row)
    return (row.role, row.kind, row.identifier_kind, identifier) == (
        person.role,
        person.kind,
        person.identifier_kind,
        person.identifier,
    )


def _add(
    ctx: ActionContext, report: Report, secrets: Secrets, person: PersonGiven, reason: str
) -> ReportPerson:
    row = add_person(
        ctx.session,
        secrets,
        report_id=report.id,
        establishment_id=report.establishment_id,
        person=person,
        source=FROM_STAFF,
        actor=ctx.principal.actor,
        at=ctx.clock.now(),
    )
    record_action(
        ctx,
        report,
        EVENT_PERSON_ADDED,
        "report.person_added",
        summary=facts.person_added(role=row.role, kind=row.kind),
        body=reason,
        detail={"person_id": row.id, "role": row.role, "kind": row.kind},
    )
    return row


def _remove(ctx: ActionContext, report: Report, row: ReportPerson, reason: str) -> None:
    remove_person(ctx.session, row, actor=ctx.principal.actor, at=ctx.clock.now())
    record_action(
        ctx,
        report,
        EVENT_PERSON_REMOVED,
        "report.person_removed",
        summary=facts.person_removed(role=row.role, kind=row.kind),
        body=reason,
        detail={"person_id": row.id, "role": row.role, "kind": row.kind},
    )
