"""The one table of who may see and do what, pinned permission by permission.

The expected table below is written out a second time on purpose: changing who may read
reports that accuse staff must be a deliberate change in two places, never an accident.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product

import pytest

from safeguarding.access import (
    GENERAL_QUEUE,
    INDEPENDENT_QUEUE,
    RESTRICTED_QUEUE,
    ROLE_PERMISSIONS,
    AccessDenied,
    Permission,
    Role,
    StaffPrincipal,
    allows,
    may,
    may_be_assigned,
    may_see_report,
    require,
    visible_queues,
)

P = Permission
L, D, G, A, M = Role.LEAD, Role.DEPUTY, Role.GOVERNOR, Role.AUDITOR, Role.ADMIN
R = Role.REVIEWER

EXPECTED: dict[Permission, set[Role]] = {
    P.VIEW_QUEUE: {L, D, G, A, R},
    P.VIEW_RESTRICTED: {L, G},
    P.VIEW_INDEPENDENT: {R},
    P.READ_REPORT: {L, D, G, A, R},
    P.ACKNOWLEDGE: {L, D, G, R},
    P.ASSIGN: {L, D, G, R},
    P.BE_ASSIGNED: {L, D, G, R},
    P.ADD_NOTE: {L, D, G, R},
    P.CHANGE_STATUS: {L, D, G, R},
    P.ESCALATE: {L, D},
    P.RECORD_REFERRAL: {L, D, G, R},
    P.RECATEGORISE: {L, D, G, R},
    P.MESSAGE_REPORTER: {L, D, G, R},
    P.LINK_REPORTS: {L, D, G, R},
    P.CLOSE: {L, D, G, R},
    P.ENTER_REPORT: {L, D, G, R},
    P.VIEW_AUDIT: {L, G, A, R},
    P.VIEW_DASHBOARD: {L, D, G, A},
    P.PRACTICE_AUDIT: {L, G, A},
    P.EXPORT_CASE: {L, G, A, R},
    P.MANAGE_STAFF: {M},
    P.MANAGE_ESTABLISHMENTS: {M},
    P.APPROVE_ACCESS: {L, G, R},
    P.REISSUE_CODE: {L, D},
    P.VIEW_OFFICER_TALLY: {L, G},
    P.ANSWER_CROSS_SITE: {L, G},
}


@dataclass(frozen=True)
class FakeReport:
    establishment_id: int
    queue: str
    named_indexes: frozenset[str] = field(default_factory=frozenset)


def test_every_permission_is_pinned() -> None:
    assert set(EXPECTED) == set(Permission)
    assert set(ROLE_PERMISSIONS) == set(Role)


@pytest.mark.parametrize(("role", "permission"), list(product(Role, Permission)))
def test_the_table_grants_exactly_what_is_expected(role: Role, permission: Permission) -> None:
    assert allows(role, permission) is (role in EXPECTED[permission])


def test_admins_cannot_read_reports_or_see_any_queue() -> None:
    admin = StaffPrincipal(1, Role.ADMIN, frozenset({1}))
    assert visible_queues(admin) == ()
    for queue in (GENERAL_QUEUE, RESTRICTED_QUEUE, INDEPENDENT_QUEUE):
        assert not may_see_report(admin, FakeReport(1, queue))


def test_auditors_change_nothing() -> None:
    changes = {
        P.ACKNOWLEDGE, P.ASSIGN, P.ADD_NOTE, P.CHANGE_STATUS, P.ESCALATE, P.RECORD_REFERRAL,
        P.RECATEGORISE, P.MESSAGE_REPORTER, P.LINK_REPORTS, P.CLOSE, P.ENTER_REPORT, P.MANAGE_STAFF,
    }  # fmt: skip
    assert not changes & ROLE_PERMISSIONS[Role.AUDITOR]


ALL_QUEUES = (GENERAL_QUEUE, RESTRICTED_QUEUE, INDEPENDENT_QUEUE)
ROLES_AND_QUEUES = list(product(Role, ALL_QUEUES, (True, False)))
# Who reads each queue: the independent one (it names a lead or governor) only the reviewer.
READERS = {GENERAL_QUEUE: {L, D, G, A}, RESTRICTED_QUEUE: {L, G}, INDEPENDENT_QUEUE: {R}}


@pytest.mark.parametrize(("role", "queue", "member"), ROLES_AND_QUEUES)
def test_seeing_a_report_needs_role_membership_and_queue(
    role: Role, queue: str, member: bool
) -> None:
    principal = StaffPrincipal(7, role, frozenset({1} if member else {2}))
    report = FakeReport(1, queue)
    reads = role in READERS[queue]
    assert may_see_report(principal, report) is (member and reads)
    for permission in Permission:
        expected = member and reads and role in EXPECTED[permission]
        assert may(principal, permission, report) is expected
        if not expected:
            with pytest.raises(AccessDenied):
                require(principal, permission, report)


def test_only_lead_and_governor_see_the_restricted_queue() -> None:
    for role in Role:
        queues = visible_queues(StaffPrincipal(1, role, frozenset({1})))
        assert (RESTRICTED_QUEUE in queues) is (role in {L, G})


@pytest.mark.parametrize(("role", "queue"), list(product(Role, ALL_QUEUES)))
def test_restricted_work_is_assigned_only_to_those_who_may_read_it(role: Role, queue: str) -> None:
    expected = role in EXPECTED[P.BE_ASSIGNED] and role in READERS[queue]
    assert may_be_assigned(role, FakeReport(1, queue)) is expected


def test_the_reviewer_reads_only_the_independent_queue() -> None:
    assert visible_queues(StaffPrincipal(1, R, frozenset({1}))) == (INDEPENDENT_QUEUE,)


@pytest.mark.parametrize("role", [L, D, G, A, R])
def test_a_report_that_names_you_is_hidden_from_you_whatever_your_role(role: Role) -> None:
    queue = INDEPENDENT_QUEUE if role is R else GENERAL_QUEUE
    named = FakeReport(1, queue, frozenset({"index-of-you"}))
    you = StaffPrincipal(1, role, frozenset({1}), name_indexes=frozenset({"index-of-you"}))
    someone_else = StaffPrincipal(2, role, frozenset({1}), name_indexes=frozenset({"other"}))
    assert not may_see_report(you, named)
    assert may_see_report(someone_else, named)
    with pytest.raises(AccessDenied):
        require(you, P.READ_REPORT, named)
