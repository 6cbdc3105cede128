"""The build step pyproject.toml cannot say: compile the gettext catalogs into the package.

Compiled catalogs (.mo) are build products, never committed; without this step a wheel, or
``pip install .``, would hold only the .po sources and serve every page in English. An
editable install (scripts/bootstrap) reads the source tree, where scripts/translations
compile writes them instead.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py


def compile_catalogs(package_dir: Path) -> list[Path]:
    """Write messages.mo beside each messages.po, as ``pybabel compile`` does (no fuzzy)."""
    written = []
    for po in sorted(package_dir.glob("*/LC_MESSAGES/messages.po")):
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parents[1].name)
        if catalog.fuzzy:
            continue  # a catalog marked fuzzy as a whole is not ready: English instead
        mo = po.with_suffix(".mo")
        with mo.open("wb") as target:
            write_mo(target, catalog, use_fuzzy=False)
        written.append(mo)
    return written


class BuildWithCatalogs(build_py):
    def run(self) -> None:
        super().run()
        if not self.editable_mode:
            compile_catalogs(Path(self.build_lib) / "translations")


setup(cmdclass={"build_py": BuildWithCatalogs})
