from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from safeguarding.catalogue import Category
from safeguarding.policy import PolicyError, ReportFacts, decide, load_policy

NOW = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)  # 3 am: immediate means day and night
POLICY = load_policy()


def facts(
    categories: tuple[Category, ...] = (Category.OTHER,),
    *,
    in_danger_now: bool = False,
    self_harm_risk: bool = False,
    staff_involved: str = "no",
    injured: bool = False,
    someone_else_in_danger_now: bool = False,
) -> ReportFacts:
    return ReportFacts(
        categories=frozenset(categories),
        in_danger_now=in_danger_now,
        self_harm_risk=self_harm_risk,
        staff_involved=staff_involved,
        injured=injured,
        about_someone_else=someone_else_in_danger_now,
        someone_else_in_danger_now=someone_else_in_danger_now,
    )


M15, H4, H24, D3 = timedelta(minutes=15), timedelta(hours=4), timedelta(hours=24), timedelta(days=3)
S = Category

# (facts, priority, queue, acknowledge within, triage within, ACCT, duty to notify)
ROWS = [
    (facts(in_danger_now=True), "immediate", "general", M15, H4, False, False),
    (facts(someone_else_in_danger_now=True), "immediate", "general", M15, H4, False, False),
    (facts((S.SELF_HARM,), self_harm_risk=True), "immediate", "general", M15, H4, True, False),
    (facts((S.SEXUAL,)), "high", "general", H4, H24, False, False),
    (facts((S.MODERN_SLAVERY,)), "high", "general", H4, H24, False, True),
    (facts(staff_involved="yes"), "high", "restricted", H4, H24, False, False),
    (facts(staff_involved="not_sure"), "high", "restricted", H4, H24, False, False),
    (facts(injured=True), "high", "general", H4, H24, False, False),
    (facts((S.BULLYING_DEBT,)), "standard", "general", None, D3, False, False),
    (facts((S.NEGLECT,)), "standard", "general", None, D3, False, False),
    (
        facts((S.SEXUAL,), in_danger_now=True, staff_involved="yes"),
        "immediate", "restricted", M15, H4, False, False,
    ),
]  # fmt: skip


@pytest.mark.parametrize(("given", "priority", "queue", "ack", "triage", "acct", "notify"), ROWS)
def test_every_policy_row(
    given: ReportFacts,
    priority: str,
    queue: str,
    ack: timedelta | None,
    triage: timedelta,
    acct: bool,
    notify: bool,
) -> None:
    decision = decide(POLICY, given, received_at=NOW)
    assert decision.priority == priority
    assert decision.queue == queue
    assert decision.acknowledge_due_at == (NOW + ack if ack else None)
    assert decision.triage_due_at == NOW + triage
    assert decision.acct_prompted is acct
    assert decision.duty_to_notify_prompted is notify


def test_priority_rank_orders_the_queue_most_urgent_first() -> None:
    ranks = [decide(POLICY, f, received_at=NOW).priority_rank for f, *_ in ROWS[:4]]
    assert ranks[0] == ranks[1] == ranks[2] == 0 and ranks[3] == 1
    assert decide(POLICY, facts(), received_at=NOW).priority_rank == 2


def test_a_policy_file_overrides_only_what_it_names(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text('[priorities.immediate]\nacknowledge_within = "10m"\n')
    policy = load_policy(path)
    assert policy.clocks["immediate"].acknowledge_within == timedelta(minutes=10)
    assert policy.clocks["high"].acknowledge_within == timedelta(hours=4)


@pytest.mark.parametrize(
    ("text", "named_key"),
    [
        ('[priorities.high]\nacknowledge_within = "4x"\n', "priorities.high.acknowledge_within"),
        ('[priorities.high]\nacknowledge_within = "0m"\n', "priorities.high.acknowledge_within"),
        ('[priorities.urgent]\ntriage_within = "1h"\n', "priorities.urgent"),
        ('[rules]\nhigh_when_categories = ["sexual", "gossip"]\n', "rules.high_when_categories"),
        ('[rules]\nimmediate_when_flags = "in_danger_now"\n', "rules.immediate_when_flags"),
        ("[lookup.per_kiosk]\nfailures = 0\n", "lookup.per_kiosk.failures"),
        ("[lookup.per_caller]\nfailures = true\n", "lookup.per_caller.failures"),
        ('[lookup.per_establishment]\nwindow = "soon"\n', "lookup.per_establishment.window"),
        ("[lookup]\nper_kiosk = 3\n", "lookup.per_kiosk"),
        ("[lookup]\nfailures_everywhere = 9\n", "lookup.per_establishment.failures"),
        ("[rules]\nunknown = 1\n", "rules.unknown"),
        ("[rules\n", "cannot read policy file"),
    ],
)
def test_a_bad_policy_file_fails_with_the_key_named(
    tmp_path: Path, text: str, named_key: str
) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(text)
    with pytest.raises(PolicyError, match=named_key.replace(".", r"\.")):
        load_policy(path)


def test_a_policy_file_may_take_someone_else_in_danger_out_of_immediate(tmp_path: Path) -> None:
    """The rule lives in the policy table, so an establishment's file can change it."""
    path = tmp_path / "policy.toml"
    path.write_text('[rules]\nimmediate_when_flags = ["in_danger_now", "self_harm_risk"]\n')
    decision = decide(load_policy(path), facts(someone_else_in_danger_now=True), received_at=NOW)
    assert decision.priority == "standard"
