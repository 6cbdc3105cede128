"""Every poster and leaflet of one establishment, written to a folder."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from posters.facts import PosterFacts
from posters.render import Size, file_name, poster_pdf


class LanguageNotOffered(ValueError):
    pass


def chosen_languages(facts: PosterFacts, wanted: Iterable[str]) -> list[str]:
    """The languages asked for (all the establishment offers when none), each of which must
    be offered and translated: a poster in a language the kiosk does not speak would
    promise what the establishment does not give."""
    chosen = list(dict.fromkeys(wanted)) or list(facts.languages)
    missing = [language for language in chosen if language not in facts.languages]
    if missing:
        raise LanguageNotOffered(", ".join(missing))
    return chosen


def write_posters(
    facts: PosterFacts,
    *,
    out: Path,
    languages: Iterable[str] = (),
    sizes: Iterable[Size] = tuple(Size),
) -> list[Path]:
    """Needs an app context with Flask-Babel. Returns the files written.

    Takes the facts, not a session: rendering takes a while, and on SQLite an open
    transaction holds the write lock that kiosks and the phone line need."""
    chosen = chosen_languages(facts, languages)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for language in chosen:
        for size in sizes:
            path = out / file_name(facts, language, size)
            path.write_bytes(poster_pdf(facts, language, size))
            written.append(path)
    return written
