"""Typed gettext for the kiosk (Flask-Babel ships no type hints).

``_`` keeps its name so that ``pybabel extract`` finds every message.
"""

from __future__ import annotations

from flask_babel import gettext


def _(message: str, **variables: object) -> str:
    return str(gettext(message, **variables))
