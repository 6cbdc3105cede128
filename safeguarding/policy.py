"""The safeguarding policy: priority, queue, due times and statutory prompts.

Thresholds come from a TOML file (defaults in default_policy.toml) and are validated at
start-up; a bad file stops the app with an error that names the offending key.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from safeguarding.catalogue import STAFF_INVOLVED_ANSWERS, Category
from safeguarding.checkin_policy import CheckInRule, checkin_rule
from safeguarding.cumulative_policy import CumulativeRule, cumulative_rules, suggestion_window
from safeguarding.durations import PolicyError as PolicyError  # raised here; its home is durations
from safeguarding.durations import parse_duration as _duration
from safeguarding.evidence_policy import EvidenceClock, evidence_clocks

DEFAULT_POLICY_FILE = Path(__file__).with_name("default_policy.toml")

PRIORITIES = ("immediate", "high", "standard")  # most urgent first: the index is the rank
FLAGS = (
    "in_danger_now",
    "someone_else_in_danger_now",
    "self_harm_risk",
    "staff_involved",
    "injured",
    "about_someone_else",
)


@dataclass(frozen=True)
class PriorityClock:
    acknowledge_within: timedelta | None
    triage_within: timedelta


@dataclass(frozen=True)
class Limit:
    """At most ``failures`` within any ``window``."""

    failures: int
    window: timedelta


LOOKUP_SCOPES = ("per_session", "per_kiosk", "per_caller", "per_phone_line", "per_establishment")


@dataclass(frozen=True)
class LookupLimits:
    """Follow-up code guessing limits, each counted on its own (see default_policy.toml)."""

    per_session: Limit
    per_kiosk: Limit
    per_caller: Limit
    per_phone_line: Limit
    per_establishment: Limit
    alert_lead: Limit

    @property
    def longest_window(self) -> timedelta:
        """Tries older than this are looked at by no limit."""
        limits: list[Limit] = [getattr(self, name) for name in (*LOOKUP_SCOPES, "alert_lead")]
        return max(limit.window for limit in limits)


@dataclass(frozen=True)
class Backoff:
    """Progressive delay after failures in a row, and hourly and daily ceilings."""

    free_failures: int
    first_delay: timedelta
    longest_delay: timedelta
    failures_per_hour: int
    failures_per_day: int

    def delay_after(self, failures_in_a_row: int) -> timedelta:
        """How long after the last failure the next try must wait."""
        over = failures_in_a_row - self.free_failures
        if over < 0:
            return timedelta(0)
        doubled: timedelta = self.first_delay * (2 ** min(over, 30))
        return min(doubled, self.longest_delay)


SIGN_IN_SCOPES = ("unknown_browser", "unknown_browser_address", "known_browser", "address")


@dataclass(frozen=True)
class SignInLimits:
    unknown_browser: Backoff
    unknown_browser_address: Backoff
    known_browser: Backoff
    address: Backoff


@dataclass(frozen=True)
class PhoneBounds:
    """Every call ends: bounds on each loop of the phone line, by tries and by time."""

    code_entry_tries: int
    code_entry_time: timedelta
    invalid_keys: int
    repeats: int
    silences: int
    answers: int
    call_time: timedelta


@dataclass(frozen=True)
class KioskLimits:
    reports_per_device: int
    reports_window: timedelta


@dataclass(frozen=True)
class AlertTimings:
    acknowledge_step: timedelta
    breach_warning_before: timedelta


@dataclass(frozen=True)
class RetentionPeriod:
    """How long a closed report is kept: whole calendar years, or days."""

    years: int = 0
    days: int = 0

    def cutoff(self, now: datetime) -> datetime:
        """Reports closed at or before this moment have been kept long enough."""
        earlier = now - timedelta(days=self.days)
        if not self.years:
            return earlier
        year = earlier.year - self.years
        try:
            return earlier.replace(year=year)
        except ValueError:  # 29 February in a year that has none: the 28th
            return earlier.replace(year=year, day=28)

    def describe(self) -> str:
        return f"{self.years}y" if self.years else f"{self.days}d"


@dataclass(frozen=True)
class Policy:
    clocks: dict[str, PriorityClock]
    immediate_when_flags: frozenset[str]
    high_when_categories: frozenset[Category]
    high_when_flags: frozenset[str]
    staff_involved_answers: frozenset[str]
    acct_when_categories: frozenset[Category]
    duty_to_notify_when_categories: frozenset[Category]
    lookup: LookupLimits
    alerts: AlertTimings
    sign_in: SignInLimits
    phone: PhoneBounds
    kiosk: KioskLimits
    retention: RetentionPeriod = RetentionPeriod(years=6)
    evidence: tuple[EvidenceClock, ...] = ()  # evidence to secure before it is lost
    checkins: CheckInRule | None = None  # retaliation check-ins; None: never
    cumulative: tuple[CumulativeRule, ...] = ()  # concerns that add up (issue 14)
    suggestion_window: timedelta = timedelta(days=14)  # wing and category suggestions


@dataclass(frozen=True)
class ReportFacts:
    """What the policy looks at: flags and categories, never free text."""

    categories: frozenset[Category]
    in_danger_now: bool
    self_harm_risk: bool
    staff_involved: str
    injured: bool
    about_someone_else: bool
    # Someone other than the reporter is in danger now (a cellmate, a neighbour on the wing).
    someone_else_in_danger_now: bool = False


@dataclass(frozen=True)
class Decision:
    priority: str
    priority_rank: int
    queue: str  # general | restricted
    acknowledge_due_at: datetime | None
    triage_due_at: datetime
    acct_prompted: bool
    duty_to_notify_prompted: bool


def decide(policy: Policy, facts: ReportFacts, *, received_at: datetime) -> Decision:
    staff_flag = facts.staff_involved in policy.staff_involved_answers
    flags = {
        "in_danger_now": facts.in_danger_now,
        "someone_else_in_danger_now": facts.someone_else_in_danger_now,
        "self_harm_risk": facts.self_harm_risk,
        "staff_involved": staff_flag,
        "injured": facts.injured,
        "about_someone_else": facts.about_someone_else,
    }
    raised = {name for name, value in flags.items() if value}
    if raised & policy.immediate_when_flags:
        priority = "immediate"
    elif raised & policy.high_when_flags or facts.categories & policy.high_when_categories:
        priority = "high"
    else:
        priority = "standard"
    clock = policy.clocks[priority]
    acknowledge = clock.acknowledge_within
    return Decision(
        priority=priority,
        priority_rank=PRIORITIES.index(priority),
        queue="restricted" if staff_flag else "general",
        acknowledge_due_at=received_at + acknowledge if acknowledge is not None else None,
        triage_due_at=received_at + clock.triage_within,
        acct_prompted=facts.self_harm_risk or bool(facts.categories & policy.acct_when_categories),
        duty_to_notify_prompted=bool(facts.categories & policy.duty_to_notify_when_categories),
    )


def load_policy(path: Path | None = None) -> Policy:
    """Defaults, overlaid key by key with the file at ``path`` when given."""
    data = tomllib.loads(DEFAULT_POLICY_FILE.read_text())
    if path is not None:
        try:
            override = tomllib.loads(path.read_text())
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise PolicyError(f"cannot read policy file {path}: {exc}") from exc
        _reject_unknown_keys(override, data, prefix="")
        data = _merge(data, override)
    return _build(data)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = _merge(base[key], value)
        else:
            merged[key] = value
    return merged


# Keys of earlier versions, and what took their place (an operator's old file must say so).
REPLACED_KEYS = {
    "lookup.failures_per_scope": "lookup.per_session.failures",
    "lookup.scope_window": "lookup.per_session.window",
    "lookup.failures_everywhere": "lookup.per_establishment.failures",
    "lookup.everywhere_window": "lookup.per_establishment.window",
}


def _reject_unknown_keys(given: dict[str, Any], known: dict[str, Any], *, prefix: str) -> None:
    for key, value in given.items():
        name = f"{prefix}{key}"
        if name in REPLACED_KEYS:
            raise PolicyError(f"policy key {name!r} is now {REPLACED_KEYS[name]!r}")
        if key not in known:
            raise PolicyError(f"policy key {name!r} is not known")
        if isinstance(value, dict):
            if not isinstance(known[key], dict):
                raise PolicyError(f"policy key {name!r} must be a value, not a table")
            _reject_unknown_keys(value, known[key], prefix=f"{name}.")


def _build(data: dict[str, Any]) -> Policy:
    priorities = data["priorities"]
    clocks = {name: _priority_clock(priorities[name], f"priorities.{name}") for name in PRIORITIES}
    rules = data["rules"]
    lookup = data["lookup"]
    alerts = data["alerts"]
    return Policy(
        clocks=clocks,
        immediate_when_flags=_names(rules, "immediate_when_flags", FLAGS),
        high_when_categories=_categories(rules, "high_when_categories"),
        high_when_flags=_names(rules, "high_when_flags", FLAGS),
        staff_involved_answers=_names(rules, "staff_involved_answers", STAFF_INVOLVED_ANSWERS),
        acct_when_categories=_categories(rules, "acct_when_categories"),
        duty_to_notify_when_categories=_categories(rules, "duty_to_notify_when_categories"),
        lookup=LookupLimits(
            **{name: _limit(lookup, name, "lookup") for name in (*LOOKUP_SCOPES, "alert_lead")}
        ),
        sign_in=SignInLimits(**{name: _backoff(data["sign_in"], name) for name in SIGN_IN_SCOPES}),
        phone=_phone(data["phone"]),
        kiosk=KioskLimits(
            reports_per_device=_positive_int(data["kiosk"], "reports_per_device", "kiosk"),
            reports_window=_duration(data["kiosk"].get("reports_window"), "kiosk.reports_window"),
        ),
        alerts=AlertTimings(
            acknowledge_step=_duration(alerts["acknowledge_step"], "alerts.acknowledge_step"),
            breach_warning_before=_duration(
                alerts["breach_warning_before"], "alerts.breach_warning_before"
            ),
        ),
        retention=_retention(
            data["retention"]["closed_reports_kept_for"], "retention.closed_reports_kept_for"
        ),
        evidence=evidence_clocks(data["evidence"], FLAGS),
        checkins=checkin_rule(data["retaliation_checkins"], FLAGS),
        cumulative=cumulative_rules(data["cumulative_concerns"]),
        suggestion_window=suggestion_window(data["suggestions"]),
    )


def _priority_clock(table: dict[str, Any], prefix: str) -> PriorityClock:
    acknowledge = table.get("acknowledge_within")
    return PriorityClock(
        acknowledge_within=None
        if acknowledge is None
        else _duration(acknowledge, f"{prefix}.acknowledge_within"),
        triage_within=_duration(table.get("triage_within"), f"{prefix}.triage_within"),
    )


_RETENTION = re.compile(r"^(\d+)([yd])$")
MIN_RETENTION_DAYS = 365  # purging cannot be undone: "6d" typed for "6y" must not purge


def _retention(value: object, key: str) -> RetentionPeriod:
    match = _RETENTION.match(value) if isinstance(value, str) else None
    if match is None:
        raise PolicyError(f"policy key {key!r}: {value!r} is not a period like 6y or 2190d")
    amount, unit = int(match.group(1)), match.group(2)
    period = RetentionPeriod(years=amount) if unit == "y" else RetentionPeriod(days=amount)
    if amount * (365 if unit == "y" else 1) < MIN_RETENTION_DAYS:
        raise PolicyError(f"policy key {key!r}: {value!r} is shorter than a year")
    return period


def _names(table: dict[str, Any], key: str, allowed: tuple[str, ...]) -> frozenset[str]:
    values = table[key]
    if not isinstance(values, list):
        raise PolicyError(f"policy key 'rules.{key}' must be a list")
    for value in values:
        if value not in allowed:
            raise PolicyError(f"policy key 'rules.{key}': {value!r} is not one of {list(allowed)}")
    return frozenset(values)


def _categories(table: dict[str, Any], key: str) -> frozenset[Category]:
    names = _names(table, key, tuple(category.value for category in Category))
    return frozenset(Category(name) for name in names)


def _positive_int(table: dict[str, Any], key: str, prefix: str) -> int:
    value = table.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise PolicyError(f"policy key '{prefix}.{key}': {value!r} is not a positive whole number")
    return value


def _limit(table: dict[str, Any], key: str, prefix: str) -> Limit:
    name = f"{prefix}.{key}"
    given = table.get(key)
    if not isinstance(given, dict):
        raise PolicyError(f"policy key {name!r} must be a table with failures and window")
    return Limit(
        failures=_positive_int(given, "failures", name),
        window=_duration(given.get("window"), f"{name}.window"),
    )


def _backoff(table: dict[str, Any], key: str) -> Backoff:
    name = f"sign_in.{key}"
    given = table.get(key)
    if not isinstance(given, dict):
        raise PolicyError(f"policy key {name!r} must be a table")
    backoff = Backoff(
        free_failures=_positive_int(given, "free_failures", name),
        first_delay=_duration(given.get("first_delay"), f"{name}.first_delay"),
        longest_delay=_duration(given.get("longest_delay"), f"{name}.longest_delay"),
        failures_per_hour=_positive_int(given, "failures_per_hour", name),
        failures_per_day=_positive_int(given, "failures_per_day", name),
    )
    if backoff.longest_delay < backoff.first_delay:
        raise PolicyError(f"policy key '{name}.longest_delay' is shorter than first_delay")
    if backoff.failures_per_day < backoff.failures_per_hour:
        raise PolicyError(f"policy key '{name}.failures_per_day' is below failures_per_hour")
    return backoff


def _phone(table: dict[str, Any]) -> PhoneBounds:
    counts = ("code_entry_tries", "invalid_keys", "repeats", "silences", "answers")
    return PhoneBounds(
        **{name: _positive_int(table, name, "phone") for name in counts},
        code_entry_time=_duration(table.get("code_entry_time"), "phone.code_entry_time"),
        call_time=_duration(table.get("call_time"), "phone.call_time"),
    )
