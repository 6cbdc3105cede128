"""Which languages the phone line offers, and why; the language menu for many languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from ivr.languages import phone_languages
from ivr.prompts import inventory
from ivr.settings import IvrSettings
from safeguarding.services import Services
from speech.checks import check_audio
from speech.engine import synthesise_wav
from speech.render import SpeechRenderer
from storage.models import Report
from tests.ivr.conftest import AUTH_TOKEN, add_line
from tests.ivr.emulator import CallLog, HangUp, Keys, TwilioEmulator
from tests.ivr.test_call_flow import REPORT_ABOUT_ME_NO_STAFF, assert_clean
from tests.ivr.transcript import transcript
from tests.support.prompts import store_prompt
from translations.languages import BY_CODE, LANGUAGES, has_catalog, offerable_languages

# What a language offers and sounds like does not touch the database differently: the call
# flow's own tests run on both; these run on SQLite only (tests/conftest.py).
pytestmark = pytest.mark.one_database

ALL = [language.code for language in LANGUAGES]


def every_catalog(code: str) -> bool:
    """Stands in for the translation work: as if every language had its catalog."""
    return True


def record_every_prompt(app: Flask, services: Services, language: str, tmp: Path) -> None:
    """A person's recordings of every prompt (here: espeak reading the sentences), kept as
    the installation's defaults."""
    with app.app_context():
        lines = inventory(language, BY_CODE[language].native_name)
    for number, line in enumerate(lines):
        wav = tmp / f"{number}.wav"
        synthesise_wav(line.text, "en", wav)
        store_prompt(services, wav, text=line.text, language=language, prompt_id=line.id)


def test_a_language_needs_a_catalog_and_audio_for_every_prompt(
    app: Flask, renderer: SpeechRenderer, services: Services, tmp_path: Path
) -> None:
    with app.app_context():
        untranslated = phone_languages(
            ["en", "cy"], catalog_check=lambda code: code == "en", renderer=renderer, say_voices={}
        )
        assert untranslated.offered == ["en"]
        assert untranslated.left_out == {"cy": "no translation catalog"}
        real = phone_languages(
            ["en", "cy", "so", "xx"], catalog_check=has_catalog, renderer=renderer, say_voices={}
        )
        assert real.offered == ["en", "cy"]  # Somali has a catalog but no voice yet
        assert real.left_out["xx"] == "unknown language"
        assert real.left_out["so"].startswith("no audio for every prompt")
    record_every_prompt(app, services, "so", tmp_path)
    with app.app_context():
        recorded = phone_languages(
            ["en", "cy", "so"], catalog_check=every_catalog, renderer=renderer.scoped(None),
            say_voices={},
        )  # fmt: skip
    assert recorded.offered == ["en", "cy", "so"]


def test_a_twilio_voice_counts_as_audio(app: Flask, renderer: SpeechRenderer) -> None:
    with app.app_context():
        found = phone_languages(
            ["so", "pl"],
            catalog_check=every_catalog,
            renderer=renderer,
            say_voices={"pl": "Polly.Ewa"},
        )
    # Somali has no Twilio <Say> language either: only recordings can make it speak.
    assert found.offered == ["pl"]


@pytest.fixture
def many_languages(ivr_settings: IvrSettings) -> IvrSettings:
    ivr_settings.catalog_check = every_catalog
    return ivr_settings


def test_the_menu_speaks_each_language_in_itself_and_star_opens_the_rest(
    app: Flask, client: object, services: Services, many_languages: IvrSettings
) -> None:
    line = add_line(services, languages=",".join(ALL))
    phone = TwilioEmulator(client, auth_token=AUTH_TOKEN, to=line.number)  # type: ignore[arg-type]
    log = phone.call([Keys("*"), Keys("2"), HangUp()])
    assert_clean(log)
    first_menu = log.exchanges[0]
    played = [url for url in log.played() if "/audio/prompts/" in url]
    offered = [code for code in ALL if code != "so"]  # no Somali voice or recordings
    spoken_in = [url.split("/audio/prompts/")[1].split("/")[0] for url in played[:11]]
    assert spoken_in == offered  # each entry in its own language, establishment order
    heard = transcript(app, log)
    assert heard[:9] == [f"language.entry.{k}" for k in range(1, 10)]
    assert heard[9:11] == ["language.entry.star", "language.entry.star"]
    assert "Gather" in first_menu.body
    # Star, then 2: the second language of the second menu (Vietnamese).
    start = log.exchanges[2]
    assert "lang=vi" in start.url or "/audio/prompts/vi/" in start.body


def test_the_language_menu_reaches_every_language_within_30_seconds(
    app: Flask, services: Services, many_languages: IvrSettings, client: object
) -> None:
    """The worst case: the last language of the second menu. Its speaker listens to the
    whole first menu up to the star entries, presses star, then waits for their entry."""
    line = add_line(services, languages=",".join(ALL))
    phone = TwilioEmulator(client, auth_token=AUTH_TOKEN, to=line.number)  # type: ignore[arg-type]
    log = phone.call([Keys("*"), HangUp()])
    first, second = (transcript(app, _only(log, i)) for i in (0, 1))
    first_urls, second_urls = (_played(log, i) for i in (0, 1))
    until_star = len(first) - first[::-1].index("language.entry.star")
    entries = [name for name in second if name.startswith("language.entry.")]
    until_last = second.index(entries[-1]) + 1
    cache = many_languages.renderer.cache_dir
    seconds = sum(
        check_audio(cache / url.split("/")[-2] / url.split("/")[-1]).duration_seconds
        for url in first_urls[:until_star] + second_urls[:until_last]
    )
    print(f"last language offered after {seconds:.1f} s")
    assert seconds <= 30.0, f"the last language is offered after {seconds:.1f} s"


def _only(log: CallLog, index: int) -> CallLog:
    """The part of a call log heard in answer to its ``index``-th request."""
    body = log.exchanges[index].body
    part = CallLog(log.call_sid)
    part.heard = [h for h in log.heard if h.verb == "Play" and h.value in body]
    return part


def _played(log: CallLog, index: int) -> list[str]:
    return _only(log, index).played()


@pytest.mark.parametrize("language", ["en", "cy", "pl", "ar", "pa", "vi"])
def test_a_full_call_in_each_language(
    app: Flask, client: object, services: Services, many_languages: IvrSettings, language: str
) -> None:
    line = add_line(services, languages=f"en,{language}" if language != "en" else "en,cy")
    phone = TwilioEmulator(client, auth_token=AUTH_TOKEN, to=line.number)  # type: ignore[arg-type]
    key = "2" if language != "en" else "1"
    log = phone.call([Keys(key), *REPORT_ABOUT_ME_NO_STAFF])
    assert_clean(log)
    menu = log.exchanges[0].body.count("<Play>")
    assert all(f"/audio/prompts/{language}/" in url for url in log.played()[menu:])
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
        assert report.language == language
        assert len(report.answers) == 4 and len(report.recordings) == 1


# Every translated language with a synthetic voice; Somali joins once its prompts are
# recorded (test_a_language_needs_a_catalog_and_audio_for_every_prompt).
VOICED = [code for code in offerable_languages() if BY_CODE[code].espeak_voice]


@pytest.mark.parametrize("language", VOICED)
def test_every_offered_language_has_a_complete_call(
    app: Flask, client: object, services: Services, language: str
) -> None:
    """With the real catalogs: grows by itself as translations land."""
    line = add_line(services, languages=language)
    phone = TwilioEmulator(client, auth_token=AUTH_TOKEN, to=line.number)  # type: ignore[arg-type]
    log = phone.call(REPORT_ABOUT_ME_NO_STAFF)
    assert_clean(log)
    assert log.ended_by == "hangup-verb"
    with services.db.transaction() as session:
        assert session.scalars(select(Report.language)).one() == language
