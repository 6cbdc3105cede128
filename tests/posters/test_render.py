"""Every offered language gets an A4 poster and an A5 leaflet: the right page, the fonts
embedded, and the establishment's numbers and the language's own sentences in the text.

See tests/posters/pdf.py for what text extraction can and cannot prove per script."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask

from posters.facts import PosterFacts
from posters.render import Size, poster_html, poster_pdf
from posters.words import PosterWords, poster_words
from tests.posters.conftest import ALL
from tests.posters.pdf import fonts, normalise, page_sizes_mm, pdf_text, skeleton, words_of

PAGE_MM = {Size.A4: (210.0, 297.0), Size.A5: (148.0, 210.0)}
# The @font-face families of posters/templates/poster.html (Noto fonts, see render.py).
FONT_OF_SCRIPT = {"ar": "Poster-Arabic", "ur": "Poster-Urdu", "pa": "Poster-Gurmukhi"}
LATIN = [code for code in ALL if code not in FONT_OF_SCRIPT]


def sentences(words: PosterWords) -> list[str]:
    found = [words.title]
    for block in words.blocks:
        found += ([block.heading] if block.heading else []) + [*block.sentences, *block.after]
    return found


@pytest.mark.one_database  # the layout of words on paper: the same whatever the database
@pytest.mark.parametrize("size", list(Size))
@pytest.mark.parametrize("language", ALL)
def test_a_poster_in_every_language(
    app: Flask, facts: PosterFacts, language: str, size: Size
) -> None:
    with app.app_context():
        pdf = poster_pdf(facts, language, size)
        words = poster_words(facts, language)
        english = poster_words(facts, "en")

    # One page of the right size, whatever the language's length.
    [(width, height)] = page_sizes_mm(pdf)
    assert (round(width), round(height)) == PAGE_MM[size]

    # Every font is embedded and is one of ours (no system font stood in for a missing
    # glyph); the script's own font is among them.
    embedded = fonts(pdf)
    assert embedded and all(embedded.values()), embedded
    assert all(name.startswith("Poster-") for name in embedded), embedded
    assert any(name.startswith(FONT_OF_SCRIPT.get(language, "Poster-Latin")) for name in embedded)

    # The language's own sentences, not the English ones.
    if language != "en":
        assert not set(sentences(words)) & set(sentences(english))

    text = pdf_text(pdf)
    for number in ("01632 960999", "116 123", *facts.phone_numbers):
        assert number in normalise(text), (number, normalise(text))
    for sentence in sentences(words):
        assert printed(sentence, text, language, pdf_html=poster_html(words, size)), sentence


def printed(sentence: str, text: str, language: str, *, pdf_html: str) -> bool:
    if language in LATIN:
        return normalise(sentence) in normalise(text)
    if language == "pa":  # vowel signs come back moved: compare letters and digits
        return skeleton(sentence) in skeleton(text)
    if language == "ar":  # ligatures come back out of order: most words, every number
        wanted = words_of(sentence)
        present = set(words_of(text))
        digits_present = all(word in present for word in wanted if word.isdigit())
        return digits_present and sum(word in present for word in wanted) >= 0.6 * len(wanted)
    # Urdu Nastaliq cannot be read back from the PDF, but its numbers can (the language
    # key among them): those must be printed, and the sentence must be in what was laid
    # out. Its look was checked by eye.
    present = set(words_of(text))
    digits_present = all(word in present for word in words_of(sentence) if word.isdigit())
    return digits_present and normalise(sentence) in normalise(pdf_html)


@pytest.mark.one_database
def test_posters_made_at_the_same_time_are_each_as_when_made_alone(
    app: Flask, facts: PosterFacts
) -> None:
    """Two administrators download a poster at once (two server threads). The fonts are
    loaded once per process and shared (posters/render.py), so the renders take turns;
    each PDF has the same fonts and words as the same poster made on its own."""

    def make(language: str) -> bytes:
        with app.app_context():
            return poster_pdf(facts, language, Size.A5)

    languages = ["ur", "pa", "ar", "cy"]
    with ThreadPoolExecutor(max_workers=len(languages)) as pool:
        together = list(pool.map(make, languages))
    for language, pdf in zip(languages, together, strict=True):
        alone = make(language)
        assert fonts(pdf) == fonts(alone), language
        assert pdf_text(pdf) == pdf_text(alone), language
