"""What a door shows about an establishment: its name, languages, wings and phone number.

The kiosk reads these through its place cache (safeguarding.place_cache) once per change of
the establishment, so this is the one place that reads them: three reads (the
establishment, its locations, its first phone line).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from safeguarding.phone_numbers import display_phone_number
from storage.models import Establishment
from storage.repositories.drafts import find_phone_number


@dataclass(frozen=True)
class PlaceFacts:
    """An establishment as a door shows it; no row, so nothing here reads again later."""

    establishment_id: int
    name: str
    idle_seconds: int  # a kiosk session ends after this long untouched
    language_codes: tuple[str, ...]  # in the establishment's order, translated or not
    locations: tuple[tuple[int, str], ...]  # (location id, name), the wings a person picks
    phone_number: str | None  # the safeguarding line as shown and spoken, if there is one


def read_place(session: Session, establishment_id: int) -> PlaceFacts | None:
    """The establishment's facts, or None when there is no such establishment."""
    establishment = session.get(Establishment, establishment_id)
    if establishment is None:
        return None
    return PlaceFacts(
        establishment_id=establishment.id,
        name=establishment.name,
        idle_seconds=establishment.kiosk_idle_seconds,
        language_codes=tuple(establishment.language_codes),
        locations=tuple((location.id, location.name) for location in establishment.locations),
        phone_number=display_phone_number(find_phone_number(session, establishment.id)),
    )
