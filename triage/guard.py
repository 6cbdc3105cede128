"""Deny by default: every triage request needs a signed-in member of staff, except the few
endpoints on the allowlist (signing in and setting up an account).

The staff cookie holds only a random session token; the session itself (idle and absolute
expiry, the person, their role) lives on the server and is checked on every request.
Every form POST must carry a valid CSRF token.
"""

from __future__ import annotations

from flask import current_app, g, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError, ValidationError, generate_csrf, validate_csrf
from werkzeug.wrappers import Response as BaseResponse

from safeguarding.access import StaffPrincipal
from safeguarding.bsl_videos import MAX_VIDEO_BYTES
from safeguarding.services import Services
from safeguarding.staff_sessions import SESSION_ABSOLUTE, SignedInStaff, resolve_session
from safereport.config import Config
from translations.languages import SOURCE_LANGUAGE, has_catalog

# Endpoints reachable without a signed-in member of staff. Everything else is denied.
ALLOWLIST = frozenset({"triage.sign_in", "triage.setup", "triage.enrol", "triage.static"})


def services() -> Services:
    found: Services = current_app.extensions["safereport"]
    return found


def config() -> Config:
    found: Config = current_app.extensions["safereport.config"]
    return found


def cookie_name() -> str:
    # The __Host- prefix makes the browser insist on Secure, path=/ and no Domain.
    return "__Host-safereport_staff" if secure_cookies() else "safereport_staff"


def secure_cookies() -> bool:
    settings = config()
    return not (settings.demo or settings.testing)


def set_session_cookie(response: BaseResponse, token: str) -> None:
    response.set_cookie(
        cookie_name(),
        token,
        max_age=int(SESSION_ABSOLUTE.total_seconds()),
        path="/",
        secure=secure_cookies(),
        httponly=True,
        samesite="Strict",
    )


def clear_session_cookie(response: BaseResponse) -> None:
    response.delete_cookie(
        cookie_name(), path="/", secure=secure_cookies(), httponly=True, samesite="Strict"
    )


KNOWN_BROWSER_MAX_AGE = 400 * 24 * 3600  # the longest Chromium keeps a cookie


def known_browser_cookie_name() -> str:
    return "__Host-safereport_browser" if secure_cookies() else "safereport_browser"


def known_browser_token() -> str | None:
    """The random token a browser keeps after signing in (see safeguarding.sign_in_limits)."""
    return request.cookies.get(known_browser_cookie_name()) or None


def set_known_browser_cookie(response: BaseResponse, token: str) -> None:
    response.set_cookie(
        known_browser_cookie_name(),
        token,
        max_age=KNOWN_BROWSER_MAX_AGE,
        path="/",
        secure=secure_cookies(),
        httponly=True,
        samesite="Strict",
    )


def session_token() -> str | None:
    return request.cookies.get(cookie_name()) or None


def current_staff() -> SignedInStaff:
    staff: SignedInStaff = g.staff
    return staff


def current_principal() -> StaffPrincipal:
    return current_staff().principal


def client_address() -> str:
    return request.remote_addr or "unknown"


# The few endpoints that take a file, and how large it may be; every other request keeps
# the application's small limit. Set before anything reads the form (the CSRF check does).
PROMPT_UPLOAD_BYTES = 8 * 1024 * 1024
# A BSL video (safeguarding.bsl_videos.MAX_VIDEO_BYTES) and room for the form around it.
BSL_UPLOAD_BYTES = MAX_VIDEO_BYTES + 64 * 1024
UPLOAD_LIMITS = {
    "triage.admin_prompt_upload": PROMPT_UPLOAD_BYTES,
    "triage.admin_bsl_upload": BSL_UPLOAD_BYTES,
}


def _check_csrf() -> None:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.endpoint in UPLOAD_LIMITS:
        request.max_content_length = UPLOAD_LIMITS[request.endpoint]
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError as exc:
        raise CSRFError(str(exc)) from exc


def guard() -> ResponseReturnValue | None:
    """Runs before every triage request."""
    g.language = SOURCE_LANGUAGE
    g.staff = None
    if request.endpoint == "triage.static":
        return None  # our own CSS and JS: public, and no reason to touch the session
    _check_csrf()
    token = session_token()
    if token:
        svc = services()
        with svc.db.transaction() as session:
            g.staff = resolve_session(session, token=token, clock=svc.clock)
    if g.staff is not None:
        chosen = g.staff.language
        g.language = chosen if has_catalog(chosen) else SOURCE_LANGUAGE
        return None
    if request.endpoint in ALLOWLIST:
        return None
    response = redirect(url_for("triage.sign_in"))
    if token:
        clear_session_cookie(response)
    return response


def template_globals() -> dict[str, object]:
    return {"csrf_token": generate_csrf, "staff": g.get("staff")}
