"""Every rule of the policy table can be reached from the phone line (issue 13.3)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from safeguarding.policy import load_policy
from safeguarding.services import Services
from storage.models import Report
from tests.ivr.emulator import HangUp, Input, Keys, TwilioEmulator
from tests.policy_rules import Rule, assert_rule_fired, every_rule


def keys(*pressed: str) -> list[Input]:
    return [*(Keys(k) for k in pressed), HangUp()]


# Report (2), made to pay (4), nothing else (2), about me (1), then hurt, then staff.
def standard_then(hurt: str, staff: str) -> list[Input]:
    return keys("2", "4", "2", "1", hurt, staff)


CALLS: dict[Rule, list[Input]] = {
    Rule("immediate_flag", "in_danger_now"): keys("1", "1"),
    Rule("immediate_flag", "someone_else_in_danger_now"): keys("1", "2"),
    Rule("immediate_flag", "self_harm_risk"): keys("2", "8", "8", "1"),
    Rule("high_flag", "staff_involved"): standard_then(hurt="2", staff="1"),
    Rule("high_flag", "injured"): standard_then(hurt="1", staff="2"),
    Rule("high_category", "sexual"): keys("2", "3"),
    Rule("high_category", "modern_slavery"): keys("2", "5"),
    Rule("staff_answer", "yes"): standard_then(hurt="2", staff="1"),
    Rule("staff_answer", "not_sure"): standard_then(hurt="2", staff="3"),
    Rule("acct", "self_harm"): keys("2", "8", "8", "1"),
    Rule("duty", "modern_slavery"): keys("2", "5"),
}


def test_every_rule_of_the_policy_has_a_way_in_on_the_phone() -> None:
    assert sorted(CALLS) == every_rule(load_policy())


@pytest.mark.parametrize("rule", sorted(CALLS), ids=str)
def test_the_rule_fires_from_the_phone(
    rule: Rule, phone: TwilioEmulator, services: Services
) -> None:
    log = phone.call(CALLS[rule])
    assert log.problems == []
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
        _ = report.categories
    assert_rule_fired(rule, report, services.policy)


def test_the_standard_call_fires_no_rule(phone: TwilioEmulator, services: Services) -> None:
    phone.call(standard_then(hurt="2", staff="2"))
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
    assert (report.priority, report.queue, report.injured) == ("standard", "general", False)
