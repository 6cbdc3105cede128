"""British Sign Language at the kiosk (issue 17.2): the BSL tile, each screen's video and
its English captions.

A person who chooses BSL reads the screens in English and, above each screen that has one,
sees the establishment's video of it signed. Videos come only from this server, only the
kiosk's own establishment's (safeguarding.bsl_videos), never cached, and play only when
touched, muted (a kiosk may be in earshot of others; signing needs no sound). A screen
without a video is the English screen as usual: no empty player.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import Blueprint, abort, g, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from werkzeug.wrappers import Response

from kiosk import keep_words, people_words, wishes_words, words
from kiosk.context import KioskPlace, current_draft, place, services
from kiosk.screens import SCREENS, choices_for
from safeguarding.bsl_videos import (
    BSL_SCREENS,
    kiosk_slots,
    kiosk_video,
    offers_bsl,
    takes_video,
    webvtt,
)
from safeguarding.drafts import QUESTIONS
from translations.languages import SOURCE_LANGUAGE

BSL_CHOICE = "bsl"  # the language screen's value for British Sign Language
# Named in English on the language screen, as every language there is named in itself: a
# person who signs reads the screens in English.
BSL_NAME = "British Sign Language (BSL)"
BSL_PICTURE = "Picture: two hands signing."
# The screens whose title comes from the words of each screen rather than kiosk.screens.
_FIXED_TITLES: dict[str, Callable[[KioskPlace], dict[str, str]]] = {
    "menu": lambda _place: words.menu(),
    "check": lambda _place: words.check(),
    "sent": lambda place: words.sent(timedelta(hours=1), place.phone_number, urgent=False),
    "keep_offer": lambda _place: keep_words.keep_offer(),
    "keep_done": lambda _place: keep_words.keep_done(),
    "wishes_wants": lambda _place: wishes_words.wants(),
    "wishes_sharing": lambda _place: wishes_words.sharing(),
    "wishes_thanks": lambda _place: wishes_words.thanks(),
    "people_at_risk": lambda _place: people_words.at_risk(),
    "people_causing_harm": lambda _place: people_words.causing_harm(),
    "people_thanks": lambda _place: wishes_words.thanks(),
    "code": lambda _place: words.code_entry(),
    "status": lambda _place: words.status(),
    "add": lambda _place: words.add(),
    "added": lambda _place: words.added(),
    "feelings_did_we": lambda _place: wishes_words.did_we(),
    "feelings_safer": lambda _place: wishes_words.safer(),
    "feelings_thanks": lambda _place: wishes_words.thanks(),
    "safe_now": lambda _place: wishes_words.safe_now(),
    "not_sent": lambda place: words.not_sent(place.phone_number),
    "too_many": lambda place: words.too_many_reports(place.phone_number),
}


@dataclass(frozen=True)
class ScreenVideo:
    """What a screen shows in BSL: the video and its captions, both from our own routes."""

    slot: str
    video_url: str
    captions_url: str


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/bsl/<slot>", view_func=video, methods=["GET"])
    bp.add_url_rule("/bsl/<slot>/captions.vtt", view_func=captions, methods=["GET"])


def bsl_sentences(kiosk_place: KioskPlace) -> list[tuple[str, str]]:
    """Every slot that takes a video at this place and the sentence it signs, in the current
    language (English for the administrators' page and the captions)."""
    found: list[tuple[str, str]] = []
    for screen in BSL_SCREENS:
        if screen in QUESTIONS:
            found.append((screen, str(SCREENS[screen].title)))
            found += [
                (f"{screen}.{choice.value}", str(choice.label))
                for choice in choices_for(screen, kiosk_place)
            ]
        else:
            found.append((screen, _FIXED_TITLES[screen](kiosk_place)["title"]))
    return [(slot, text) for slot, text in found if takes_video(slot)]


def signing() -> bool:
    """Whether this person chose BSL."""
    draft = current_draft()
    return draft is not None and draft.state.signing


def bsl_offered() -> bool:
    """The language screen offers BSL where the establishment has at least one video."""
    with services().db.reading() as session:
        return offers_bsl(session, place().establishment_id)


def screen_video(slot: str | None) -> ScreenVideo | None:
    """The video to show on this screen, for a person who chose BSL; None otherwise."""
    if not slot or not signing():
        return None
    if slot not in _slots():
        return None
    return ScreenVideo(
        slot=slot,
        video_url=url_for("kiosk.video", slot=slot),
        captions_url=url_for("kiosk.captions", slot=slot),
    )


def _slots() -> frozenset[str]:
    """This establishment's slots with a video, read once per request."""
    found: frozenset[str] | None = g.get("kiosk_bsl_slots")
    if found is None:
        with services().db.reading() as session:
            found = kiosk_slots(session, place().establishment_id)
        g.kiosk_bsl_slots = found
    return found


def video(slot: str) -> ResponseReturnValue:
    """The video, from this kiosk's own establishment only (a kiosk of another prison gets
    404 for the same slot), with byte ranges so the player can seek."""
    with services().db.reading() as session:
        found = kiosk_video(session, establishment_id=place().establishment_id, slot=slot)
    if found is None:
        abort(404)
    facts, data = found
    response: Response = send_file(
        io.BytesIO(data), mimetype=facts.content_type, conditional=True, etag=facts.sha256,
        max_age=0,
    )  # fmt: skip
    return response


def captions(slot: str) -> ResponseReturnValue:
    """WebVTT captions in English: the sentence the video signs, shown the whole time."""
    if not takes_video(slot):
        abort(404)
    with force_locale(SOURCE_LANGUAGE):
        sentences = dict(bsl_sentences(place()))
    text = sentences.get(slot)
    if text is None:
        abort(404)
    return Response(webvtt(text), mimetype="text/vtt")


def choice_videos(screen: str | None) -> list[tuple[ScreenVideo, str]]:
    """The videos of a question screen's choices, each with the choice's words."""
    if not screen or screen not in QUESTIONS or not signing():
        return []
    found = []
    for choice in choices_for(screen, place()):
        shown = screen_video(f"{screen}.{choice.value}")
        if shown is not None:
            found.append((shown, str(choice.label)))
    return found
