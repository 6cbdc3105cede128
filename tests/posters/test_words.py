"""Which sentences a poster has, by what the establishment and its phone line offer."""

from __future__ import annotations

from dataclasses import replace

from flask import Flask

from posters.facts import PosterFacts
from posters.words import poster_words
from translations.bidi import ltr


def said(app: Flask, facts: PosterFacts, language: str) -> list[str]:
    with app.app_context():
        words = poster_words(facts, language)
    return [sentence for block in words.blocks for sentence in (*block.sentences, *block.after)]


def test_the_phone_key_sentences_follow_the_menu(app: Flask, facts: PosterFacts) -> None:
    assert "For English, press \u20661\u2069." in said(app, facts, "en")
    star = said(app, replace(facts, menu_keys={"en": ("*", "3")}), "en")
    assert "For English, press the star key." in star
    assert "Then press \u20663\u2069." in star
    alone = said(app, replace(facts, menu_keys={"en": ()}), "en")
    assert not [sentence for sentence in alone if "press" in sentence and "code" not in sentence]
    missing = said(app, replace(facts, menu_keys={}), "en")
    assert "The phone line is not in your language yet." in missing


def test_without_phone_lines_or_kiosks_those_parts_are_left_out(
    app: Flask, facts: PosterFacts
) -> None:
    bare = said(app, replace(facts, phone_numbers=(), kiosk_places=()), "en")
    calls = [sentence for sentence in bare if "call" in sentence]
    assert calls == ["You can call Samaritans free on \u2066116\u00a0123\u2069."]
    assert "You can find a kiosk in these places:" not in bare
    assert "You do not have to give your name." in bare
    assert any("Samaritans" in sentence for sentence in bare)


BSL_AT_KIOSK = "The kiosk has videos in British Sign Language (BSL)."


def test_the_poster_says_bsl_is_at_the_kiosk_only_where_it_is(
    app: Flask, facts: PosterFacts
) -> None:
    assert facts.bsl_at_kiosk  # the establishment has signed a screen (conftest)
    printed = said(app, facts, "en")
    assert printed.index(BSL_AT_KIOSK) == printed.index("You can find a kiosk in these places:") + 1
    assert BSL_AT_KIOSK not in said(app, replace(facts, bsl_at_kiosk=False), "en")
    assert BSL_AT_KIOSK not in said(app, replace(facts, kiosk_places=()), "en")
    assert BSL_AT_KIOSK not in said(app, facts, "pl")  # in the poster's own language


def test_the_phone_part_always_gives_relay_uk(app: Flask, facts: PosterFacts) -> None:
    dial = ltr("18001 " + facts.phone_numbers[0]).replace(" ", "\u00a0")
    for bsl in (True, False):
        printed = said(app, replace(facts, bsl_at_kiosk=bsl), "en")
        assert "If you cannot hear or speak well, you can call through Relay UK." in printed
        assert f"For Relay UK, dial {dial}." in printed
    assert not [s for s in said(app, replace(facts, phone_numbers=()), "en") if "Relay" in s]
