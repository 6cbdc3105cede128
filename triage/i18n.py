"""Typed gettext for the staff pages (Flask-Babel ships no type hints).

Named ``_`` so that ``pybabel extract`` finds every message, as with Flask-Babel's own.
"""

from __future__ import annotations

from flask_babel import gettext


def _(message: str, **variables: object) -> str:
    return str(gettext(message, **variables))
