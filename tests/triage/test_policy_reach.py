"""Every rule of the policy table can be reached from the staff form (issue 13.3)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.policy import load_policy
from safeguarding.services import Services
from storage.models import Report
from tests.policy_rules import Rule, assert_rule_fired, every_rule
from tests.triage.test_staff_reports import answers, open_form, send

# What staff choose on the form to make each rule fire, over a standard report.
FIELDS: dict[Rule, dict[str, object]] = {
    Rule("immediate_flag", "in_danger_now"): {"in_danger_now": "yes"},
    Rule("immediate_flag", "someone_else_in_danger_now"): {"in_danger_now": "someone_else"},
    Rule("immediate_flag", "self_harm_risk"): {"concerns": ["hurting_myself"]},
    Rule("high_flag", "staff_involved"): {"staff_involved": "yes"},
    Rule("high_flag", "injured"): {"injured": "yes"},
    Rule("high_category", "sexual"): {"concerns": ["sexual"]},
    Rule("high_category", "modern_slavery"): {"concerns": ["made_to_work"]},
    Rule("staff_answer", "yes"): {"staff_involved": "yes"},
    Rule("staff_answer", "not_sure"): {"staff_involved": "not_sure"},
    Rule("acct", "self_harm"): {"concerns": ["hurting_myself"]},
    Rule("duty", "modern_slavery"): {"concerns": ["made_to_work"]},
}


def test_every_rule_of_the_policy_has_a_way_in_on_the_staff_form() -> None:
    assert sorted(FIELDS) == every_rule(load_policy())


@pytest.mark.parametrize("rule", sorted(FIELDS), ids=str)
def test_the_rule_fires_from_the_staff_form(
    rule: Rule, lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    csrf, key = open_form(lead_client)
    response = send(
        lead_client, answers(services, establishment, **FIELDS[rule]), csrf=csrf, key=key
    )
    assert response.status_code == 200
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
        _ = report.categories
    assert_rule_fired(rule, report, services.policy)


def test_the_standard_form_fires_no_rule(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    csrf, key = open_form(lead_client)
    send(lead_client, answers(services, establishment), csrf=csrf, key=key)
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
    assert (report.priority, report.queue, report.injured) == ("standard", "general", False)
