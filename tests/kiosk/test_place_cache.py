"""The kiosk's place cache (safeguarding.place_cache): one establishment's name, languages,
wings and phone number, kept per process and keyed by (establishment id, place_version).

It must never show one establishment's place to another, and never outlive a change, even
one made by another process: here the changes go through a second engine of their own, as
an administrator's would from another app server, and the database's triggers
(0021_place_versions) are what tell the kiosk."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import delete, insert, select, update

from kiosk.context import KioskPlace, place
from safeguarding.services import Services
from storage.db import Database
from storage.models import Establishment, Location, PhoneLine
from tests.conftest import START
from tests.factories import new_establishment
from tests.kiosk.conftest import enrolment_token
from tests.kiosk.pages import Kiosk


@pytest.fixture
def elsewhere(database_url: str) -> Iterator[Database]:
    """Another process's connection to the same database."""
    db = Database.connect(database_url)
    yield db
    db.dispose()


def seen(kiosk: Kiosk) -> KioskPlace:
    """What the kiosk knew about its place while serving a page."""
    with kiosk.client:
        kiosk.get("/kiosk/")
        return place()


def enrolled_kiosk(app: Flask, services: Services, establishment_id: int) -> Kiosk:
    client = app.test_client()
    token = enrolment_token(services, establishment_id)
    assert client.post("/kiosk/enrol", data={"token": token}).status_code == 303
    return Kiosk(client)


def test_a_change_made_elsewhere_shows_on_the_next_page(
    kiosk: Kiosk, elsewhere: Database, establishment_id: int
) -> None:
    before = seen(kiosk)
    assert before.establishment_name == "HMP Testing"
    assert [name for _id, name in before.locations] == ["A Wing", "B Wing", "Healthcare"]
    assert seen(kiosk) == before  # from the cache now
    changes = [
        update(Establishment).values(name="HMP Renamed", languages="en,ar", kiosk_idle_seconds=60),
        update(Location).where(Location.name == "A Wing").values(name="C Wing"),
        delete(Location).where(Location.name == "Healthcare"),
        insert(Location).values(establishment_id=establishment_id, name="Gym", position=9),
        update(PhoneLine).values(number="+442079460000"),
    ]
    for change in changes:
        with elsewhere.engine.begin() as connection:
            connection.execute(change)
        assert seen(kiosk) != before, change
    after = seen(kiosk)
    assert after.establishment_name == "HMP Renamed"
    assert after.language_codes == ["en", "ar"] and after.idle_seconds == 60
    assert [name for _id, name in after.locations] == ["C Wing", "B Wing", "Gym"]
    assert after.phone_number == "020 7946 0000"
    assert "Cymraeg" not in kiosk.get("/kiosk/").text


def test_a_phone_line_added_first_or_removed_shows_at_once(
    kiosk: Kiosk, elsewhere: Database, establishment_id: int
) -> None:
    shown = seen(kiosk).phone_number
    assert shown is not None
    with elsewhere.engine.begin() as connection:
        connection.execute(delete(PhoneLine))
    assert seen(kiosk).phone_number is None
    with elsewhere.engine.begin() as connection:
        connection.execute(
            insert(PhoneLine).values(
                establishment_id=establishment_id,
                number="+442079460000",
                label="",
                created_at=START,
            )
        )
    assert seen(kiosk).phone_number == "020 7946 0000"


def test_two_establishments_never_see_each_others_place(
    app: Flask, services: Services, kiosk: Kiosk, establishment_id: int, elsewhere: Database
) -> None:
    other_id = new_establishment(services, name="HMP Other", languages="en")
    other = enrolled_kiosk(app, services, other_id)
    for _round in range(2):  # the second round from the cache
        mine, theirs = seen(kiosk), seen(other)
        assert (mine.establishment_id, mine.establishment_name) == (establishment_id, "HMP Testing")
        assert (theirs.establishment_id, theirs.establishment_name) == (other_id, "HMP Other")
        assert not set(mine.location_ids) & set(theirs.location_ids)
        assert mine.phone_number != theirs.phone_number
    # A change to one establishment leaves the other's place as it was, and vice versa.
    with elsewhere.engine.begin() as connection:
        connection.execute(
            update(Location).where(Location.establishment_id == other_id).values(name="Other")
        )
    assert [name for _id, name in seen(kiosk).locations] == ["A Wing", "B Wing", "Healthcare"]
    assert [name for _id, name in seen(other).locations] == ["Other"] * 3


def test_every_change_to_a_place_moves_its_version_and_only_its_own(
    services: Services, establishment_id: int
) -> None:
    other_id = new_establishment(services)

    def versions() -> tuple[int, int]:
        with services.db.reading() as session:
            rows = {
                row.id: row.place_version
                for row in session.execute(select(Establishment.id, Establishment.place_version))
            }
        return rows[establishment_id], rows[other_id]

    mine = Location.establishment_id == establishment_id
    changes = [
        update(Establishment).where(Establishment.id == establishment_id).values(say_voices="{}"),
        insert(Location).values(establishment_id=establishment_id, name="Gym", position=5),
        update(Location).where(mine, Location.name == "Gym").values(position=6),
        delete(Location).where(mine, Location.name == "Gym"),
        insert(PhoneLine).values(
            establishment_id=establishment_id, number="+442079460001", label="", created_at=START
        ),
        update(PhoneLine).where(PhoneLine.number == "+442079460001").values(label="spare"),
        delete(PhoneLine).where(PhoneLine.number == "+442079460001"),
    ]
    for change in changes:
        before = versions()
        with services.db.transaction() as session:
            session.execute(change)
        after = versions()
        assert after[0] > before[0] and after[1] == before[1], change
    # A wing moved to the other establishment changes both.
    before = versions()
    with services.db.transaction() as session:
        session.execute(
            update(Location)
            .where(mine, Location.name == "A Wing")
            .values(establishment_id=other_id)
        )
    after = versions()
    assert after[0] > before[0] and after[1] > before[1]
