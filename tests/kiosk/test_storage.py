"""The kiosk's table matches its migration, and its sealed column is rotated with the rest."""

from __future__ import annotations

from safeguarding.services import Services
from storage.migrate import drift
from storage.sealed_fields import ALL_SEALED_FIELDS, KIOSK_DRAFT_STATE


def test_the_kiosk_draft_table_matches_the_migration(services: Services) -> None:
    differences = [d for d in drift(services.db.engine) if "kiosk_draft" in repr(d)]
    assert differences == []


def test_draft_answers_are_a_sealed_field() -> None:
    assert KIOSK_DRAFT_STATE in ALL_SEALED_FIELDS
    assert KIOSK_DRAFT_STATE.purpose == "kiosk_draft.state"
