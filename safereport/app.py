"""``create_app(config)``: wires the doors to the safeguarding core."""

from __future__ import annotations

import logging

from flask import Flask, Response
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

import ivr
import kiosk
import triage
from posters.facts import PHONE_MENU_EXTENSION
from safeguarding.phone_numbers import display_phone_number
from safeguarding.services import Services
from safereport.bsl_wiring import bsl_lines
from safereport.config import Config
from safereport.health import health
from safereport.home import home
from safereport.i18n import init_i18n
from safereport.poster_wiring import follow_up_keys, phone_menu
from safereport.prompt_wiring import kiosk_lines
from safereport.services import build_services
from safereport.static_files import SafeReportFlask, cache_static_files_by_content
from speech.prompt_audio import EXTENSION as PROMPT_AUDIO
from storage.ids import MAX_ROW_ID
from triage.admin_bsl import BSL_SENTENCES
from triage.slip import FOLLOW_UP_KEYS_EXTENSION

log = logging.getLogger("safereport")

_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "media-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), geolocation=(), microphone=(self)",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# Two years, once the service is reached over HTTPS (a public https:// address is set).
_HSTS = "max-age=63072000"


class RowIdConverter(IntegerConverter):
    """``<int:...>`` in every route: an id too big for the database is a 404, not a 500."""

    def __init__(self, url_map: Map, fixed_digits: int = 0) -> None:
        super().__init__(url_map, fixed_digits=fixed_digits, min=1, max=MAX_ROW_ID)


def create_app(config: Config | None = None, *, services: Services | None = None) -> Flask:
    config = config or Config.from_env()
    services = services or build_services(config)
    app = SafeReportFlask(__name__, instance_path=str(config.instance_path))
    app.config.update(
        SECRET_KEY=services.secrets.session_secret,
        TESTING=config.testing,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=not (config.demo or config.testing),
        MAX_CONTENT_LENGTH=256 * 1024,
    )
    app.url_map.converters["int"] = RowIdConverter  # before any route is added
    app.extensions["safereport"] = services
    app.extensions["safereport.config"] = config
    init_i18n(app)
    # `{{ number|phone_number }}`: every page shows a number as people dial it.
    app.add_template_filter(display_phone_number, "phone_number")
    if config.trusted_proxy_hops:
        # Only behind a proxy that sets these headers: Twilio signatures cover the public URL.
        hops = config.trusted_proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)  # type: ignore[method-assign]
    app.register_blueprint(health)
    # `/`: the way to the doors (demo) or to the staff sign-in (production).
    app.register_blueprint(home)
    # The phone line: every /ivr webhook checks the Twilio signature, none is exempt.
    app.register_blueprint(ivr.make_blueprint())
    app.register_blueprint(ivr.make_audio_blueprint())
    # The administrators' prompts page (triage) records the phone's prompts without
    # importing the phone line: it is handed what the line says and where its audio is.
    # The kiosk's sentences are recorded there too (the kiosk reads the same recordings).
    built = services
    app.extensions[PROMPT_AUDIO] = ivr.prompt_audio(more=kiosk_lines(lambda: built, lambda: app))
    # The BSL videos page lists the kiosk's screens and choices without importing the kiosk.
    app.extensions[BSL_SENTENCES] = bsl_lines(lambda: built, lambda: app)
    # Posters print the key the phone menu really uses for each language.
    app.extensions[PHONE_MENU_EXTENSION] = phone_menu(app)
    # Printed slips give the keys that really reach "type your code" on that line.
    app.extensions[FOLLOW_UP_KEYS_EXTENSION] = follow_up_keys(app.extensions[PHONE_MENU_EXTENSION])
    if config.demo:
        app.register_blueprint(ivr.make_simulator_blueprint())
    # The safeguarding team: signed-in staff only, deny by default (see triage.guard).
    app.register_blueprint(triage.make_blueprint())
    # The prisoner's kiosk: enrolled kiosk devices only; any other browser gets a neutral page.
    app.register_blueprint(kiosk.make_blueprint())
    # Static files carry their content's digest in the address and are cached until it changes.
    cache_static_files_by_content(app)
    https = (config.public_base_url or "").startswith("https://")
    app.after_request(_secure_headers_with_hsts if https else _secure_headers)
    return app


def _secure_headers_with_hsts(response: Response) -> Response:
    response.headers.setdefault("Strict-Transport-Security", _HSTS)
    return _secure_headers(response)


def _secure_headers(response: Response) -> Response:
    for name, value in _SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    # Nothing we serve may be cached: pages can show what a report says.
    response.headers.setdefault("Cache-Control", "no-store")
    return response
