"""Who a report is about, at intake: sealed as written, joined by blind index only.

As a database administrator would meet it (nothing readable, nothing guessable without the
index key) and as the lead relies on it (the same person matched across doors and prisons).
"""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select

from safeguarding.errors import InvalidSubmission
from safeguarding.people import AT_RISK, CAUSING_HARM, REPORTER, PersonGiven, opened_people
from safeguarding.services import Services
from storage.models import Report, ReportPerson
from tests.core.test_storage import _raw_database_bytes
from tests.factories import new_establishment, submit

HARM_NAME = "Zebedee Quillfeather"  # a name no other fixture uses


def harm(name: str, kind: str = "prisoner", identifier_kind: str = "name") -> PersonGiven:
    return PersonGiven(CAUSING_HARM, kind, identifier_kind, name)


def indexes(services: Services, report_id: int) -> list[str | None]:
    with services.db.transaction() as session:
        return list(
            session.scalars(
                select(ReportPerson.blind_index)
                .where(ReportPerson.report_id == report_id)
                .order_by(ReportPerson.id)
            )
        )


def test_the_same_person_matches_across_doors_and_prisons(services: Services) -> None:
    here, there = new_establishment(services), new_establishment(services, name="HMP Other")
    by_kiosk = submit(services, here, people=(harm(HARM_NAME),)).report_id
    by_phone = submit(services, here, channel="phone", people=(harm("QUILLFEATHER, zebedee"),))
    elsewhere = submit(services, there, people=(harm("Mr Zébédée Quillfeather"),)).report_id
    someone_else = submit(services, here, people=(harm("Zebedee Quillfeathers"),)).report_id
    first = indexes(services, by_kiosk)[0]
    assert first is not None
    assert indexes(services, by_phone.report_id) == [first]
    assert indexes(services, elsewhere) == [first]
    assert indexes(services, someone_else) != [first]


def test_a_name_and_a_prison_number_never_match_each_other(services: Services) -> None:
    place = new_establishment(services)
    as_number = submit(services, place, people=(harm("A1234BC", identifier_kind="prison_number"),))
    as_name = submit(services, place, people=(harm("A1234BC"),))
    assert indexes(services, as_number.report_id) != indexes(services, as_name.report_id)


def test_nothing_readable_or_guessable_is_stored(services: Services, database_kind: str) -> None:
    place = new_establishment(services)
    submit(
        services, place, people=(harm(HARM_NAME), harm("B9876CD", identifier_kind="prison_number"))
    )
    raw = _raw_database_bytes(database_kind, services.db.engine.url.render_as_string(False))
    for secret in (HARM_NAME, "Quillfeather", "quillfeather", "B9876CD"):
        assert secret.encode() not in raw
    # An unkeyed hash of the normal form (what a thief would try) is not what is stored.
    for guess in ("quillfeather zebedee", "name\x1fquillfeather zebedee"):
        assert hashlib.sha256(guess.encode()).hexdigest().encode() not in raw


def test_the_lead_reads_the_people_as_given(services: Services) -> None:
    place = new_establishment(services)
    given = (PersonGiven(AT_RISK, "self"), harm(HARM_NAME, kind="staff"))
    report_id = submit(services, place, people=given).report_id
    with services.db.transaction() as session:
        people = opened_people(session, services.secrets, report_id)
    assert [(p.role, p.kind, p.identifier) for p in people] == [
        (AT_RISK, "self", None),
        (CAUSING_HARM, "staff", HARM_NAME),
    ]


def test_a_reporter_who_gives_their_prison_number_is_indexed_as_the_reporter(
    services: Services,
) -> None:
    place = new_establishment(services)
    first = submit(services, place, reporter_identity="Sam Jones, cell 4, a1234bc").report_id
    again = submit(services, place, reporter_identity="Sam Jones A1234BC").report_id
    with services.db.transaction() as session:
        rows = session.scalars(select(ReportPerson).where(ReportPerson.role == REPORTER)).all()
    assert {row.report_id for row in rows} == {first, again}
    assert len({row.blind_index for row in rows}) == 1


@pytest.mark.parametrize(
    ("person", "problem"),
    [
        (PersonGiven("judge", "prisoner"), "person_role:invalid"),
        (PersonGiven(CAUSING_HARM, "self"), "person_kind:invalid"),
        (harm("12345", identifier_kind="prison_number"), "person_identifier:not_a_prison_number"),
        (harm("x" * 201), "person_identifier:too_long"),
        (PersonGiven(CAUSING_HARM, "not_saying", "name", "Jon"), "person_identifier:not_expected"),
    ],
)
def test_a_wrong_person_is_refused_and_nothing_is_written(
    services: Services, person: PersonGiven, problem: str
) -> None:
    place = new_establishment(services)
    with pytest.raises(InvalidSubmission, match=problem):
        submit(services, place, people=(person,))
    with services.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Report)) == 0
        assert session.scalar(select(func.count()).select_from(ReportPerson)) == 0
