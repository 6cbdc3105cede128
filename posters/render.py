"""HTML and CSS to PDF with WeasyPrint (Pango and HarfBuzz shape Arabic, Urdu Nastaliq and
Gurmukhi; the fonts are embedded, subset, so the PDF prints the same anywhere).

The fonts and pictures are files, not imports: Noto Sans and Noto Sans Arabic are in
posters/fonts (the kiosk's newer Arabic spoils the PDF's text layer, see docs/posters.md),
the Urdu and Gurmukhi fonts and the icons are the kiosk's own (kiosk/static), so a poster
looks like the screen it points to.
"""

from __future__ import annotations

import functools
import threading
from enum import StrEnum
from pathlib import Path

import weasyprint
from jinja2 import Environment, FileSystemLoader, select_autoescape
from weasyprint.text.fonts import FontConfiguration

from posters.facts import PosterFacts
from posters.words import PosterWords, poster_words

HERE = Path(__file__).parent
KIOSK_STATIC = HERE.parent / "kiosk" / "static"
FONT_DIRS = {"posters": HERE / "fonts", "kiosk": KIOSK_STATIC / "fonts"}
ICON_DIR = KIOSK_STATIC / "icons"

_templates = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


class Size(StrEnum):
    A4 = "a4"  # the poster, for a wing's notice board
    A5 = "a5"  # the leaflet, handed out at induction


# Type size in points. Nastaliq is tall (see poster.css), so Urdu starts smaller.
BASE_POINTS = {Size.A4: 17.0, Size.A5: 12.0}
URDU_SCALE = 0.88
# A poster must stay on one page, however many phone lines and kiosks, and however long
# the language's sentences; and its type should be as large as the page allows, for
# people who read with difficulty. The largest of these scales that fits is used.
SCALES = (1.2, 1.1, 1.0, 0.92, 0.84, 0.76, 0.68, 0.6)


def poster_html(words: PosterWords, size: Size, *, scale: float = 1.0) -> str:
    points = BASE_POINTS[size] * scale * (URDU_SCALE if words.language == "ur" else 1.0)
    return _templates.get_template("poster.html").render(
        words=words,
        size=size.value,
        page_size=size.value.upper(),
        points=round(points, 2),
        fonts={name: folder.as_uri() for name, folder in FONT_DIRS.items()},
        icons=ICON_DIR.as_uri(),
    )


# One poster at a time per process: the font configuration below is shared, and WeasyPrint
# (Pango, fontconfig) does not say it may be used by two threads at once. Posters are made
# by an administrator or a command, rarely, so nobody waits long.
_RENDERING = threading.Lock()


@functools.cache
def _fonts() -> FontConfiguration:
    """The template's @font-face fonts, loaded once per process. Without it WeasyPrint made
    a new configuration for every render and decoded each WOFF2 font (the kiosk's Urdu and
    Gurmukhi) again with fontTools, in Python: 72% of a poster's time, up to 8 renders a
    poster while finding the largest type that fits. Every poster has the same @font-face
    rules, so sharing them adds no font to a document that did not ask for it."""
    return FontConfiguration()


def poster_pdf(facts: PosterFacts, language: str, size: Size) -> bytes:
    """The poster as PDF, on one page in the largest type that fits (see SCALES).

    Needs an app context with Flask-Babel (the words are gettext sentences)."""
    words = poster_words(facts, language)
    # Our own files only: never a network address, and a missing font or picture fails.
    fetcher = weasyprint.URLFetcher(allowed_protocols=("file",), fail_on_errors=True)
    with _RENDERING:
        for scale in SCALES:
            html = poster_html(words, size, scale=scale)
            document = weasyprint.HTML(string=html, base_url=str(HERE), url_fetcher=fetcher)
            laid_out = document.render(font_config=_fonts())
            if len(laid_out.pages) == 1:
                break
        pdf: bytes = laid_out.write_pdf()
    return pdf


def file_name(facts: PosterFacts, language: str, size: Size) -> str:
    kind = "poster" if size == Size.A4 else "leaflet"
    return f"safereport-{kind}-{facts.code.lower()}-{language}-{size.value}.pdf"
