"""Who may see and do what: the one table, and the checks every door and action uses.

Reports are special-category personal data and may accuse staff, so access is denied
unless this module grants it. Three things must all hold for a member of staff to touch a
report: their role grants the permission, they belong to the report's establishment, and
the report's queue is one their role may see (the restricted queue, where staff are
alleged to be involved, is for the safeguarding lead and the governor only).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from safeguarding.errors import SafeguardingError


class Role(StrEnum):
    LEAD = "lead"
    DEPUTY = "deputy"
    GOVERNOR = "governor"
    AUDITOR = "auditor"
    ADMIN = "admin"
    # Independent reviewer for the establishment group: reads only the reports that name a
    # safeguarding lead or a governor (safeguarding.conflicts), which those may not read.
    REVIEWER = "reviewer"


class Permission(StrEnum):
    # Reading (each read of a report's content is audited by the door).
    VIEW_QUEUE = "view_queue"
    VIEW_RESTRICTED = "view_restricted"  # reports where staff are alleged to be involved
    VIEW_INDEPENDENT = "view_independent"  # reports naming the lead or a governor
    READ_REPORT = "read_report"
    # Working a case.
    ACKNOWLEDGE = "acknowledge"
    ASSIGN = "assign"
    BE_ASSIGNED = "be_assigned"
    ADD_NOTE = "add_note"
    CHANGE_STATUS = "change_status"
    ESCALATE = "escalate"
    RECORD_REFERRAL = "record_referral"
    RECATEGORISE = "recategorise"  # correct the safeguarding categories
    MESSAGE_REPORTER = "message_reporter"
    LINK_REPORTS = "link_reports"
    CLOSE = "close"
    ENTER_REPORT = "enter_report"  # a report told to staff, entered on the prisoner's behalf
    # Assurance.
    VIEW_AUDIT = "view_audit"
    VIEW_DASHBOARD = "view_dashboard"
    PRACTICE_AUDIT = "practice_audit"  # draw closed cases at random, record what was found
    # A case's whole chronology as a file that leaves the system (inquests, the Ombudsman,
    # reviews, subject access requests): those who answer for the work, not deputies.
    EXPORT_CASE = "export_case"
    # A new follow-up code for a named reporter who has lost theirs, after checking who
    # they are (safeguarding.code_reissue): those who lead the casework, audited.
    REISSUE_CODE = "reissue_code"
    # How many reports name each member of staff (safeguarding.officer_tally): those who
    # answer for staff conduct, never deputies (colleagues of those named) or auditors.
    VIEW_OFFICER_TALLY = "view_officer_tally"
    # Approve or refuse another establishment's request about a person named at both
    # (safeguarding.cross_site_answers): those who answer for the establishment's reports.
    ANSWER_CROSS_SITE = "answer_cross_site"
    # Administration (never a report's content).
    MANAGE_STAFF = "manage_staff"
    MANAGE_ESTABLISHMENTS = "manage_establishments"
    # Separation of duties: approve or refuse an administrator's request that would let
    # someone read reports (safeguarding.access_requests).
    APPROVE_ACCESS = "approve_access"


P = Permission
_WORK_A_CASE = frozenset(
    {
        P.VIEW_QUEUE,
        P.READ_REPORT,
        P.ACKNOWLEDGE,
        P.ASSIGN,
        P.BE_ASSIGNED,
        P.ADD_NOTE,
        P.CHANGE_STATUS,
        P.RECORD_REFERRAL,
        P.RECATEGORISE,
        P.MESSAGE_REPORTER,
        P.LINK_REPORTS,
        P.CLOSE,
        P.ENTER_REPORT,
    }
)

# THE table. Change it only with the safeguarding lead's agreement: tests/triage pin it.
# ENTER_REPORT (a report told to staff, entered for the prisoner) is part of working a case:
# lead, deputy and governor. Entering grants no reading: a deputy may enter a report that
# names staff, and it goes to the restricted queue they cannot see.
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    # PRACTICE_AUDIT: the lead (accountable for quality), the governor and auditors; not
    # deputies, whose own casework is what a practice audit checks.
    Role.LEAD: _WORK_A_CASE
    | {
        P.VIEW_RESTRICTED,
        P.ESCALATE,
        P.VIEW_AUDIT,
        P.VIEW_DASHBOARD,
        P.PRACTICE_AUDIT,
        P.APPROVE_ACCESS,
        P.EXPORT_CASE,
        P.REISSUE_CODE,
        P.VIEW_OFFICER_TALLY,
        P.ANSWER_CROSS_SITE,
    },
    Role.DEPUTY: _WORK_A_CASE | {P.ESCALATE, P.VIEW_DASHBOARD, P.REISSUE_CODE},
    # The governor receives escalations, so escalating is not theirs to do; a prisoner may
    # tell the governor directly, so entering a report is.
    Role.GOVERNOR: _WORK_A_CASE
    | {
        P.VIEW_RESTRICTED,
        P.VIEW_AUDIT,
        P.VIEW_DASHBOARD,
        P.PRACTICE_AUDIT,
        P.APPROVE_ACCESS,
        P.EXPORT_CASE,
        P.VIEW_OFFICER_TALLY,
        P.ANSWER_CROSS_SITE,
    },
    # Auditors read to check the quality of the work; they change nothing, so they enter no
    # reports (a prisoner who tells an auditor is referred to the lead or a kiosk).
    # Recording a practice-audit finding changes no case, so auditors do it.
    Role.AUDITOR: frozenset(
        {
            P.VIEW_QUEUE,
            P.READ_REPORT,
            P.VIEW_AUDIT,
            P.VIEW_DASHBOARD,
            P.PRACTICE_AUDIT,
            P.EXPORT_CASE,
        }
    ),
    # The independent reviewer works the cases that name the lead or a governor, and only
    # those; escalating would go to the governor, so it is not theirs.
    # They approve requests about reviewer accounts, and only those (access_requests).
    Role.REVIEWER: _WORK_A_CASE
    | {P.VIEW_INDEPENDENT, P.VIEW_AUDIT, P.EXPORT_CASE, P.APPROVE_ACCESS},
    # Admins never touch a report's content, and entering one means writing it: no ENTER_REPORT.
    Role.ADMIN: frozenset({P.MANAGE_STAFF, P.MANAGE_ESTABLISHMENTS}),
}

RESTRICTED_QUEUE = "restricted"
GENERAL_QUEUE = "general"
INDEPENDENT_QUEUE = "independent"
# In order of how closely held: a report only ever moves right (raised_queue).
QUEUES = (GENERAL_QUEUE, RESTRICTED_QUEUE, INDEPENDENT_QUEUE)


class AccessDenied(SafeguardingError):
    """The member of staff may not see or do this. Doors answer as if it did not exist."""


@dataclass(frozen=True)
class StaffPrincipal:
    """A signed-in member of staff as the rules see them."""

    staff_id: int
    role: Role
    establishment_ids: frozenset[int]
    display_name: str = ""
    # The blind indexes of this person's name (safeguarding.conflicts.name_indexes): a
    # report carrying one of them names them, and is hidden from them.
    name_indexes: frozenset[str] = frozenset()

    @property
    def actor(self) -> str:
        """How this person is named in timelines and the audit log."""
        return f"staff:{self.staff_id}"


class ReportScope(Protocol):
    """What access depends on: where a report belongs and which queue it is in."""

    @property
    def establishment_id(self) -> int: ...

    @property
    def queue(self) -> str: ...

    @property
    def named_indexes(self) -> frozenset[str]: ...


def role_of(name: str) -> Role | None:
    try:
        return Role(name)
    except ValueError:
        return None


def allows(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def queues_for(role: Role) -> tuple[str, ...]:
    """The queues whose reports this role may list and read (empty: no reports at all)."""
    if not allows(role, P.READ_REPORT):
        return ()
    if allows(role, P.VIEW_INDEPENDENT):
        return (INDEPENDENT_QUEUE,)
    if allows(role, P.VIEW_RESTRICTED):
        return (GENERAL_QUEUE, RESTRICTED_QUEUE)
    return (GENERAL_QUEUE,)


def visible_queues(principal: StaffPrincipal) -> tuple[str, ...]:
    return queues_for(principal.role)


def raised_queue(current: str, proposed: str) -> str:
    """The more closely held of two queues: a report never moves to a wider audience."""
    return max(current, proposed, key=lambda queue: QUEUES.index(queue) if queue in QUEUES else 0)


def may_see_report(principal: StaffPrincipal, report: ReportScope) -> bool:
    # A report that names this person (conflict of interest) is as if it did not exist.
    return (
        report.establishment_id in principal.establishment_ids
        and report.queue in visible_queues(principal)
        and not principal.name_indexes & report.named_indexes
    )


def may(principal: StaffPrincipal, permission: Permission, report: ReportScope) -> bool:
    """May ``principal`` do ``permission`` to this exact report?"""
    return may_see_report(principal, report) and allows(principal.role, permission)


def require(principal: StaffPrincipal, permission: Permission, report: ReportScope) -> None:
    if not may(principal, permission, report):
        raise AccessDenied(permission.value)


def require_permission(principal: StaffPrincipal, permission: Permission) -> None:
    """For things that are not one report (the queue, the dashboard, administration)."""
    if not allows(principal.role, permission):
        raise AccessDenied(permission.value)


def roles_with(permission: Permission, *, among: Iterable[Role] = tuple(Role)) -> list[Role]:
    return [role for role in among if allows(role, permission)]


def may_be_assigned(role: Role, report: ReportScope) -> bool:
    """Work goes only to someone who may read the report: restricted cases stay restricted."""
    return allows(role, P.BE_ASSIGNED) and report.queue in queues_for(role)


# An on-call contact's role (safeguarding.alerts.ON_CALL_ROLES) as the table above knows it.
ON_CALL_ROLE = {
    "lead": Role.LEAD,
    "deputy": Role.DEPUTY,
    "duty_governor": Role.GOVERNOR,
    "independent_reviewer": Role.REVIEWER,
}


def on_call_may_open(contact_role: str, report: ReportScope) -> bool:
    """Could this on-call contact, paged about ``report``, open it once signed in?"""
    role = ON_CALL_ROLE.get(contact_role)
    return role is not None and report.queue in queues_for(role)


def may_open_restricted(contact_role: str) -> bool:
    """Could this on-call contact open a report in the restricted queue?"""
    role = ON_CALL_ROLE.get(contact_role)
    return role is not None and RESTRICTED_QUEUE in queues_for(role)
