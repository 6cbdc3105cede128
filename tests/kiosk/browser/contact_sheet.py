"""docs/contact-sheet.png: the start screen, then the first and the Sent screen in every
language, side by side, small enough to keep in the repository."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from playwright.sync_api import Page

from translations.languages import BY_CODE

SHEET = Path(__file__).parents[3] / "docs" / "contact-sheet.png"
TILE = (320, 256)  # a quarter of the kiosk's 1280 x 1024
GAP = 16
CAPTION = 30
COLUMNS = 4  # two languages a row: first screen, Sent screen, first screen, Sent screen
COLOURS = 128  # a palette keeps the sheet to a few hundred KB
LABEL_FONT = Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")  # fonts-noto-core
SCREENS = {"menu": "first screen", "sent": "Sent screen"}


@dataclass
class ContactSheet:
    """Tiles gathered while the browser tests walk each language; written once every
    offered language has its tiles, so a run of a few languages leaves the sheet alone."""

    tiles: dict[tuple[str, str], Image.Image] = field(default_factory=dict)

    def take(self, page: Page, language: str, screen: str) -> None:
        """Keep the screen as seen (the viewport), at the size it will have on the sheet."""
        shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
        size = (2 * TILE[0], 2 * TILE[1]) if screen == "start" else TILE
        self.tiles[language, screen] = shot.resize(size, Image.Resampling.LANCZOS)

    def complete(self, languages: list[str]) -> bool:
        wanted = {("", "start")} | {(code, screen) for code in languages for screen in SCREENS}
        return wanted <= set(self.tiles)

    def write(self, languages: list[str], path: Path = SHEET) -> None:
        cells = [(code, screen) for code in languages for screen in SCREENS]
        rows = -(-len(cells) // COLUMNS)
        width = COLUMNS * TILE[0] + (COLUMNS + 1) * GAP
        start = (2 * TILE[0], 2 * TILE[1])  # the one screen with every language's name
        top = GAP + CAPTION + start[1] + GAP
        sheet = Image.new("RGB", (width, top + rows * (CAPTION + TILE[1] + GAP)), "white")
        draw = ImageDraw.Draw(sheet)
        font = label_font()
        self.place(sheet, draw, font, ("", "start"), ((width - start[0]) // 2, GAP), start)
        for number, cell in enumerate(cells):
            row, column = divmod(number, COLUMNS)
            corner = (GAP + column * (TILE[0] + GAP), top + row * (CAPTION + TILE[1] + GAP))
            self.place(sheet, draw, font, cell, corner, TILE)
        written = path.with_name(f".{path.stem}-{os.getpid()}.png")  # runs may write at once
        sheet.quantize(COLOURS, dither=Image.Dither.NONE).save(written, optimize=True)
        os.replace(written, path)

    def place(
        self,
        sheet: Image.Image,
        draw: ImageDraw.ImageDraw,
        font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
        cell: tuple[str, str],
        corner: tuple[int, int],
        size: tuple[int, int],
    ) -> None:
        x, y = corner
        tile = self.tiles[cell]
        sheet.paste(tile if tile.size == size else tile.resize(size), (x, y + CAPTION))
        draw.rectangle(
            (x - 1, y + CAPTION - 1, x + size[0], y + CAPTION + size[1]), outline="#b1b4b6"
        )
        draw.text((x, y + 4), caption(*cell), fill="#0b0c0c", font=font)


def caption(code: str, screen: str) -> str:
    if not code:
        return "Start screen: every language the establishment offers"
    return f"{BY_CODE[code].english_name} ({code}): {SCREENS[screen]}"


def label_font() -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if LABEL_FONT.exists():
        return ImageFont.truetype(str(LABEL_FONT), 18)
    return ImageFont.load_default()
