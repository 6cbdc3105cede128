"""Every rule of the policy table, and what a report shows when each one has fired.

Each door has a test (tests/kiosk, tests/ivr, tests/triage: ``test_policy_reach.py``)
that maps every rule listed here to what a person does at that door, and checks the
report. A rule no door can reach (as the injury rule once was) fails those tests, and so
does a new rule that nobody has given a way in.
"""

from __future__ import annotations

from dataclasses import dataclass

from safeguarding.policy import Policy
from storage.models import Report


@dataclass(frozen=True, order=True)
class Rule:
    kind: str  # immediate_flag | high_flag | high_category | staff_answer | acct | duty
    name: str  # the flag, category or answer the policy names

    def __str__(self) -> str:
        return f"{self.kind}:{self.name}"


def every_rule(policy: Policy) -> list[Rule]:
    rules = [Rule("immediate_flag", f) for f in policy.immediate_when_flags]
    rules += [Rule("high_flag", f) for f in policy.high_when_flags]
    rules += [Rule("high_category", c.value) for c in policy.high_when_categories]
    rules += [Rule("staff_answer", a) for a in policy.staff_involved_answers]
    rules += [Rule("acct", c.value) for c in policy.acct_when_categories]
    rules += [Rule("duty", c.value) for c in policy.duty_to_notify_when_categories]
    return sorted(rules)


def flag_of(report: Report, flag: str, policy: Policy) -> bool:
    if flag == "staff_involved":
        return report.staff_involved in policy.staff_involved_answers
    return bool(getattr(report, flag))


def assert_rule_fired(rule: Rule, report: Report, policy: Policy) -> None:
    """The report shows what ``rule`` decides (its flag or category is there too)."""
    categories = {c.category for c in report.categories}
    if rule.kind == "immediate_flag":
        assert flag_of(report, rule.name, policy) and report.priority == "immediate"
    elif rule.kind == "high_flag":
        assert flag_of(report, rule.name, policy) and report.priority == "high"
    elif rule.kind == "high_category":
        assert rule.name in categories and report.priority == "high"
    elif rule.kind == "staff_answer":
        assert report.staff_involved == rule.name and report.queue == "restricted"
    elif rule.kind == "acct":
        assert rule.name in categories and report.acct_prompted
    elif rule.kind == "duty":
        assert rule.name in categories and report.duty_to_notify_prompted
    else:
        raise AssertionError(f"no check for {rule}")
