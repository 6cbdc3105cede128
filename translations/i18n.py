"""Typed gettext for every door (Flask-Babel ships no type hints).

The kiosk, the phone line, the staff pages and the posters all translate through this one
``_``: it translates in the request's (or ``force_locale``'s) language. Named ``_`` so
that ``pybabel extract`` finds every message.

Flask-Babel finds the catalog again for every message, through several context proxies
(about 8 µs each time, some 40 times a kiosk page: issue 18). ``current_translations``
keeps the catalog on ``g`` beside the locale it belongs to, so a ``force_locale`` block,
which sets a new locale object, is never served the other language's catalog.
"""

from __future__ import annotations

from typing import cast

from babel.support import NullTranslations
from flask import Flask, g
from flask_babel import get_locale, get_translations

_KEPT = "_safereport_translations"


def current_translations() -> NullTranslations:
    if not g:  # outside any app context: Flask-Babel's own answer (untranslated)
        return cast(NullTranslations, get_translations())
    locale = get_locale()
    kept = g.get(_KEPT)
    if kept is not None and kept[0] is locale:
        return cast(NullTranslations, kept[1])
    translations = cast(NullTranslations, get_translations())
    setattr(g, _KEPT, (locale, translations))
    return translations


def _(message: str, **variables: object) -> str:
    text = current_translations().ugettext(message)
    return text % variables if variables else text


def install_in_templates(app: Flask) -> None:
    """Templates' ``_``/``gettext`` through the same kept catalog (replaces Flask-Babel's)."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: current_translations().ugettext(s),
        ngettext=lambda s, p, n: current_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: current_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: current_translations().unpgettext(c, s, p, n),
    )
