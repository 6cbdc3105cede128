"""Missing glyphs ("tofu"): characters on a page that none of the fonts Chromium drew them
with can draw.

Chromium tells, through the DevTools protocol (``CSS.getPlatformFontsForNode``), which
fonts it actually used for each rendered text node: the kiosk's web fonts, the machine's
fonts, whatever fallback it chose. A character that no font has is still drawn, as the
.notdef box of one of them, so it is caught by asking each of those fonts' character maps
(read with fontTools) whether it holds the character. Shaping does not matter here:
a Gurmukhi vowel sign or an Arabic letter in any joining form is drawn from the font whose
map holds its code point. See docs/kiosk.md, "Every script, every screen".
"""

from __future__ import annotations

import functools
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont
from playwright.sync_api import Page

WEB_FONTS = Path(__file__).parents[3] / "kiosk" / "static" / "fonts"

# Characters a browser lays out without a glyph: zero-width format controls, bidi marks
# and isolates (kiosk.words.ltr wraps phone numbers in them), variation selectors
# (Unicode's Default_Ignorable_Code_Point).
DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)


def needs_glyph(character: str) -> bool:
    if character.isspace():
        return False
    point = ord(character)
    return not any(low <= point <= high for low, high in DEFAULT_IGNORABLE)


@dataclass(frozen=True)
class MissingGlyph:
    character: str
    text: str  # the text it stands in, shortened
    fonts: tuple[str, ...]  # what Chromium drew that text with

    def __str__(self) -> str:
        return f"U+{ord(self.character):04X} in {self.text!r} (drawn with {', '.join(self.fonts)})"


@dataclass(frozen=True)
class FontFile:
    path: Path
    index: int  # the face's number inside a collection (.ttc)


class FontFiles:
    """The character map of every font Chromium may report, found by PostScript name:
    the kiosk's web fonts first, then the machine's fonts as fontconfig lists them."""

    def __init__(self, web_fonts: Path = WEB_FONTS) -> None:
        self.web: dict[str, FontFile] = {}
        for path in sorted(web_fonts.glob("*.woff2")):
            with TTFont(path, lazy=True) as font:
                self.web[str(font["name"].getDebugName(6))] = FontFile(path, 0)
        self.machine: dict[str, FontFile] = {}
        listed = subprocess.run(
            ["fc-list", "--format", "%{postscriptname}\t%{index}\t%{file}\n"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for line in listed.splitlines():
            name, index, file = line.split("\t")
            self.machine.setdefault(name, FontFile(Path(file), int(index)))

    def find(self, postscript_name: str, *, custom: bool) -> FontFile:
        first, second = (self.web, self.machine) if custom else (self.machine, self.web)
        found = first.get(postscript_name) or second.get(postscript_name)
        if found is None:
            raise LookupError(f"Chromium used a font nobody can find: {postscript_name!r}")
        return found

    def characters(self, postscript_name: str, *, custom: bool) -> frozenset[int]:
        return character_map(self.find(postscript_name, custom=custom))


@functools.cache
def character_map(font_file: FontFile) -> frozenset[int]:
    with TTFont(font_file.path, fontNumber=font_file.index, lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


def text_nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every text node, also inside the browser's own shadow trees (what an input shows)."""
    if node.get("nodeType") == 3 and node.get("nodeValue", "").strip():
        yield node
    for child in node.get("children", []) + node.get("shadowRoots", []):
        yield from text_nodes(child)
    if "contentDocument" in node:
        yield from text_nodes(node["contentDocument"])


def rendered_texts(page: Page) -> list[tuple[str, list[dict[str, Any]]]]:
    """Each text node the page shows, with the fonts Chromium drew it with."""
    page.evaluate("document.fonts.ready.then(() => true)")  # web fonts drawn, not fallback
    devtools = page.context.new_cdp_session(page)
    try:
        devtools.send("DOM.enable")
        devtools.send("CSS.enable")
        root = devtools.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
        shown = []
        for node in text_nodes(root):
            used = devtools.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})
            if used["fonts"]:  # else not rendered: display: none, a closed dialog, ...
                shown.append((str(node["nodeValue"]), list(used["fonts"])))
        return shown
    finally:
        devtools.detach()


def missing_glyphs(page: Page, fonts: FontFiles) -> list[MissingGlyph]:
    """Every character of the page's rendered text that is drawn as a box, once per text."""
    found: list[MissingGlyph] = []
    for text, used in rendered_texts(page):
        found += boxes_in(text, used, fonts)
    return found


def web_fonts_used(page: Page) -> set[str]:
    """The PostScript names of the @font-face fonts the page was drawn with."""
    return {
        font["postScriptName"]
        for _, used in rendered_texts(page)
        for font in used
        if font["isCustomFont"]
    }


def boxes_in(text: str, used: list[dict[str, Any]], fonts: FontFiles) -> list[MissingGlyph]:
    drawable: set[int] = set()
    for font in used:
        drawable |= fonts.characters(font["postScriptName"], custom=font["isCustomFont"])
    names = tuple(font["postScriptName"] for font in used)
    shown = " ".join(text.split())[:60]
    return [
        MissingGlyph(character, shown, names)
        for character in dict.fromkeys(text)
        if needs_glyph(character) and ord(character) not in drawable
    ]
