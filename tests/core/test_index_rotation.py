"""Rotating the blind-index key (docs/patterns.md): every person is indexed again under the
new key, the old key is retired, and the same person still matches across old and new
reports, as an engineer rotating keys after a suspected leak would need."""

from __future__ import annotations

import json

from sqlalchemy import select

from safeguarding.index_rotation import rotate_index_key
from safeguarding.people import CAUSING_HARM, PersonGiven
from safeguarding.services import Services
from safereport.config import Config
from safereport.services import build_services
from storage.models import ReportPerson
from tests.factories import new_establishment, submit

PERSON = PersonGiven(CAUSING_HARM, "prisoner", "name", "Zebedee Quillfeather")


def rows(services: Services) -> list[tuple[int, str | None, str | None]]:
    with services.db.transaction() as session:
        found = session.scalars(select(ReportPerson).order_by(ReportPerson.id))
        return [(row.report_id, row.blind_index, row.index_key_id) for row in found]


def test_rotation_reindexes_everyone_and_the_same_person_still_matches(
    services: Services, config: Config
) -> None:
    place = new_establishment(services)
    before = submit(services, place, people=(PERSON,)).report_id
    [(_, old_index, old_key)] = rows(services)
    indexed, retired = rotate_index_key(services.db, services.secrets.vault, config.keyfile_path)
    assert (indexed, retired) == (1, 1)
    [(_, new_index, new_key)] = rows(services)
    assert new_index != old_index and new_key != old_key
    keyfile = json.loads(config.keyfile_path.read_text())
    assert list(keyfile["index_keys"]) == [new_key] == [keyfile["active_index"]]
    restarted = build_services(config, clock=services.clock)  # the app after a restart
    after = submit(restarted, place, people=(PERSON,)).report_id
    indexes = {report_id: index for report_id, index, _ in rows(restarted)}
    assert indexes[before] == indexes[after] == new_index
    restarted.db.dispose()


def test_a_report_indexed_by_a_process_not_yet_restarted_is_caught_by_the_next_rotation(
    services: Services, config: Config
) -> None:
    place = new_establishment(services)
    submit(services, place, people=(PERSON,))
    rotate_index_key(services.db, services.secrets.vault, config.keyfile_path)
    # `services` was built before the rotation: it still indexes under the old key.
    submit(services, place, people=(PERSON,))
    _, retired = rotate_index_key(services.db, services.secrets.vault, config.keyfile_path)
    keys = json.loads(config.keyfile_path.read_text())["index_keys"]
    assert {key for *_, key in rows(services)} <= set(keys)
    assert retired == 1  # the middle key: nothing carries it any more
