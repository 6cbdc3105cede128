"""The kiosk's forms carry only a CSRF token: the answers are checked by safeguarding.drafts,
so the rules of what makes an answer valid live in one place."""

from __future__ import annotations

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.csrf import ValidationError, generate_csrf, validate_csrf
from markupsafe import Markup

# A kiosk's start screen can wait for days before anyone touches it. The token is bound to
# this browser's session and every kiosk cookie is SameSite=Strict, so a time limit would
# only turn a real report into an error. Not None: Flask-WTF reads None as "the app's
# WTF_CSRF_TIME_LIMIT" (an hour), and the first tap of the morning went back to the start.
TOKEN_LIFETIME_SECONDS = 366 * 24 * 3600


class KioskForm(FlaskForm):  # type: ignore[misc]
    class Meta:
        csrf_time_limit = TOKEN_LIFETIME_SECONDS


def csrf_ok() -> bool:
    """True when this POST carries a valid CSRF token."""
    return bool(KioskForm().validate_on_submit())


def csrf_header_ok() -> bool:
    """True when this request carries a valid CSRF token in its X-CSRFToken header (a
    request whose body is not a form: the kiosk's voice message)."""
    try:
        validate_csrf(request.headers.get("X-CSRFToken"), time_limit=TOKEN_LIFETIME_SECONDS)
    except ValidationError:
        return False
    return True


def csrf_field() -> Markup:
    """The hidden CSRF input for a kiosk form (no id: a screen has several forms)."""
    token = generate_csrf()
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(token)
