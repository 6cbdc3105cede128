"""Reading a poster's PDF back: page sizes and fonts with pypdf, text with poppler's
pdftotext, and comparisons that survive what text extraction does to each script.

What extraction can prove: the characters in the PDF's text layer (ToUnicode maps), so
that a number, a digit or a Latin sentence is really printed. What it cannot: how the
shaped glyphs look. Arabic ligatures (lam-alef, lam-yeh) come back out of order, Gurmukhi
pre-base vowel signs come back moved, and Urdu Nastaliq comes back as scattered
fragments. Those scripts are compared more loosely below, and were checked by eye on PNGs.
"""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from typing import Any

from pypdf import PdfReader

POINTS_PER_MM = 72 / 25.4
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")  # an embedded font program
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def page_sizes_mm(pdf: bytes) -> list[tuple[float, float]]:
    reader = PdfReader(io.BytesIO(pdf))
    return [
        (float(page.mediabox.width) / POINTS_PER_MM, float(page.mediabox.height) / POINTS_PER_MM)
        for page in reader.pages
    ]


def fonts(pdf: bytes) -> dict[str, bool]:
    """Each font's name (without the subset prefix) and whether its file is embedded."""
    found: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            # A composite (Type0) font keeps its descriptor in its descendant font.
            inner = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = inner["/FontDescriptor"].get_object()
            name = str(font["/BaseFont"]).lstrip("/").split("+")[-1]
            found[name] = any(key in descriptor for key in FONT_FILES)
    return found


def pdf_text(pdf: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return done.stdout.decode()


def normalise(text: str) -> str:
    """NFKC (Arabic presentation forms to letters), no bidi controls, one space between
    words (no-break spaces and line ends included)."""
    text = BIDI_CONTROLS.sub("", unicodedata.normalize("NFKC", text))
    return " ".join(text.split())


def words_of(text: str) -> list[str]:
    """Runs of digits and runs of letters: extraction can glue a number to the next word."""
    return re.findall(r"\d+|[^\W\d_]+", normalise(text))


def skeleton(text: str) -> str:
    """Letters and digits only: no vowel signs or other marks, no spaces or punctuation."""
    return "".join(
        ch
        for ch in unicodedata.normalize("NFC", BIDI_CONTROLS.sub("", text))
        if unicodedata.category(ch)[0] in "LN"
    )
