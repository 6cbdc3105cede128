"""The translation gate: the template matches the code, every enabled catalog is complete,
placeholders agree, and prisoner-facing English is Easy Read (15 words a sentence at most)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import polib
import pytest

from translations.languages import (
    CATALOG_DIR,
    LANGUAGES,
    PRISONER_FACING_SOURCES,
    STAFF_LANGUAGES,
)

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = CATALOG_DIR / "messages.pot"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
MAX_WORDS = 15


def catalogs() -> list[Path]:
    return sorted(CATALOG_DIR.glob("*/LC_MESSAGES/messages.po"))


def prisoner_facing(entry: polib.POEntry) -> bool:
    return any(path.startswith(PRISONER_FACING_SOURCES) for path, _line in entry.occurrences)


def keys(entries: list[polib.POEntry]) -> set[tuple[str | None, str]]:
    return {(entry.msgctxt, entry.msgid) for entry in entries if not entry.obsolete}


def test_the_template_is_up_to_date_with_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [str(ROOT / "scripts" / "translations"), "extract"],
        check=True,
        env={"PATH": "/usr/bin:/bin", "SAFEREPORT_POT": str(fresh)},
        cwd=ROOT,
    )
    committed = keys(list(polib.pofile(str(TEMPLATE))))
    current = keys(list(polib.pofile(str(fresh))))
    assert current - committed == set(), "new strings: run scripts/translations update"
    assert committed - current == set(), "strings gone: run scripts/translations update"


def test_every_message_tells_translators_where_it_appears() -> None:
    # Jinja's extractor keeps the comment but drops its "Translators:" tag.
    missing = [entry.msgid for entry in polib.pofile(str(TEMPLATE)) if not entry.comment.strip()]
    assert missing == []


def test_prisoner_facing_sentences_are_easy_read() -> None:
    too_long = []
    for entry in polib.pofile(str(TEMPLATE)):
        if not prisoner_facing(entry):
            continue
        for sentence in re.split(r"(?<=[.!?])\s+", entry.msgid):
            if len(sentence.split()) > MAX_WORDS:
                too_long.append(sentence)
    assert too_long == []


def completeness_problems(catalog: polib.POFile, *, staff_too: bool) -> list[str]:
    problems = []
    for entry in catalog:
        if entry.obsolete or not (staff_too or prisoner_facing(entry)):
            continue
        if entry.fuzzy:
            problems.append(f"fuzzy: {entry.msgid}")
        elif entry.msgid_plural:
            if not entry.msgstr_plural or not all(entry.msgstr_plural.values()):
                problems.append(f"empty plural form: {entry.msgid}")
        elif not entry.msgstr.strip():
            problems.append(f"untranslated: {entry.msgid}")
    return problems


def placeholder_mismatches(catalog: polib.POFile) -> list[str]:
    mismatched = []
    for entry in catalog:
        if entry.obsolete or not entry.translated():
            continue
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            if sorted(PLACEHOLDER.findall(text)) != expected:
                mismatched.append(f"{entry.msgid!r} -> {text!r}")
    return mismatched


@pytest.mark.parametrize("path", catalogs(), ids=lambda p: p.parts[-3])
def test_an_enabled_catalog_is_complete(path: Path) -> None:
    catalog = polib.pofile(str(path))
    template = polib.pofile(str(TEMPLATE))
    assert keys(list(template)) - keys(list(catalog)) == set(), "run scripts/translations update"
    assert completeness_problems(catalog, staff_too=path.parts[-3] in STAFF_LANGUAGES) == []


@pytest.mark.parametrize("path", catalogs(), ids=lambda p: p.parts[-3])
def test_placeholders_in_translations_match_the_source(path: Path) -> None:
    assert placeholder_mismatches(polib.pofile(str(path))) == []


def test_the_gate_catches_planted_mistakes() -> None:
    """Plant a missing translation, a fuzzy one and a broken placeholder in a real catalog."""
    catalog = polib.pofile(str(CATALOG_DIR / "pl" / "LC_MESSAGES" / "messages.po"))
    facing = [e for e in catalog if prisoner_facing(e) and not e.obsolete and e.translated()]
    with_placeholder = next(e for e in facing if PLACEHOLDER.search(e.msgid))
    plain = [e for e in facing if e is not with_placeholder]
    assert completeness_problems(catalog, staff_too=False) == []
    plain[0].msgstr = ""
    plain[1].flags.append("fuzzy")
    with_placeholder.msgstr = PLACEHOLDER.sub("%(oops)s", with_placeholder.msgstr)
    assert completeness_problems(catalog, staff_too=False) == [
        f"untranslated: {plain[0].msgid}",
        f"fuzzy: {plain[1].msgid}",
    ]
    assert len(placeholder_mismatches(catalog)) == 1


def test_every_catalog_is_a_language_we_know() -> None:
    known = {language.code for language in LANGUAGES}
    assert {path.parts[-3] for path in catalogs()} <= known
