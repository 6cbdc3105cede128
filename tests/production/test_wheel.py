"""The built wheel installs whole: its catalogs are compiled in the build (setup.py), so a
fresh virtual environment serves the kiosk in Welsh and in Arabic, not English only.

The wheel is built from a copy of the source as git sees it (tracked files and new ones,
never ignored ones: no .mo from scripts/bootstrap), with this environment's setuptools and
Babel; the fresh environment takes the wheel's dependencies from this one through a .pth
line placed after its own site-packages, so every module of ours comes from the wheel.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest

REPO = Path(__file__).resolve().parents[2]
SERVE = Path(__file__).with_name("installed_kiosk.py")

pytestmark = pytest.mark.slow


def tracked_copy(target: Path) -> Path:
    files = ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    listed = subprocess.run(files, cwd=REPO, capture_output=True, check=True).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    assert not list(target.glob("translations/*/LC_MESSAGES/*.mo"))
    return target


def build_wheel(source: Path, out: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "-w", str(out), str(source)],
        check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = out.glob("safereport-*.whl")
    return wheel


def fresh_venv_with(wheel: Path, folder: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    python = folder / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
         str(wheel)],
        check=True, capture_output=True,
    )  # fmt: skip
    site = subprocess.run(
        [str(python), "-I", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    # Only the third-party packages come from here: a .pth line adds the folder without
    # running its own .pth files, so this checkout's editable install stays out of reach.
    (Path(site) / "zz_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return python


class Outline(HTMLParser):
    """The page's language and direction (on <html>) and its main heading."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root: dict[str, str | None] = {}
        self.h1 = ""
        self._in_h1 = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.root = dict(attrs) if tag == "html" else self.root
        self._in_h1 = self._in_h1 or tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        self._in_h1 = self._in_h1 and tag != "h1"

    def handle_data(self, data: str) -> None:
        self.h1 += data if self._in_h1 else ""


def translated(language: str, english: str) -> str:
    catalog = polib.pofile(str(REPO / "translations" / language / "LC_MESSAGES" / "messages.po"))
    entry = catalog.find(english)
    assert entry is not None and entry.msgstr and entry.msgstr != english
    return str(entry.msgstr)


def test_a_built_wheel_serves_the_kiosk_in_welsh_and_arabic(tmp_path: Path) -> None:
    wheel = build_wheel(tracked_copy(tmp_path / "src"), tmp_path / "dist")
    python = fresh_venv_with(wheel, tmp_path / "venv")
    (tmp_path / "run").mkdir()
    served = subprocess.run(
        [str(python), "-I", str(SERVE), str(tmp_path / "run")],
        cwd=tmp_path / "run", check=True, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    answer = json.loads(served.stdout.splitlines()[-1])
    assert Path(answer["kiosk"]).is_relative_to(tmp_path / "venv")
    for language, direction in (("cy", "ltr"), ("ar", "rtl")):
        page = Outline(answer["pages"][language])
        assert (page.root.get("lang"), page.root.get("dir")) == (language, direction)
        assert page.h1.strip() == translated(language, "What do you want to do?")
