"""Who a report is about: the person at risk, the person causing the harm, the reporter.

Every door may record them (all optional; "I don't know" and "I don't want to say" are
answers too), and staff add or correct them on the case page, audited with a reason.
What identifies a person is sealed; its blind index (storage.blind_index) is what lets
reports that name the same person be counted and joined without opening anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.conflicts import route_if_oversight_named
from safeguarding.errors import FieldProblem, InvalidSubmission
from safeguarding.identifiers import (
    IDENTIFIER_KINDS,
    INDEXED_KINDS,
    PRISON_NUMBER,
    normalise,
)
from storage.blind_index import blind_index
from storage.crypto import Secrets, Vault
from storage.models import Report, ReportPerson
from storage.sealed_fields import PERSON_IDENTIFIER

AT_RISK = "at_risk"
CAUSING_HARM = "causing_harm"
REPORTER = "reporter"
ROLES = (AT_RISK, CAUSING_HARM, REPORTER)

SELF = "self"
PRISONER = "prisoner"
STAFF = "staff"
OUTSIDE = "outside"
NOT_KNOWN = "not_known"
NOT_SAYING = "not_saying"
KINDS_BY_ROLE = {
    AT_RISK: (SELF, PRISONER, STAFF, OUTSIDE, NOT_KNOWN, NOT_SAYING),
    CAUSING_HARM: (PRISONER, STAFF, OUTSIDE, NOT_KNOWN, NOT_SAYING),
    REPORTER: (PRISONER,),
}
MAX_IDENTIFIER_CHARS = 200
FROM_REPORTER = "reporter"
FROM_STAFF = "staff"
_PRISON_NUMBER_IN_TEXT = re.compile(r"\b[A-Za-z]\s?\d{4}\s?[A-Za-z]{2}\b")


@dataclass(frozen=True)
class PersonGiven:
    """One person as a door or a member of staff gave them."""

    role: str
    kind: str
    identifier_kind: str | None = None
    identifier: str | None = None


@dataclass(frozen=True)
class OpenedPerson:
    id: int
    role: str
    kind: str
    identifier_kind: str | None
    identifier: str | None  # opened: only for those who may read the report
    source: str
    added_at: datetime


def check_person(person: PersonGiven) -> PersonGiven:
    """The person, tidied, or InvalidSubmission naming the field that is wrong."""
    problems: list[FieldProblem] = []
    if person.role not in ROLES:
        problems.append(FieldProblem("person_role", "invalid"))
    elif person.kind not in KINDS_BY_ROLE[person.role]:
        problems.append(FieldProblem("person_kind", "invalid"))
    text = (person.identifier or "").strip()
    kind = person.identifier_kind if text else None
    if text and kind not in IDENTIFIER_KINDS:
        problems.append(FieldProblem("person_identifier_kind", "invalid"))
    elif len(text) > MAX_IDENTIFIER_CHARS:
        problems.append(FieldProblem("person_identifier", "too_long"))
    elif kind == PRISON_NUMBER and normalise(kind, text) is None:
        problems.append(FieldProblem("person_identifier", "not_a_prison_number"))
    elif text and person.kind in (NOT_KNOWN, NOT_SAYING, SELF):
        problems.append(FieldProblem("person_identifier", "not_expected"))
    if problems:
        raise InvalidSubmission(problems)
    return PersonGiven(person.role, person.kind, kind, text or None)


def add_person(
    session: Session,
    secrets: Secrets,
    *,
    report_id: int,
    establishment_id: int,
    person: PersonGiven,
    source: str,
    actor: str,
    at: datetime,
) -> ReportPerson:
    person = check_person(person)
    row = ReportPerson(
        report_id=report_id,
        establishment_id=establishment_id,
        role=person.role,
        kind=person.kind,
        identifier_kind=person.identifier_kind,
        source=source,
        added_at=at,
        added_by=actor,
    )
    session.add(row)
    if person.identifier and person.identifier_kind:
        PERSON_IDENTIFIER.seal_text(secrets.vault, row, person.identifier)
        _index(session, row, person.identifier_kind, person.identifier)
    session.flush()
    _forget_people(session, report_id)
    return row


def _index(session: Session, row: ReportPerson, identifier_kind: str, text: str) -> None:
    normal = normalise(identifier_kind, text)
    if normal is None or identifier_kind not in INDEXED_KINDS:
        row.blind_index, row.index_key_id = None, None
        return
    row.blind_index, row.index_key_id = blind_index(session, identifier_kind, normal)


def reindex(session: Session, vault: Vault, row: ReportPerson) -> bool:
    """Index ``row`` again under the session's active key (a key rotation). Removed rows
    too: a correction stays on record. True if the row is now under the active key."""
    if row.identifier_kind is None:
        return False
    text = PERSON_IDENTIFIER.open_text(vault, row)
    if text is None:
        return False
    _index(session, row, row.identifier_kind, text)
    return row.index_key_id == session.info.get("active_index")


def remove_person(session: Session, row: ReportPerson, *, actor: str, at: datetime) -> None:
    """A correction keeps the old row for the record; it stops counting at once."""
    row.removed_at, row.removed_by = at, actor
    session.flush()
    _forget_people(session, row.report_id)


def _forget_people(session: Session, report_id: int) -> None:
    # The report's loaded list of people (what access checks read) is now out of date.
    report = session.get(Report, report_id)
    if report is not None:
        session.expire(report, ["people"])


def current_people(session: Session, report_id: int) -> list[ReportPerson]:
    return list(
        session.scalars(
            select(ReportPerson)
            .where(ReportPerson.report_id == report_id, ReportPerson.removed_at.is_(None))
            .order_by(ReportPerson.id)
        )
    )


def names_someone_among(people: Iterable[ReportPerson]) -> bool:
    """The same question as names_someone, asked of rows in hand (a new report's people)."""
    return any(
        p.removed_at is None and p.role == CAUSING_HARM and p.kind in (PRISONER, STAFF, OUTSIDE)
        for p in people
    )


def names_someone(session: Session, report_id: int) -> bool:
    """Does the report say who caused the harm (a prisoner, staff, someone outside)?"""
    found = session.scalar(
        select(ReportPerson.id)
        .where(
            ReportPerson.report_id == report_id,
            ReportPerson.removed_at.is_(None),
            ReportPerson.role == CAUSING_HARM,
            ReportPerson.kind.in_((PRISONER, STAFF, OUTSIDE)),
        )
        .limit(1)
    )
    return found is not None


def opened_people(session: Session, secrets: Secrets, report_id: int) -> list[OpenedPerson]:
    return [
        OpenedPerson(
            id=row.id,
            role=row.role,
            kind=row.kind,
            identifier_kind=row.identifier_kind,
            identifier=PERSON_IDENTIFIER.open_text(secrets.vault, row),
            source=row.source,
            added_at=row.added_at,
        )
        for row in current_people(session, report_id)
    ]


def record_people(
    session: Session,
    secrets: Secrets,
    report: Report,
    *,
    given: Sequence[PersonGiven],
    reporter_identity: str | None,
    actor: str,
) -> list[ReportPerson]:
    """The people a door gathered with a new report, and the reporter's own prison number
    if they gave one; then the report goes to the independent queue if it names the lead
    or a governor (before anyone is alerted). Returns the rows: all the report's people."""
    reporter = reporter_from_identity(reporter_identity)
    added = [
        add_person(
            session,
            secrets,
            report_id=report.id,
            establishment_id=report.establishment_id,
            person=person,
            source=FROM_REPORTER,
            actor=actor,
            at=report.created_at,
        )
        for person in (*given, *([reporter] if reporter else []))
    ]
    if added:  # a new report naming nobody cannot name the lead: no query needed
        named = frozenset(person.blind_index for person in added if person.blind_index)
        route_if_oversight_named(session, report, actor=actor, at=report.created_at, named=named)
    return added


def reporter_from_identity(identity: str | None) -> PersonGiven | None:
    """A reporter who gave their prison number is indexed as the reporter, so "the same
    person reported before" can be seen without opening either report."""
    found = _PRISON_NUMBER_IN_TEXT.search(identity or "")
    if found is None:
        return None
    return PersonGiven(REPORTER, PRISONER, PRISON_NUMBER, found.group(0))
