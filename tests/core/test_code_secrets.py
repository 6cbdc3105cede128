"""The rules of a code kept safe (safeguarding.code_secrets), without a door."""

from __future__ import annotations

import pytest

from safeguarding.code_secrets import (
    normalise_secret,
    open_report_with_secret,
    set_code_secret,
)
from safeguarding.errors import CodeLookupRefused, CodeSecretMalformed
from safeguarding.lookup import Seeker
from safeguarding.services import Services
from storage.models import Report
from tests.factories import new_establishment, submit


def keep(services: Services, report_id: int, kind: str, chosen: list[str]) -> str:
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        set_code_secret(session, report=report, kind=kind, chosen=chosen, clock=services.clock)
        assert report.code_secret_hash is not None
        return report.code_secret_hash


def try_secret(services: Services, report_id: int, chosen: list[str], who: str = "s") -> bool:
    with services.db.transaction() as session:
        return open_report_with_secret(
            session,
            report_id=report_id,
            chosen=chosen,
            seeker=Seeker(establishment_id=1, session=who),
            pepper=services.secrets.code_pepper,
            limits=services.policy.lookup,
            clock=services.clock,
        )


@pytest.mark.parametrize(
    ("kind", "chosen"),
    [
        ("pin", ["1", "2", "3"]),
        ("pin", ["1", "2", "3", "x"]),
        ("pictures", ["sun", "moon", "star", "dragon"]),
        ("pictures", ["sun"] * 5),
        ("colour", ["1", "2", "3", "4"]),
    ],
)
def test_only_four_of_the_grid_or_four_digits_are_a_secret(kind: str, chosen: list[str]) -> None:
    with pytest.raises(CodeSecretMalformed):
        normalise_secret(kind, chosen)


def test_the_hash_is_argon2_and_keyed_to_its_report(services: Services) -> None:
    establishment_id = new_establishment(services)
    first = submit(services, establishment_id).report_id
    second = submit(services, establishment_id).report_id
    stored = keep(services, first, "pin", list("2468"))
    assert stored.startswith("$argon2id$") and "2468" not in stored
    assert try_secret(services, first, list("2468"))
    keep(services, second, "pin", list("1357"))
    with services.db.transaction() as session:  # a DBA copies the hash to another report
        report = session.get(Report, second)
        assert report is not None
        report.code_secret_hash = stored
    assert not try_secret(services, second, list("2468"), who="dba")


def test_a_report_is_locked_after_five_wrong_secrets_from_anywhere(services: Services) -> None:
    establishment_id = new_establishment(services)
    report_id = submit(services, establishment_id).report_id
    keep(services, report_id, "pictures", ["sun", "sun", "boat", "key"])
    for attempt in range(5):  # each from a new session: only the report's own scope adds up
        assert not try_secret(services, report_id, ["sun"] * 4, who=f"session-{attempt}")
    with pytest.raises(CodeLookupRefused):
        try_secret(services, report_id, ["sun", "sun", "boat", "key"], who="owner")
