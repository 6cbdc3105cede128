"""Sealed values are bound to their table, column and row (AES-GCM associated data): a
value copied to another row at the SQL level does not open there, and the migration
re-seals values that were bound to their column only."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from safeguarding.clock import FixedClock
from safeguarding.intake import submit_report
from safeguarding.policy import load_policy
from safeguarding.services import Services
from storage.crypto import SealError, Secrets, Vault
from storage.migrate import upgrade
from storage.models import Report
from storage.sealed_fields import REPORT_DETAILS, REPORTER_IDENTITY
from tests.conftest import START
from tests.core.test_audit_migration import old_engine  # noqa: F401  (fixture)
from tests.factories import make_establishment, make_submission, new_establishment, submit
from tests.support.migrations import upgrade_all_but


def test_a_sealed_value_copied_to_another_row_does_not_open(services: Services) -> None:
    """Fails on fe26a51: the copy opened as the other report's (only the column was bound)."""
    establishment_id = new_establishment(services)
    victim = submit(services, establishment_id, details="He hit me in the servery.").report_id
    other = submit(services, establishment_id, details="Something else.").report_id
    with services.db.transaction() as session:
        session.execute(
            text(
                "UPDATE report SET details_sealed = "
                "(SELECT details_sealed FROM report WHERE id = :v) WHERE id = :o"
            ),
            {"v": victim, "o": other},
        )  # fmt: skip
    with services.db.transaction() as session:
        copied = session.get(Report, other)
        assert copied is not None
        with pytest.raises(SealError):
            REPORT_DETAILS.open_text(services.secrets.vault, copied)
        original = session.get(Report, victim)
        assert REPORT_DETAILS.open_text(services.secrets.vault, original) == (  # type: ignore[arg-type]
            "He hit me in the servery."
        )


def test_a_sealed_value_moved_to_another_column_of_its_row_does_not_open(
    services: Services,
) -> None:
    establishment_id = new_establishment(services)
    report_id = submit(
        services, establishment_id, details="words", reporter_identity="Sam A1234BC"
    ).report_id
    with services.db.transaction() as session:
        session.execute(
            text("UPDATE report SET reporter_identity_sealed = details_sealed WHERE id = :r"),
            {"r": report_id},
        )
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        with pytest.raises(SealError):
            REPORTER_IDENTITY.open_text(services.secrets.vault, report)


def test_values_bound_to_their_column_only_are_resealed_to_their_rows(
    old_engine: Engine,  # noqa: F811
) -> None:
    vault = Vault({"k1": os.urandom(32)}, "k1")
    secrets = Secrets(vault, os.urandom(32), os.urandom(32), audit_key=os.urandom(32))
    upgrade_all_but(old_engine, not_yet=["0008_row_bound_seals"])
    ids = []
    with sessionmaker(old_engine, info={"audit_key": secrets.audit_key})() as session:
        establishment = make_establishment(session).id
        for words in ("first", "second"):
            receipt = submit_report(
                session, submission=make_submission(establishment, details="x"),
                secrets=secrets, policy=load_policy(), clock=FixedClock(START),
            )  # fmt: skip
            report = session.get(Report, receipt.report_id)
            assert report is not None
            # As fe26a51 sealed it: bound to the column only.
            report.details_sealed = vault.seal_text(words, purpose="report.details")
            ids.append(report.id)
        session.commit()
    upgrade(old_engine, vault=vault)
    with Session(old_engine) as session:
        reports = [session.get(Report, report_id) for report_id in ids]
        assert [REPORT_DETAILS.open_text(vault, r) for r in reports if r] == ["first", "second"]
