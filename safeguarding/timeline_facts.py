"""What the system did to a report, kept on the timeline as facts rather than sentences.

A timeline summary written as English text would reach a Welsh-speaking lead in English and
could never be reworded. Instead the core stores small facts (which step, whom, by which
channels) and each reader's page turns them into a sentence in the reader's language.
A summary is at most 400 characters (the column's size), so names are clipped.

Staff actions are facts too: a status change, a referral decision, an assignment, a link
and new categories (migration 0020 turned the older "new>investigating" strings into these;
0034 the duty to notify's "nrm:given").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

PAGED = "paged"
NOBODY_ON_CALL = "nobody_on_call"
NO_DUTY_GOVERNOR = "no_duty_governor"
ALERT_ACKNOWLEDGED = "alert_acknowledged"
VIA_ALERT_CALL = "alert_call"  # the person paged pressed 1 on the alert call
PRIORITY_RAISED = "priority_raised"
NOTIFIED = "notified"  # a high report: the lead or deputy was told at once
NOBODY_TO_NOTIFY = "nobody_to_notify"
DEADLINE_MISSED = "deadline_missed"
STATUS_CHANGED = "status_changed"
REFERRAL = "referral"
ASSIGNED = "assigned"
LINKED = "linked"
RECATEGORISED = "recategorised"
REFERRAL_SENT = "referral_sent"
REFERRAL_CHASED = "referral_chased"
REFERRAL_ANSWERED = "referral_answered"
EVIDENCE_RECORDED = "evidence_recorded"
TASK_ADDED = "task_added"
TASK_FINISHED = "task_finished"
PLAN_SET = "plan_set"
PLAN_REVIEWED = "plan_reviewed"
CHECKIN_RECORDED = "checkin_recorded"
DUTY_TO_NOTIFY = "duty_to_notify"
PERSON_ADDED = "person_added"
PERSON_REMOVED = "person_removed"
QUEUE_INDEPENDENT = "queue_independent"
CUMULATIVE_CONCERN = "cumulative_concern"
NAMING_STAFF = frozenset({ASSIGNED, TASK_ADDED, PLAN_SET})  # facts whose staff_id is a person

_NAME_LIMIT = 60


@dataclass(frozen=True)
class Fact:
    name: str
    values: dict[str, Any]

    def number(self, key: str) -> int:
        value = self.values.get(key)
        return value if isinstance(value, int) else 0

    def text(self, key: str) -> str:
        value = self.values.get(key)
        return value if isinstance(value, str) else ""

    def words(self, key: str) -> list[str]:
        value = self.values.get(key)
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def paged(*, step: int, role: str, name: str, channels: list[str]) -> str:
    return _encode(PAGED, step=step, role=role, name=name[:_NAME_LIMIT], channels=channels)


def nobody_on_call(*, step: int) -> str:
    return _encode(NOBODY_ON_CALL, step=step)


def no_duty_governor() -> str:
    return _encode(NO_DUTY_GOVERNOR)


def alert_acknowledged(*, via: str) -> str:
    return _encode(ALERT_ACKNOWLEDGED, via=via)


def priority_raised(*, priority: str) -> str:
    return _encode(PRIORITY_RAISED, priority=priority)


def notified(*, role: str, name: str, channels: list[str]) -> str:
    return _encode(NOTIFIED, role=role, name=name[:_NAME_LIMIT], channels=channels)


def nobody_to_notify() -> str:
    return _encode(NOBODY_TO_NOTIFY)


def deadline_missed(*, due_kind: str, governors: int) -> str:
    return _encode(DEADLINE_MISSED, due_kind=due_kind, governors=governors)


def status_changed(*, before: str, after: str) -> str:
    # "after" last: the quality figures find a move to a status by the summary's end.
    return _encode(STATUS_CHANGED, before=before, after=after)


def status_changed_ending(status: str) -> str:
    """How the summary of a change to ``status`` ends (for a SQL ``LIKE '%…'``)."""
    return f'"after":{json.dumps(status, ensure_ascii=False)}}}'


def referral(*, agency: str, decision: str) -> str:
    return _encode(REFERRAL, agency=agency, decision=decision)


def referral_to_start(agency: str) -> str:
    """How the summary of a decision about ``agency`` starts (for a SQL ``LIKE '…%'``)."""
    return referral(agency=agency, decision="").rsplit('"decision":', 1)[0]


def referral_sent(*, agency: str, chase_on: str) -> str:
    return _encode(REFERRAL_SENT, agency=agency, chase_on=chase_on)


def referral_chased(*, agency: str, chase_on: str) -> str:
    return _encode(REFERRAL_CHASED, agency=agency, chase_on=chase_on)


def referral_answered(*, agency: str, response: str) -> str:
    return _encode(REFERRAL_ANSWERED, agency=agency, response=response)


def assigned(*, staff_id: int) -> str:
    return _encode(ASSIGNED, staff_id=staff_id)


def linked(*, report_id: int) -> str:
    return _encode(LINKED, report_id=report_id)


def recategorised(*, categories: list[str]) -> str:
    return _encode(RECATEGORISED, categories=sorted(categories))


def read_fact(summary: str) -> Fact | None:
    """The fact a summary holds, or None for a summary that is not a fact (an id, or empty)."""
    if not summary.startswith("{"):
        return None
    try:
        values = json.loads(summary)
    except ValueError:
        return None
    if not isinstance(values, dict) or not isinstance(values.get("fact"), str):
        return None
    name = values.pop("fact")
    return Fact(name=name, values=values)


def evidence_recorded(*, kind: str, outcome: str) -> str:
    return _encode(EVIDENCE_RECORDED, kind=kind, outcome=outcome)


def task_added(*, kind: str, owner_id: int, due_on: str) -> str:
    return _encode(TASK_ADDED, kind=kind, staff_id=owner_id, due_on=due_on)


def task_finished(*, kind: str, outcome: str) -> str:
    return _encode(TASK_FINISHED, kind=kind, outcome=outcome)


def plan_set(*, owner_id: int, review_on: str) -> str:
    return _encode(PLAN_SET, staff_id=owner_id, review_on=review_on)


def plan_reviewed(*, review_on: str) -> str:
    return _encode(PLAN_REVIEWED, review_on=review_on)


def duty_to_notify(*, route: str, consent: str) -> str:
    return _encode(DUTY_TO_NOTIFY, route=route, consent=consent)


def checkin_recorded(*, number: int, outcome: str) -> str:
    return _encode(CHECKIN_RECORDED, number=number, outcome=outcome)


def person_added(*, role: str, kind: str) -> str:
    return _encode(PERSON_ADDED, role=role, kind=kind)


def person_removed(*, role: str, kind: str) -> str:
    return _encode(PERSON_REMOVED, role=role, kind=kind)


def queue_independent() -> str:
    return _encode(QUEUE_INDEPENDENT)


def _encode(fact: str, **values: Any) -> str:
    return json.dumps({"fact": fact, **values}, ensure_ascii=False, separators=(",", ":"))


def cumulative_concern(*, match: str, reports: int, days: int, priority: str) -> str:
    """A cumulative-concern rule fired on this report (safeguarding.cumulative)."""
    return _encode(CUMULATIVE_CONCERN, match=match, reports=reports, days=days, priority=priority)
