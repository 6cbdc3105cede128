"""Our CSS, scripts and icons: addressed by their content's digest, cached until it changes,
never confused with a page (pages stay no-store)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from flask import Flask, url_for
from flask.testing import FlaskClient

from safereport.static_files import CACHE_FOR_A_YEAR

KIOSK_STATIC = Path(__file__).parents[1] / "kiosk" / "static"


def test_a_static_address_carries_the_digest_of_the_file(app: Flask) -> None:
    with app.test_request_context():
        address = url_for("kiosk.static", filename="kiosk.css")
        missing = url_for("kiosk.static", filename="no-such-file.css")
    digest = hashlib.sha256((KIOSK_STATIC / "kiosk.css").read_bytes()).hexdigest()[:12]
    assert address == f"/kiosk/static/kiosk.css?v={digest}"
    assert missing == "/kiosk/static/no-such-file.css"  # nothing to version: left alone


def test_the_current_version_is_kept_for_a_year_and_any_other_is_checked_again(
    client: FlaskClient, app: Flask
) -> None:
    with app.test_request_context():
        address = url_for("triage.static", filename="triage.css")
    current = client.get(address)
    assert current.status_code == 200 and current.headers["Cache-Control"] == CACHE_FOR_A_YEAR
    again = client.get(address, headers={"If-None-Match": current.headers["ETag"]})
    assert again.status_code == 304 and again.headers["Cache-Control"] == CACHE_FOR_A_YEAR
    old = client.get(re.sub(r"v=\w+", "v=000000000000", address))
    bare = client.get(address.split("?")[0])
    for response in (old, bare):
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache"
        assert response.headers["ETag"]  # revalidated, not fetched whole again


def test_a_version_on_a_page_address_makes_the_page_no_more_cacheable(
    client: FlaskClient,
) -> None:
    """An outsider adding ?v=... to a page, or to a path outside the static folder, gets
    what they would have got without it."""
    page = client.get("/?v=000000000000")
    assert "no-store" in page.headers["Cache-Control"]
    escape = client.get("/kiosk/static/../templates/kiosk/layout.html?v=000000000000")
    assert escape.status_code == 404


def test_every_page_links_its_static_files_by_version(client: FlaskClient) -> None:
    """The staff sign-in page, as any visitor sees it: each stylesheet, script and icon it
    links carries a version, so a browser asks for none of them again on the next page."""
    html = client.get("/triage/sign-in", follow_redirects=True).get_data(as_text=True)
    linked = re.findall(r'(?:href|src)="(/[a-z]+/static/[^"]+|/static/[^"]+)"', html)
    assert linked, "the page links no static file"
    assert all("?v=" in address for address in linked), linked


def test_a_remembered_address_is_the_one_flask_builds_for_each_root_and_blueprint(
    app: Flask,
) -> None:
    """Addresses are remembered per script root and blueprint: a deployment under /prison
    is never given a root address, a blueprint's '.static' never another's, and anything
    more than a filename (external, an anchor) is built afresh."""
    digest = hashlib.sha256((KIOSK_STATIC / "kiosk.css").read_bytes()).hexdigest()[:12]
    for _ in range(2):  # the second time, from memory
        with app.test_request_context("/kiosk/"):
            assert url_for("kiosk.static", filename="kiosk.css") == (
                f"/kiosk/static/kiosk.css?v={digest}"
            )
            assert url_for("kiosk.static", filename="kiosk.css", _anchor="top").endswith("#top")
            external = url_for("kiosk.static", filename="kiosk.css", _external=True)
            assert external == f"http://localhost/kiosk/static/kiosk.css?v={digest}"
        with app.test_request_context("/kiosk/", base_url="http://localhost/prison/"):
            assert url_for("kiosk.static", filename="kiosk.css") == (
                f"/prison/kiosk/static/kiosk.css?v={digest}"
            )
        for view in ("kiosk.start", "triage.sign_in"):
            with app.test_request_context(url_for_view(app, view)):
                folder = view.split(".")[0]
                assert url_for(".static", filename="x.css").startswith(f"/{folder}/static/")


def url_for_view(app: Flask, endpoint: str) -> str:
    with app.test_request_context():
        return url_for(endpoint)
