"""What a poster says about one establishment, read from the database.

No report data is read: only the establishment, its phone lines, its kiosks' places and
the languages it offers. Which key chooses a language on the phone is the phone line's
own rule (ivr.languages), handed in by the composition root as a ``PhoneMenu``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.bsl_videos import offers_bsl
from safeguarding.phone_numbers import display_phone_number
from storage.models import Establishment, KioskDevice, Location, PhoneLine
from translations.languages import has_catalog

# Language code -> the keys a caller presses to choose it: () when the line speaks only
# that language (no menu), ("3",) on the first menu, ("*", "2") on the second. A language
# missing from the mapping is not spoken on the phone line.
MenuKeys = Mapping[str, tuple[str, ...]]
PhoneMenu = Callable[[Establishment], MenuKeys]  # the keys on this establishment's lines
PHONE_MENU_EXTENSION = "safereport.posters.phone_menu"  # where create_app puts the PhoneMenu


class UnknownEstablishment(LookupError):
    pass


@dataclass(frozen=True)
class PosterFacts:
    code: str
    name: str
    languages: tuple[str, ...]  # offered and translated, in the establishment's order
    phone_numbers: tuple[str, ...]  # as dialled from inside
    kiosk_places: tuple[str, ...]
    menu_keys: MenuKeys
    # The kiosk offers British Sign Language (it has at least one video: issue 17.2).
    bsl_at_kiosk: bool = False


def gather_facts(session: Session, *, code: str, phone_menu: PhoneMenu) -> PosterFacts:
    establishment = session.scalars(
        select(Establishment).where(Establishment.code == code.strip().upper())
    ).one_or_none()
    if establishment is None:
        raise UnknownEstablishment(code)
    offered = establishment.language_codes
    numbers = session.scalars(
        select(PhoneLine.number)
        .where(PhoneLine.establishment_id == establishment.id)
        .order_by(PhoneLine.id)
    )
    return PosterFacts(
        code=establishment.code,
        name=establishment.name,
        languages=tuple(language for language in offered if has_catalog(language)),
        phone_numbers=tuple(display_phone_number(number) or number for number in numbers),
        kiosk_places=kiosk_places(session, establishment.id),
        menu_keys=phone_menu(establishment),
        bsl_at_kiosk=offers_bsl(session, establishment.id),
    )


def kiosk_places(session: Session, establishment_id: int) -> tuple[str, ...]:
    """Where the establishment's kiosks stand: each kiosk's wing, or its name when it has
    none; revoked kiosks are gone and left out. In the establishment's order of places."""
    rows = session.execute(
        select(KioskDevice.label, Location.name)
        .outerjoin(Location, KioskDevice.location_id == Location.id)
        .where(KioskDevice.establishment_id == establishment_id)
        .where(KioskDevice.revoked_at.is_(None))
        .order_by(Location.position.is_(None), Location.position, Location.id, KioskDevice.label)
    )
    return tuple(dict.fromkeys(place or label for label, place in rows))
