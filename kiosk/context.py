"""Who is asking: the enrolled kiosk device, its establishment, and the person's kiosk session.

Before each kiosk request the device cookie is checked (anything else gets a neutral page),
the kiosk session's draft is opened (which keeps it alive), and its language is put in
``g.language`` for Flask-Babel. The browser holds two random tokens only: the device
secret and the kiosk session token; everything else stays on the server.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial, wraps
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

from flask import current_app, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from safeguarding.draft_leaving import purge_expired_drafts
from safeguarding.draft_reading import drafts_to_end, read_draft
from safeguarding.drafts import OpenDraft, open_draft
from safeguarding.kiosk_devices import recognise_kiosk
from safeguarding.place_cache import PlaceCache
from safeguarding.place_facts import PlaceFacts, read_place
from safeguarding.services import Services
from translations.languages import BY_CODE, SOURCE_LANGUAGE, Language, has_catalog

DEVICE_COOKIE = "kiosk_device"
SESSION_COOKIE = "kiosk_session"
COOKIE_PATH = "/kiosk"
DEVICE_COOKIE_MAX_AGE = 400 * 24 * 3600  # the longest Chromium keeps a cookie
# Endpoints that work without an enrolled device: enrolment itself, and leaving, which
# must blank the screen even when the database cannot be reached.
PLACE_CACHE = "safereport.kiosk_places"  # app.extensions: this app's PlaceCache
OPEN_ENDPOINTS = frozenset({"kiosk.static", "kiosk.enrol", "kiosk.leave", "kiosk.ready"})

View = TypeVar("View", bound=Callable[..., ResponseReturnValue])


class KioskConfig(Protocol):
    """What the kiosk reads from safereport.config.Config."""

    audio_cache_path: Path


@dataclass(frozen=True)
class KioskPlace:
    """The enrolled device and what the kiosk needs to know about its establishment."""

    device_id: int
    establishment_id: int
    establishment_name: str
    idle_seconds: int
    languages: tuple[Language, ...]  # offered here and translated, in the establishment's order
    locations: tuple[tuple[int, str], ...]
    phone_number: str | None

    @property
    def language_codes(self) -> list[str]:
        return [language.code for language in self.languages]

    @property
    def location_ids(self) -> list[int]:
        return [location_id for location_id, _name in self.locations]


def services() -> Services:
    return cast(Services, current_app.extensions["safereport"])


def kiosk_config() -> KioskConfig:
    return cast(KioskConfig, current_app.extensions["safereport.config"])


def place() -> KioskPlace:
    return cast(KioskPlace, g.kiosk_place)


def current_draft() -> OpenDraft | None:
    return cast(OpenDraft | None, g.get("kiosk_draft"))


def load_kiosk() -> ResponseReturnValue | None:
    """before_request: recognise the device, open the draft, choose the language.

    Most requests only read, in a read-only transaction (no write lock on SQLite). Only when
    an expired draft must be ended, or this draft's keep-alive is due, is everything done
    again in a writing transaction."""
    g.kiosk_help = None  # what the error pages may say even when the database is down
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    svc = services()
    with svc.db.reading() as session:
        seen = _read(session, svc)
    if seen is None:
        # Run again when PostgreSQL rolls it back to end a deadlock (an expired draft's
        # danger answer being filed, say: safeguarding.draft_leaving).
        seen = svc.db.retrying(partial(_open_in_one_transaction, svc))
    if isinstance(seen, _Stranger):
        return neutral_page()
    kiosk_place, draft = seen
    g.kiosk_place = kiosk_place
    g.kiosk_help = kiosk_place.phone_number
    g.kiosk_draft = draft
    g.language = draft.row.language if draft else kiosk_place.language_codes[0]
    return None


class _Stranger:
    """Not an enrolled kiosk."""


Seen = tuple[KioskPlace, OpenDraft | None] | _Stranger


def _device(session: Session, svc: Services) -> KioskPlace | None:
    """The enrolled device's place (its own id in ``device_id``), or None for a stranger."""
    kiosk = recognise_kiosk(
        session,
        device_secret=request.cookies.get(DEVICE_COOKIE, ""),
        pepper=svc.secrets.code_pepper,
    )
    if kiosk is None:
        return None
    return _cached_place(session, kiosk.device_id, kiosk.establishment_id, kiosk.place_version)


def _read(session: Session, svc: Services) -> Seen | None:
    """The place and the draft, read only; None when this request must write."""
    kiosk_place = _device(session, svc)
    if kiosk_place is None:
        return _Stranger()
    if drafts_to_end(session, svc.clock):
        return None
    token = request.cookies.get(SESSION_COOKIE, "")
    read = read_draft(
        session, token=token, device_id=kiosk_place.device_id, secrets=svc.secrets, clock=svc.clock
    )
    return None if read.needs_writing else (kiosk_place, read.draft)


def _open_in_one_transaction(svc: Services) -> Seen:
    with svc.db.transaction() as session:
        return _open(session, svc)


def _open(session: Session, svc: Services) -> Seen:
    """The place and the draft, in a writing transaction: expired drafts ended, the draft
    kept alive."""
    kiosk_place = _device(session, svc)
    if kiosk_place is None:
        return _Stranger()
    # Expired drafts first: one that says someone is in danger becomes a report.
    purge_expired_drafts(session, secrets=svc.secrets, policy=svc.policy, clock=svc.clock)
    draft = open_draft(
        session,
        token=request.cookies.get(SESSION_COOKIE, ""),
        device_id=kiosk_place.device_id,
        idle_seconds=kiosk_place.idle_seconds,
        secrets=svc.secrets,
        clock=svc.clock,
    )
    return kiosk_place, draft


def reopen_draft(session: Session) -> OpenDraft | None:
    """This request's draft again, locked for writing in the caller's transaction."""
    svc = services()
    kiosk = place()
    return open_draft(
        session,
        token=request.cookies.get(SESSION_COOKIE, ""),
        device_id=kiosk.device_id,
        idle_seconds=kiosk.idle_seconds,
        secrets=svc.secrets,
        clock=svc.clock,
    )


def _cached_place(
    session: Session, device_id: int, establishment_id: int, place_version: int
) -> KioskPlace:
    """The device's place from this app's cache (safeguarding.place_cache says how it is
    invalidated), at the place_version read with the device: no read when nothing changed."""
    cache = current_app.extensions.get(PLACE_CACHE)
    if cache is None:
        cache = current_app.extensions.setdefault(PLACE_CACHE, PlaceCache(_build_place))
    shared = cast(PlaceCache[KioskPlace], cache).get_at(session, establishment_id, place_version)
    return replace(shared, device_id=device_id)


def _build_place(session: Session, establishment_id: int) -> KioskPlace:
    facts = read_place(session, establishment_id)
    assert facts is not None
    return _place_of(facts)


def place_of_establishment(session: Session, establishment_id: int | None) -> KioskPlace:
    """What a kiosk of this establishment knows, without a kiosk (the prompts page and the
    command line list its sentences). None, or no such establishment: the sentences every
    establishment shares (no wings, no phone line)."""
    facts = read_place(session, establishment_id) if establishment_id else None
    if facts is None:
        return KioskPlace(0, 0, "", 0, (), (), None)
    return _place_of(facts)


def _place_of(facts: PlaceFacts) -> KioskPlace:
    """The establishment's facts as the kiosk uses them: only the languages it has a catalog
    for (a kiosk cannot show the others), English when none is left; no device yet."""
    languages = tuple(
        BY_CODE[code] for code in facts.language_codes if code in BY_CODE and has_catalog(code)
    ) or (BY_CODE[SOURCE_LANGUAGE],)
    return KioskPlace(
        device_id=0,
        establishment_id=facts.establishment_id,
        establishment_name=facts.name,
        idle_seconds=facts.idle_seconds,
        languages=languages,
        locations=facts.locations,
        phone_number=facts.phone_number,
    )


def neutral_page() -> ResponseReturnValue:
    """What any browser that is not an enrolled kiosk sees: nothing about SafeReport's use."""
    return render_template("kiosk/neutral.html"), 403


def needs_draft(view: View) -> View:
    """The view needs a live kiosk session; without one (expired, wiped) go to the start."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        if current_draft() is None:
            return redirect(url_for("kiosk.start"), 303)
        return view(*args, **kwargs)

    return cast(View, wrapper)


def set_session_cookie(response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        path=COOKIE_PATH,
        httponly=True,
        samesite="Strict",
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
    )


def set_device_cookie(response: Response, device_secret: str) -> None:
    response.set_cookie(
        DEVICE_COOKIE,
        device_secret,
        max_age=DEVICE_COOKIE_MAX_AGE,
        path=COOKIE_PATH,
        httponly=True,
        samesite="Strict",
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
    )


def forget_session(response: Response) -> Response:
    """Drop the session cookie and ask the browser to clear its cache and storage.

    Not "cookies": that would also drop the device cookie and unenrol the kiosk.
    """
    response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH, httponly=True, samesite="Strict")
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response
