"""Signing in and out, setting up an account from its one-time link, and account settings."""

from __future__ import annotations

import math
from datetime import timedelta

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from safeguarding.access import Permission, allows
from safeguarding.staff_auth import (
    MIN_PASSWORD_CHARS,
    enrolment,
    finish_setup,
    replace_recovery_codes,
    setup_user,
    sign_in,
    start_setup,
)
from safeguarding.staff_sessions import STAFF_LANGUAGES, choose_language, end_session
from storage.repositories.staff import unused_recovery_codes
from translations.i18n import _
from translations.languages import has_catalog
from triage.guard import (
    clear_session_cookie,
    client_address,
    current_staff,
    known_browser_token,
    services,
    session_token,
    set_known_browser_cookie,
    set_session_cookie,
)


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/", "home", home)
    bp.add_url_rule("/sign-in", "sign_in", sign_in_page, methods=["GET", "POST"])
    bp.add_url_rule("/sign-out", "sign_out", sign_out, methods=["POST"])
    bp.add_url_rule("/setup", "setup", setup, methods=["GET", "POST"])
    bp.add_url_rule("/setup-app", "enrol", enrol, methods=["GET", "POST"])
    bp.add_url_rule("/account", "account", account, methods=["GET", "POST"])
    bp.add_url_rule(
        "/account/recovery-codes", "new_recovery_codes", new_recovery_codes, methods=["POST"]
    )


def home() -> ResponseReturnValue:
    principal = current_staff().principal
    if allows(principal.role, Permission.VIEW_QUEUE):
        return redirect(url_for("triage.queue"))
    return redirect(url_for("triage.staff_list"))


def _sign_in_error(refusal: str | None, retry_after: timedelta | None = None) -> str:
    if refusal == "throttled":
        seconds = retry_after.total_seconds() if retry_after else 60
        minutes = max(1, math.ceil(seconds / 60))
        # Translators: sign-in refused after too many wrong tries; same for every account.
        return _("Too many tries. Wait %(minutes)d minutes, then try again.", minutes=minutes)
    # Translators: sign-in failed; deliberately does not say which part was wrong.
    return _("The email address, password or security code is not right.")


def sign_in_page() -> ResponseReturnValue:
    if request.method == "GET":
        return render_template("triage/sign_in.html", errors={}, email="")
    form = request.form
    svc = services()
    with svc.db.transaction() as session:
        outcome = sign_in(
            session,
            email=form.get("email", ""),
            password=form.get("password", ""),
            code=form.get("code", ""),
            address=client_address(),
            secrets=svc.secrets,
            clock=svc.clock,
            previous_token=session_token(),
            browser_token=known_browser_token(),
            limits=svc.policy.sign_in,
        )
    if not outcome.ok or outcome.session_token is None:
        errors = {"email": _sign_in_error(outcome.refusal, outcome.retry_after)}
        status = 429 if outcome.refusal == "throttled" else 400
        page = render_template("triage/sign_in.html", errors=errors, email=form.get("email", ""))
        return page, status
    response = redirect(url_for("triage.home"))
    set_session_cookie(response, outcome.session_token)
    if outcome.browser_token is not None:
        set_known_browser_cookie(response, outcome.browser_token)
    return response


def sign_out() -> ResponseReturnValue:
    token = session_token()
    if token:
        svc = services()
        with svc.db.transaction() as session:
            end_session(session, token=token, clock=svc.clock)
    response = redirect(url_for("triage.sign_in"))
    clear_session_cookie(response)
    flash("signed_out")
    return response


_PASSWORD_MESSAGES = {
    # Translators: error when choosing a password at account setup.
    "password_too_short": lambda: _(
        "Your password must be at least %(count)d characters long.", count=MIN_PASSWORD_CHARS
    ),
    # Translators: error when choosing a password at account setup.
    "password_too_long": lambda: _("Your password is too long."),
    # Translators: error when choosing a password at account setup.
    "password_is_email": lambda: _("Your password must not be your email address."),
    # Translators: error when the two typed passwords differ at account setup.
    "password_mismatch": lambda: _("The two passwords do not match."),
}


def setup() -> ResponseReturnValue:
    """The setup link is ``/triage/setup#<token>``: browsers never send what follows "#", so
    the token reaches no access log. The landing page's script moves it into the form (or
    the person pastes it), and it travels only in POST bodies from then on. Choosing the
    password spends it."""
    if request.method == "GET":
        return render_template("triage/setup_landing.html", errors={})
    token = request.form.get("token", "").strip()
    svc = services()
    with svc.db.transaction() as session:
        user = setup_user(
            session, setup_token=token, pepper=svc.secrets.code_pepper, clock=svc.clock
        )
        email = user.email if user else ""
    if user is None:
        return render_template("triage/setup_invalid.html"), 404
    if "password" not in request.form:
        return render_template("triage/setup.html", errors={}, email=email, token=token)
    with svc.db.transaction() as session:
        started = start_setup(
            session,
            setup_token=token,
            password=request.form.get("password", ""),
            confirmation=request.form.get("confirmation", ""),
            secrets=svc.secrets,
            clock=svc.clock,
        )
    if not started.ok or started.session_token is None:
        if "link_invalid" in started.problems:
            return render_template("triage/setup_invalid.html"), 404
        errors: dict[str, str] = {}
        for problem in started.problems:
            field = "confirmation" if problem == "password_mismatch" else "password"
            errors.setdefault(field, _PASSWORD_MESSAGES[problem]())
        return render_template("triage/setup.html", errors=errors, email=email, token=token), 400
    response = redirect(url_for("triage.enrol"))
    set_session_cookie(response, started.session_token)
    return response


def enrol() -> ResponseReturnValue:
    """Scan the QR code, then type the first code the app shows."""
    token = session_token()
    svc = services()
    with svc.db.transaction() as session:
        pending = (
            enrolment(session, session_token=token, vault=svc.secrets.vault, clock=svc.clock)
            if token
            else None
        )
    if pending is None or token is None:
        return render_template("triage/setup_invalid.html"), 404
    if request.method == "POST":
        with svc.db.transaction() as session:
            done = finish_setup(
                session,
                session_token=token,
                code=request.form.get("code", ""),
                address=client_address(),
                secrets=svc.secrets,
                clock=svc.clock,
            )
        if done.ok and done.session_token:
            response = make_response(
                render_template("triage/recovery_codes.html", codes=done.recovery_codes)
            )
            set_session_cookie(response, done.session_token)
            return response
        if done.refusal == "throttled":
            error = _sign_in_error("throttled")
        else:
            # Translators: the code typed from the authenticator app at setup was wrong.
            error = _("The code is not right. Type the 6 digits your app shows now.")
        return _enrol_page(pending.secret, pending.provisioning_uri, {"code": error}), 400
    return _enrol_page(pending.secret, pending.provisioning_uri, {})


def _enrol_page(secret: str, uri: str, errors: dict[str, str]) -> str:
    import segno  # here, not at the top: only staff setting up an authenticator need it

    qr = segno.make(uri, error="m").svg_data_uri(scale=6, border=2)
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render_template("triage/enrol.html", qr=qr, secret=grouped, errors=errors)


def account() -> ResponseReturnValue:
    staff = current_staff()
    svc = services()
    if request.method == "POST":
        with svc.db.transaction() as session:
            choose_language(
                session,
                staff_id=staff.principal.staff_id,
                language=request.form.get("language", ""),
            )
        flash("language_saved")
        return redirect(url_for("triage.account"))
    return _account_page({})


def _account_page(errors: dict[str, str]) -> str:
    staff = current_staff()
    with services().db.transaction() as session:
        remaining = unused_recovery_codes(session, staff.principal.staff_id)
    languages = [code for code in STAFF_LANGUAGES if has_catalog(code)]
    return render_template(
        "triage/account.html", errors=errors, remaining=remaining, languages=languages
    )


def new_recovery_codes() -> ResponseReturnValue:
    """Replace the recovery codes, after a fresh code from the app (shown once, no-store)."""
    svc = services()
    with svc.db.transaction() as session:
        outcome = replace_recovery_codes(
            session,
            staff_id=current_staff().principal.staff_id,
            code=request.form.get("code", ""),
            address=client_address(),
            secrets=svc.secrets,
            clock=svc.clock,
        )
    if outcome.ok:
        return render_template(
            "triage/recovery_codes.html", codes=outcome.recovery_codes, replaced=True
        )
    if outcome.refusal == "throttled":
        return _account_page({"code": _sign_in_error("throttled")}), 429
    # Translators: the code typed from the authenticator app was wrong.
    error = _("The code is not right. Type the 6 digits your app shows now.")
    return _account_page({"code": error}), 400
