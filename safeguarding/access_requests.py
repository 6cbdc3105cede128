"""Separation of duties: giving anyone the power to read reports takes two people.

An administrator who invites, resets, re-activates or changes the role of an account that
can read reports (lead, deputy, governor, auditor), or gives anyone such a role, only makes
a pending request. A lead or governor of every establishment concerned, who is not the
requester and not the person concerned, approves or refuses it. On approval the setup link
goes to the person by email; it never appears on the administrator's screen. Every lead and
governor concerned hears of each request and each decision.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.access import Role, StaffPrincipal
from safeguarding.admin_rules import APPROVER_ROLES, AdminRefused, NotManaged, audit
from safeguarding.clock import Clock
from safeguarding.staff_accounts import (
    create_account,
    email_setup_link,
    notify_readers_changed,
    reset_account,
    set_active,
    set_role,
)
from storage.models import StaffAccessRequest, StaffUser
from storage.repositories.staff import establishment_ids_of, find_staff_by_email

KINDS = ("invite", "reset", "reactivate", "role")


def request_access(
    session: Session,
    *,
    by: StaffPrincipal,
    kind: str,
    role: str,
    establishment_ids: frozenset[int],
    clock: Clock,
    staff_id: int | None = None,
    email: str | None = None,
    display_name: str | None = None,
) -> StaffAccessRequest:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    request = StaffAccessRequest(
        kind=kind, staff_id=staff_id, email=email, display_name=display_name, role=role,
        establishment_ids=",".join(str(i) for i in sorted(establishment_ids)),
        requested_by=by.staff_id, requested_at=clock.now(),
    )  # fmt: skip
    session.add(request)
    session.flush()
    audit(
        session, by=by, clock=clock, action="staff.access_requested", request_id=request.id,
        kind=kind, staff_id=staff_id, role=role,
    )  # fmt: skip
    notify_readers_changed(
        session, establishment_ids=establishment_ids, event="requested", staff_id=staff_id,
        role=role, clock=clock, request_id=request.id,
    )  # fmt: skip
    return request


def may_decide(session: Session, principal: StaffPrincipal, request: StaffAccessRequest) -> bool:
    """A lead or governor of every establishment concerned, never the requester or the
    person the request is about. A request that makes, restores or removes an independent
    reviewer is decided by another reviewer, and only such requests are: the reviewer reads
    the cases that name the lead and the governor, so they do not choose who that is."""
    return (
        principal.role in APPROVER_ROLES
        and (principal.role == Role.REVIEWER) == _concerns_a_reviewer(session, request)
        and request.outcome is None
        and principal.staff_id not in (request.requested_by, request.staff_id)
        and request.establishment_id_set <= principal.establishment_ids
    )


def _concerns_a_reviewer(session: Session, request: StaffAccessRequest) -> bool:
    if request.role == Role.REVIEWER.value:
        return True
    user = session.get(StaffUser, request.staff_id) if request.staff_id is not None else None
    return user is not None and user.role == Role.REVIEWER.value


def pending_requests(session: Session, principal: StaffPrincipal) -> list[StaffAccessRequest]:
    """The requests waiting for this person's decision."""
    waiting = session.scalars(
        select(StaffAccessRequest)
        .where(StaffAccessRequest.outcome.is_(None))
        .order_by(StaffAccessRequest.requested_at, StaffAccessRequest.id)
    )
    return [request for request in waiting if may_decide(session, principal, request)]


def requests_made_in(
    session: Session, establishment_ids: frozenset[int]
) -> list[StaffAccessRequest]:
    """Requests still waiting that concern only these establishments (for the admin's list)."""
    waiting = session.scalars(
        select(StaffAccessRequest)
        .where(StaffAccessRequest.outcome.is_(None))
        .order_by(StaffAccessRequest.requested_at, StaffAccessRequest.id)
    )
    return [r for r in waiting if r.establishment_id_set <= establishment_ids]


def decide(
    session: Session,
    *,
    by: StaffPrincipal,
    request_id: int,
    approve: bool,
    pepper: bytes,
    clock: Clock,
) -> StaffAccessRequest:
    # Locked: two approvers pressing at once must not carry a request out twice.
    request = session.get(StaffAccessRequest, request_id, with_for_update=True)
    if request is None or not may_decide(session, by, request):
        raise NotManaged()
    if approve:
        _carry_out(session, request=request, by=by, pepper=pepper, clock=clock)
    request.outcome = "approved" if approve else "refused"
    request.decided_by = by.staff_id
    request.decided_at = clock.now()
    audit(
        session, by=by, clock=clock, action=f"staff.access_{request.outcome}",
        request_id=request.id, staff_id=request.staff_id,
    )  # fmt: skip
    notify_readers_changed(
        session, establishment_ids=request.establishment_id_set, event=request.outcome,
        staff_id=request.staff_id, role=request.role, clock=clock, request_id=request.id,
    )  # fmt: skip
    return request


def _carry_out(
    session: Session, *, request: StaffAccessRequest, by: StaffPrincipal, pepper: bytes,
    clock: Clock,
) -> None:  # fmt: skip
    if request.kind == "invite":
        assert request.email is not None and request.display_name is not None
        if find_staff_by_email(session, request.email) is not None:
            raise AdminRefused("email", "taken")
        created, _token = create_account(
            session, by=by, email=request.email, display_name=request.display_name,
            role=request.role, establishment_ids=sorted(request.establishment_id_set),
            pepper=pepper, clock=clock,
        )  # fmt: skip
        request.staff_id = created.id
        email_setup_link(session, staff_id=created.id, clock=clock)
        return
    user = session.get(StaffUser, request.staff_id) if request.staff_id is not None else None
    # The person's establishments may have changed since the request: approve only what
    # the approver still covers.
    if user is None or not establishment_ids_of(session, user.id) <= by.establishment_ids:
        raise NotManaged()
    if request.kind == "reset":
        reset_account(session, by=by, user=user, pepper=pepper, clock=clock)
        email_setup_link(session, staff_id=user.id, clock=clock)
    elif request.kind == "reactivate":
        set_active(session, by=by, user=user, active=True, clock=clock)
    else:
        set_role(session, by=by, user=user, role=request.role, clock=clock)
