"""Every rule of the policy table can be reached from the kiosk (issue 13.3)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from safeguarding.policy import load_policy
from safeguarding.services import Services
from storage.models import Report
from tests.kiosk.journey import ANSWERS, fill_report, send
from tests.kiosk.pages import Kiosk
from tests.policy_rules import Rule, assert_rule_fired, every_rule

# What a person taps to make each rule fire, over a standard report (ANSWERS).
TAPS: dict[Rule, dict[str, dict[str, Any]]] = {
    Rule("immediate_flag", "in_danger_now"): {"danger": {"answer": "yes"}},
    Rule("immediate_flag", "someone_else_in_danger_now"): {"danger": {"answer": "someone_else"}},
    Rule("immediate_flag", "self_harm_risk"): {"what": {"answer": ["hurting_myself"]}},
    Rule("high_flag", "staff_involved"): {"staff": {"answer": "yes"}},
    Rule("high_flag", "injured"): {"hurt": {"answer": "yes"}},
    Rule("high_category", "sexual"): {"what": {"answer": ["sexual"]}},
    Rule("high_category", "modern_slavery"): {"what": {"answer": ["made_to_work"]}},
    Rule("staff_answer", "yes"): {"staff": {"answer": "yes"}},
    Rule("staff_answer", "not_sure"): {"staff": {"answer": "not_sure"}},
    Rule("acct", "self_harm"): {"what": {"answer": ["hurting_myself"]}},
    Rule("duty", "modern_slavery"): {"what": {"answer": ["made_to_work"]}},
}


def test_every_rule_of_the_policy_has_a_way_in_at_the_kiosk() -> None:
    assert sorted(TAPS) == every_rule(load_policy())


@pytest.mark.parametrize("rule", sorted(TAPS), ids=str)
def test_the_rule_fires_from_the_kiosk(rule: Rule, kiosk: Kiosk, services: Services) -> None:
    answers = {question: TAPS[rule].get(question, given) for question, given in ANSWERS.items()}
    fill_report(kiosk, answers)
    send(kiosk)
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
        _ = report.categories
    assert_rule_fired(rule, report, services.policy)


def test_the_standard_report_fires_no_rule(kiosk: Kiosk, services: Services) -> None:
    """The base the taps are laid over is standard, so each rule above is its own doing."""
    fill_report(kiosk)
    send(kiosk)
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
    assert (report.priority, report.queue, report.injured) == ("standard", "general", False)
