"""The browser the tests drive reaches nothing but loopback (tests/browser.py), while keeping
its cache: a kiosk screen loads its stylesheet, script and icons once, not on every screen."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Error

from tests.kiosk.browser.conftest import KioskBrowser

pytestmark = pytest.mark.browser


def test_an_address_outside_loopback_is_never_reached(kiosk_browser: KioskBrowser) -> None:
    for address in ("http://192.0.2.1/", "http://example.com/"):  # TEST-NET-1, a name
        with pytest.raises(Error, match=r"ERR_PROXY_CONNECTION_FAILED|ERR_TUNNEL|ERR_NAME"):
            kiosk_browser.page.goto(address, timeout=5_000)


def test_the_next_screen_asks_the_server_for_none_of_the_files_already_loaded(
    kiosk_browser: KioskBrowser, app: Flask
) -> None:
    served: list[str] = []
    serve = app.wsgi_app

    def recording(environ: dict[str, Any], start_response: Any) -> Any:
        served.append(environ["PATH_INFO"])
        return serve(environ, start_response)

    app.wsgi_app = recording  # type: ignore[method-assign]
    page = kiosk_browser.page
    page.reload()  # the start screen again: every file it links is already in the cache
    page.wait_for_load_state("load")
    page.click("button[name=language][value=en]")
    page.wait_for_load_state("load")
    assert "/kiosk/" in served and "/kiosk/menu" in served  # the pages themselves: never cached
    static = [path for path in served if "/static/" in path]
    asked_twice = [path for path in static if static.count(path) > 1]
    linked_by_start = ("kiosk.css", "kiosk.js", "govuk-frontend.min.css", "exit.svg")
    assert asked_twice == [] and not any(path.endswith(linked_by_start) for path in static), served
