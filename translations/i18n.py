"""Typed gettext for every door (Flask-Babel ships no type hints).

The kiosk, the phone line, the staff pages and the posters all translate through this one
``_``: it translates in the request's (or ``force_locale``'s) language. Named ``_`` so
that ``pybabel extract`` finds every message.

Flask-Babel finds the locale and the catalog again for every message, through several
context proxies (about 4 µs each time). ``current_translations`` keeps the catalog on
``g`` beside the locale object it belongs to, so a ``force_locale`` block, which sets a
new locale object, is never served the other language's catalog.
"""

from __future__ import annotations

from typing import NamedTuple, cast

from babel import Locale
from babel.support import NullTranslations
from flask import Flask, g
from flask_babel import get_locale, get_translations

_KEPT = "_safereport_translations"


class _Language(NamedTuple):
    locale: Locale | None
    code: str  # str(locale): Babel builds it anew each time it is asked
    translations: NullTranslations


def _current() -> _Language | None:
    """The request's language, found with one context lookup instead of Flask-Babel's
    four or more per call (a kiosk page translates about 70 times, the queue page about
    400: issue 18). Flask-Babel 4 keeps the locale it chose, and any ``force_locale``'s,
    on ``g._flask_babel.babel_locale``; when it has not chosen yet, it is asked."""
    try:
        state = g._get_current_object()
    except RuntimeError:  # outside any app context
        return None
    chosen = getattr(state.__dict__.get("_flask_babel"), "babel_locale", None)
    locale = chosen if chosen is not None else get_locale()
    kept: _Language | None = state.__dict__.get(_KEPT)
    if kept is not None and kept.locale is locale:
        return kept
    translations = cast(NullTranslations, get_translations())
    kept = _Language(locale, str(locale or ""), translations)
    setattr(state, _KEPT, kept)
    return kept


def current_translations() -> NullTranslations:
    current = _current()
    if current is None:  # outside any app context: Flask-Babel's own answer (untranslated)
        return cast(NullTranslations, get_translations())
    return current.translations


def current_language_code() -> str:
    """The request's language code ("cy", "pa"), or "" outside a request."""
    current = _current()
    return current.code if current is not None else ""


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
