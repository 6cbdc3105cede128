"""Reports told to staff: a prisoner tells an officer, a Listener or a chaplain, or fills
in a paper form, and someone on the safeguarding team enters it on their behalf.

The report goes through the same intake as the kiosk and the phone line (the same answers,
priority, queue and alerts). What differs: the channel (``in_person`` or ``paper``), who
entered it (on the timeline and in the audit log), and a printed slip that hands the
prisoner their follow-up code. The code is derived again from the form's submission key
whenever the slip is shown, never stored: a double submit shows the same report's slip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.access import (
    AccessDenied,
    Permission,
    StaffPrincipal,
    may,
    require_permission,
)
from safeguarding.catalogue import (
    CONCERNS_BY_ID,
    MAX_DETAILS_CHARS,
    MAX_IDENTITY_CHARS,
    STAFF_INVOLVED_ANSWERS,
    WHEN_ANSWERS,
)
from safeguarding.clock import Clock
from safeguarding.errors import FieldProblem, InvalidSubmission
from safeguarding.intake import ReportSubmission, take_report
from safeguarding.people import AT_RISK, CAUSING_HARM, PersonGiven, check_person
from safeguarding.policy import Policy
from safeguarding.wishes import SHARING, chosen_wants, record_wishes
from storage.crypto import Secrets
from storage.ids import parse_row_id
from storage.models import Establishment, Location, PhoneLine, Report, TimelineEvent
from storage.repositories.audit import append_audit
from storage.repositories.reports import add_timeline_event

STAFF_CHANNELS = ("in_person", "paper")
YES_NO = ("yes", "no")
# "Is anyone in danger now?": the person who told staff ("yes"), someone else, or nobody.
DANGER_ANSWERS = ("yes", "someone_else", "no")
ELSEWHERE = "elsewhere"  # "somewhere else, or not sure", as the kiosk's answer
MAX_NAME_CHARS = 100
# NOMIS prison numbers: a letter, four digits, two letters (A1234BC).
PRISON_NUMBER = re.compile(r"^[A-Z][0-9]{4}[A-Z]{2}$")
ENTERED_EVENT_KIND = "entered_by_staff"


@dataclass(frozen=True)
class PersonAnswer:
    kind: str = ""
    identifier_kind: str = ""
    identifier: str = ""


@dataclass(frozen=True)
class StaffEntry:
    """What the member of staff typed, as given (checked by ``entry_problems``)."""

    establishment_id: int
    channel: str
    language: str
    submission_key: str
    concerns: tuple[str, ...]
    in_danger_now: str  # yes (the person who told us) | someone_else | no
    staff_involved: str  # yes | no | not_sure
    about_someone_else: str  # yes | no
    where: str  # a location id of the establishment, or "elsewhere"
    when_happened: str
    details: str = ""
    name: str = ""
    prison_number: str = ""
    injured: str = ""  # yes | no: "Is anyone hurt?" (the policy's injured flag)
    wants: tuple[str, ...] = ()  # what they want to happen (safeguarding.wishes.WANTS)
    sharing: str = ""  # may we tell others (safeguarding.wishes.SHARING), "" not asked
    # Who is at risk and who is causing the harm (safeguarding.people), each optional: a
    # kind ("" not asked), what identifies them and how (a name, a number, a description).
    at_risk: PersonAnswer = field(default_factory=PersonAnswer)
    causing_harm: PersonAnswer = field(default_factory=PersonAnswer)


@dataclass(frozen=True)
class EnteredReport:
    """What the slip and the confirmation need. ``code`` is shown once and kept nowhere."""

    report_id: int
    code: str
    created: bool  # False when the same form was sent again
    urgent: bool  # in danger now, or a self-harm risk: the slip says what to do at once
    respond_within: timedelta  # the policy's clock for this report (acknowledge, else triage)
    language: str
    establishment_id: int
    may_open: bool  # the person who entered it may read it (not so for a deputy: restricted)


def normalise_prison_number(value: str) -> str:
    return re.sub(r"[\s\-]", "", value).upper()


def entry_problems(session: Session, entry: StaffEntry) -> list[FieldProblem]:
    """Every answer the kiosk requires is required here too; name and number are optional."""
    problems: list[FieldProblem] = []

    def check(ok: bool, field_name: str, code: str) -> None:
        if not ok:
            problems.append(FieldProblem(field_name, code))

    check(entry.channel in STAFF_CHANNELS, "channel", "required")
    establishment = session.get(Establishment, entry.establishment_id)
    check(establishment is not None, "establishment", "unknown")
    offered = establishment.language_codes if establishment is not None else []
    check(entry.language in offered, "language", "required")
    check(bool(entry.concerns), "concerns", "required")
    check(all(c in CONCERNS_BY_ID for c in entry.concerns), "concerns", "unknown_choice")
    check(entry.in_danger_now in DANGER_ANSWERS, "in_danger_now", "required")
    check(entry.staff_involved in STAFF_INVOLVED_ANSWERS, "staff_involved", "required")
    check(entry.about_someone_else in YES_NO, "about_someone_else", "required")
    check(entry.injured in YES_NO, "injured", "required")
    check(_place_ok(session, entry), "where", "required")
    check(entry.when_happened in WHEN_ANSWERS, "when_happened", "required")
    check(len(entry.details.strip()) <= MAX_DETAILS_CHARS, "details", "too_long")
    check(len(entry.name.strip()) <= MAX_NAME_CHARS, "name", "too_long")
    number = normalise_prison_number(entry.prison_number)
    check(not number or PRISON_NUMBER.match(number) is not None, "prison_number", "invalid")
    check(_wants_ok(entry.wants), "wants", "invalid")
    check(entry.sharing in ("", *SHARING), "sharing", "invalid")
    problems.extend(_people_problems(entry))
    return problems


def _people(entry: StaffEntry) -> tuple[PersonGiven, ...]:
    """The people the form names: only those whose kind was chosen."""
    return tuple(
        PersonGiven(role, answer.kind, answer.identifier_kind or None, answer.identifier)
        for role, answer in ((AT_RISK, entry.at_risk), (CAUSING_HARM, entry.causing_harm))
        if answer.kind or answer.identifier.strip()
    )


def _people_problems(entry: StaffEntry) -> list[FieldProblem]:
    """Each person's problems, named by the form's field (``at_risk_kind``...)."""
    problems: list[FieldProblem] = []
    for person in _people(entry):
        try:
            check_person(person)
        except InvalidSubmission as invalid:
            problems += [
                FieldProblem(p.field.replace("person", person.role, 1), p.code)
                for p in invalid.problems
            ]
    return problems


def _wants_ok(wants: tuple[str, ...]) -> bool:
    try:
        chosen_wants(list(wants))
    except InvalidSubmission:
        return False
    return True


def _place_ok(session: Session, entry: StaffEntry) -> bool:
    if entry.where == ELSEWHERE:
        return True
    location_id = parse_row_id(entry.where)
    if location_id is None:
        return False
    location = session.get(Location, location_id)
    return location is not None and location.establishment_id == entry.establishment_id


def _identity(entry: StaffEntry) -> str | None:
    """The same form of words as the kiosk, so the case page reads alike for both."""
    name = entry.name.strip()
    number = normalise_prison_number(entry.prison_number)
    if not name and not number:
        return None
    parts = [f"name: {name}"] if name else []
    parts += [f"prison number: {number}"] if number else []
    return "; ".join(parts)[:MAX_IDENTITY_CHARS]


def _submission(entry: StaffEntry) -> ReportSubmission:
    elsewhere = entry.where == ELSEWHERE
    return ReportSubmission(
        establishment_id=entry.establishment_id,
        channel=entry.channel,
        language=entry.language,
        submission_key=entry.submission_key,
        concerns=list(entry.concerns),
        in_danger_now=entry.in_danger_now == "yes",
        someone_else_in_danger_now=entry.in_danger_now == "someone_else",
        staff_involved=entry.staff_involved,
        about_someone_else=entry.about_someone_else == "yes",
        injured=entry.injured == "yes",
        location_id=None if elsewhere else int(entry.where),
        when_happened=entry.when_happened,
        details=entry.details.strip() or None,
        reporter_identity=_identity(entry),
        people=_people(entry),
        # What the reporter said, kept as said (the columns may say more: see drafts).
        extra_answers={
            "staff_involved": entry.staff_involved,
            "about": "someone_else" if entry.about_someone_else == "yes" else "me",
        }
        | ({"where": ELSEWHERE} if elsewhere else {}),
    )


def enter_report(
    session: Session,
    *,
    entry: StaffEntry,
    principal: StaffPrincipal,
    secrets: Secrets,
    policy: Policy,
    clock: Clock,
) -> EnteredReport:
    """Enter a report told to ``principal``, in the caller's transaction.

    Raises AccessDenied when their role may not enter reports or they do not work at the
    establishment, and InvalidSubmission (every problem at once) when an answer is missing.
    Entering a report does not let anyone read it: a deputy may enter a report that names
    staff, and it goes to the restricted queue they cannot see.
    """
    require_permission(principal, Permission.ENTER_REPORT)
    if entry.establishment_id not in principal.establishment_ids:
        raise AccessDenied(Permission.ENTER_REPORT.value)
    problems = entry_problems(session, entry)
    if problems:
        raise InvalidSubmission(problems)
    receipt, report = take_report(
        session, submission=_submission(entry), secrets=secrets, policy=policy, clock=clock
    )
    if receipt.created:
        _record_entry(session, report, principal, clock)
        # What they told staff they want, as the kiosk and phone ask it (issue 15.1).
        record_wishes(
            session, report=report, wants=list(entry.wants), sharing=entry.sharing or None,
            channel=entry.channel, vault=secrets.vault, clock=clock,
        )  # fmt: skip
    elif _entered_by(session, report.id) != principal.actor:
        # Someone else's form: its code is not this person's to see.
        raise AccessDenied(Permission.ENTER_REPORT.value)
    return EnteredReport(
        report_id=report.id,
        code=receipt.code,
        created=receipt.created,
        urgent=report.in_danger_now or report.someone_else_in_danger_now or report.self_harm_risk,
        respond_within=(report.acknowledge_due_at or report.triage_due_at) - report.created_at,
        language=report.language,
        establishment_id=report.establishment_id,
        may_open=may(principal, Permission.READ_REPORT, report),
    )


def _record_entry(
    session: Session, report: Report, principal: StaffPrincipal, clock: Clock
) -> None:
    now = clock.now()
    add_timeline_event(
        session,
        report,
        kind=ENTERED_EVENT_KIND,
        actor=principal.actor,
        at=now,
        summary=report.channel,
    )
    session.flush()
    append_audit(
        session,
        at=now,
        actor=principal.actor,
        action="report.entered_by_staff",
        report_id=report.id,
        detail={"channel": report.channel},
    )


def _entered_by(session: Session, report_id: int) -> str | None:
    return session.scalars(
        select(TimelineEvent.actor).where(
            TimelineEvent.report_id == report_id, TimelineEvent.kind == ENTERED_EVENT_KIND
        )
    ).first()


def record_slip_shown(
    session: Session, *, entered: EnteredReport, principal: StaffPrincipal, clock: Clock
) -> None:
    """Each showing of the slip (and so of the code) to a member of staff is on record."""
    append_audit(
        session,
        at=clock.now(),
        actor=principal.actor,
        action="report.slip_shown",
        report_id=entered.report_id,
    )


def safeguarding_line(session: Session, establishment_id: int) -> str | None:
    """The establishment's safeguarding phone line (E.164), for following up by phone."""
    return session.scalars(
        select(PhoneLine.number)
        .where(PhoneLine.establishment_id == establishment_id)
        .order_by(PhoneLine.id)
    ).first()
