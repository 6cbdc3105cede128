"""Reading kiosk pages in tests: a small HTML parser and a client that speaks the forms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

_VOID = {"input", "img", "meta", "link", "br", "hr", "source"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    parents: list[Element] = field(default_factory=list)

    def within(self, css_class: str) -> bool:
        return any(css_class in p.attrs.get("class", "").split() for p in self.parents)


@dataclass
class Page:
    """What a person (or a screen reader) would find on a page."""

    status: int
    html: str
    title: str = ""
    headings: list[str] = field(default_factory=list)
    elements: list[Element] = field(default_factory=list)
    text: str = ""

    def all(self, tag: str, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.elements
            if e.tag == tag and all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def by_class(self, css_class: str) -> list[Element]:
        return [e for e in self.elements if css_class in e.attrs.get("class", "").split()]

    def choice_pictures(self) -> list[Element]:
        """The pictures on the choices (a choice's card or its label)."""
        return [e for e in self.elements if e.tag == "img" and e.within("kiosk-choice")]

    @property
    def h1(self) -> str:
        return self.headings[0] if self.headings else ""

    @property
    def csrf(self) -> str:
        tokens = self.all("input", name="csrf_token")
        assert tokens, "no CSRF token on the page"
        return tokens[0].attrs["value"]

    @property
    def errors(self) -> list[str]:
        return [e.text for e in self.by_class("govuk-error-message")]

    def checked(self, name: str) -> list[str]:
        return [e.attrs["value"] for e in self.all("input", name=name) if "checked" in e.attrs]

    def value(self, name: str) -> str:
        for e in self.elements:
            if e.attrs.get("name") == name and e.tag in ("input", "textarea"):
                return e.text if e.tag == "textarea" else e.attrs.get("value", "")
        raise AssertionError(f"no field {name!r}")


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[Element] = []
        self.elements: list[Element] = []
        self.headings: list[str] = []
        self.title = ""
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, parents=list(self.stack))
        self.elements.append(element)
        if tag in ("script", "style"):
            self._skip += 1
        if tag not in _VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        while self.stack:
            element = self.stack.pop()
            element.text = " ".join(element.text.split())
            if element.tag == "title":
                self.title = element.text
            if element.tag in ("h1", "h2"):
                self.headings.append(element.text) if element.tag == "h1" else None
            if element.tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        for element in self.stack:
            element.text += data
        self.texts.append(data)


def parse(response: TestResponse) -> Page:
    html = response.get_data(as_text=True)
    parser = _Parser()
    parser.feed(html)
    # Bidi isolates around phone numbers are checked on their own (test_languages); the
    # other tests read the words as a person sees them.
    text = " ".join(" ".join(parser.texts).split()).replace("\u2066", "").replace("\u2069", "")
    return Page(response.status_code, html, parser.title, parser.headings, parser.elements, text)


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
