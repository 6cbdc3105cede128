"""One place resolves the language of a request and gives templates its direction.

Each door decides the language for its own requests (the kiosk from the reporter's
choice, the phone line from the call state) by setting ``g.language``; staff pages use
their own choice. Anything else falls back to English.
"""

from __future__ import annotations

from flask import Flask, g
from flask_babel import Babel

from translations.i18n import install_in_templates
from translations.languages import BY_CODE, CATALOG_DIR, SOURCE_LANGUAGE, Language


def select_locale() -> str:
    code = getattr(g, "language", None)
    return code if code in BY_CODE else SOURCE_LANGUAGE


def current_language() -> Language:
    return BY_CODE[select_locale()]


def init_i18n(app: Flask) -> None:
    Babel(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(CATALOG_DIR),
        default_domain="messages",
    )
    install_in_templates(app)

    @app.context_processor
    def _language_context() -> dict[str, object]:
        language = current_language()
        return {"language": language, "text_direction": language.direction}
