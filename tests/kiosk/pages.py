"""A client that speaks the kiosk's forms; pages are read by tests.support.pages."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.support.pages import Page, parse

__all__ = ["Kiosk", "Page", "code_on", "digits", "parse"]


class Kiosk:
    """A Flask test client used the way the kiosk's forms are used."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.page: Page | None = None

    def get(self, path: str, *, status: int = 200) -> Page:
        response = self.client.get(path)
        assert response.status_code == status, (path, response.status_code, response.location)
        self.page = parse(response)
        return self.page

    def post(self, path: str, data: dict[str, object], *, status: int = 303) -> TestResponse:
        """POST from the page at ``path`` (fetched first, for its CSRF token)."""
        form_page = self.get(path) if self.page is None or not _has_csrf(self.page) else self.page
        payload = {"csrf_token": form_page.csrf, **data}
        response = self.client.post(path, data=payload)
        assert response.status_code == status, (path, response.status_code, response.location)
        if response.status_code != 303:
            self.page = parse(response)
        return response

    def submit(self, path: str, data: dict[str, object], *, status: int = 303) -> TestResponse:
        self.get(path)
        return self.post(path, data, status=status)

    def follow(self, response: TestResponse, *, status: int = 200) -> Page:
        assert response.location, "not a redirect"
        return self.get(response.location, status=status)


def _has_csrf(page: Page) -> bool:
    return bool(page.all("input", name="csrf_token"))


def code_on(page: Page) -> str:
    groups = [e.text for e in page.by_class("kiosk-code__group")]
    return "".join(groups)


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)
