"""The contact sheet puts each language's pictures in its own place, and waits for all."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from tests.kiosk.browser.contact_sheet import CAPTION, COLUMNS, GAP, SCREENS, TILE, ContactSheet

LANGUAGES = ["en", "cy", "ar"]


def coloured(number: int, size: tuple[int, int]) -> Image.Image:
    return Image.new("RGB", size, (20 * number, 255 - 20 * number, 100))


def test_the_sheet_is_written_only_when_every_language_has_its_pictures(tmp_path: Path) -> None:
    sheet = ContactSheet()
    sheet.tiles["", "start"] = coloured(0, (2 * TILE[0], 2 * TILE[1]))
    cells = [(code, screen) for code in LANGUAGES for screen in SCREENS]
    for number, cell in enumerate(cells[:-1], start=1):
        sheet.tiles[cell] = coloured(number, TILE)
    assert not sheet.complete(LANGUAGES)  # Arabic's Sent screen is missing
    sheet.tiles[cells[-1]] = coloured(len(cells), TILE)
    assert sheet.complete(LANGUAGES)

    path = tmp_path / "contact-sheet.png"
    sheet.write(LANGUAGES, path)
    written = Image.open(path).convert("RGB")
    assert written.width == COLUMNS * TILE[0] + (COLUMNS + 1) * GAP
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind
    top = GAP + CAPTION + 2 * TILE[1] + GAP
    for number, _cell in enumerate(cells, start=1):
        row, column = divmod(number - 1, COLUMNS)
        x = GAP + column * (TILE[0] + GAP) + TILE[0] // 2
        y = top + row * (CAPTION + TILE[1] + GAP) + CAPTION + TILE[1] // 2
        assert written.getpixel((x, y)) == coloured(number, (1, 1)).getpixel((0, 0))
