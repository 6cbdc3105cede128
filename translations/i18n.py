"""Typed gettext for every door (Flask-Babel ships no type hints).

The kiosk, the phone line, the staff pages and the posters all translate through this one
``_``: it translates in the request's (or ``force_locale``'s) language. Named ``_`` so
that ``pybabel extract`` finds every message.
"""

from __future__ import annotations

from flask_babel import gettext


def _(message: str, **variables: object) -> str:
    return str(gettext(message, **variables))
