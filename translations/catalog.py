"""Gettext outside a request (the worker writing alerts), from the same catalogs as the app."""

from __future__ import annotations

from functools import lru_cache

from babel.support import NullTranslations, Translations

from translations.languages import CATALOG_DIR


@lru_cache(maxsize=32)
def translator(locale: str) -> NullTranslations:
    return Translations.load(str(CATALOG_DIR), [locale], domain="messages")
