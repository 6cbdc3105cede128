"""Who hears of work that has fallen due: its owner while they may still act on the case,
otherwise (they left, or the case moved to the restricted queue) the establishment's leads on
call (the independent reviewer for a report naming a lead or governor). Shared by referral
chases, tasks, plan reviews and retaliation check-ins."""

from __future__ import annotations

from sqlalchemy.orm import Session

from safeguarding.access import Permission, StaffPrincipal, may, on_call_may_open, role_of
from safeguarding.alerts import on_call_chain
from safeguarding.conflicts import name_indexes, without_the_named
from storage.models import Report, StaffUser
from storage.repositories.staff import establishment_ids_of

_FALLBACK_ROLES = ("lead", "independent_reviewer")
Recipient = tuple[str, int]  # ("staff_id", id) or ("contact_id", id): the email payload's key


def recipients(
    session: Session, owner: StaffUser | None, report: Report, permission: Permission
) -> list[Recipient]:
    if owner is not None and _may_still(session, owner, report, permission):
        return [("staff_id", owner.id)]
    # The leads on call, or for a report naming a lead or governor the independent reviewer;
    # never anyone it names (safeguarding.conflicts).
    chain = without_the_named(session, report, on_call_chain(session, report.establishment_id))
    return [
        ("contact_id", c.id)
        for c in chain
        if c.role in _FALLBACK_ROLES and c.email and on_call_may_open(c.role, report)
    ]


def staff_of_actor(session: Session, actor: str) -> StaffUser | None:
    """The member of staff behind an actor string ("staff:4"), if it is one."""
    prefix, _sep, number = actor.partition(":")
    if prefix != "staff" or not number.isdigit():
        return None
    return session.get(StaffUser, int(number))


def _may_still(session: Session, user: StaffUser, report: Report, permission: Permission) -> bool:
    role = role_of(user.role)
    if role is None or not user.active:
        return False
    principal = StaffPrincipal(
        staff_id=user.id, role=role, establishment_ids=establishment_ids_of(session, user.id),
        display_name=user.display_name,
        name_indexes=name_indexes(session, user.display_name),
    )  # fmt: skip
    return may(principal, permission, report)
