"""Reading pages in tests as a person (or a screen reader) reads them.

One parser for the kiosk and the staff pages: tests ask for a heading, a table's rows, the
error next to a field, a link, or the text of one region, rather than searching the HTML for
a substring that could sit anywhere on the page (or in an attribute, or in a script).
"""

from __future__ import annotations

import html as html_
from dataclasses import dataclass, field
from html.parser import HTMLParser

from werkzeug.test import TestResponse

_VOID = {"input", "img", "meta", "link", "br", "hr", "source", "col", "wbr"}
# Tags that do not break a line: their words run on into the words around them.
_INLINE = {"a", "abbr", "b", "bdi", "bdo", "code", "em", "i", "kbd", "mark", "q", "s", "small"}
_INLINE |= {"span", "strong", "sub", "sup", "time", "u", "var", "wbr"}
_CHOICES = ("radio", "checkbox")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_ENTRY = {"title": "title", "actor": "byline", "when": "date", "description": "description"}
_BIDI_ISOLATES = str.maketrans("", "", "\u2066\u2067\u2068\u2069")


def words(text: str) -> str:
    """Text as a person reads it: one space between words, no bidi isolate marks."""
    return " ".join(text.translate(_BIDI_ISOLATES).split())


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    parents: list[Element] = field(default_factory=list, repr=False)
    children: list[Element] = field(
        default_factory=list, repr=False
    )  # every element inside, in order
    raw_text: str = ""  # the text with bidi isolates kept, for tests that check them
    first_text: int = field(default=0, repr=False)  # where its text starts in the parser's texts

    @property
    def id(self) -> str:
        return self.attrs.get("id", "")

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def within(self, css_class: str) -> bool:
        return any(css_class in p.classes for p in self.parents)

    def inside(self, other: Element) -> bool:
        return any(p is other for p in self.parents)


@dataclass(frozen=True)
class TimelineEntry:
    """One entry of a case timeline, in the parts a reader sees."""

    title: str
    actor: str
    when: str
    description: str  # the sentences under the heading ('' if none)


@dataclass
class Page:
    """What a person (or a screen reader) would find on a page."""

    status: int
    html: str = field(repr=False)
    title: str = ""
    elements: list[Element] = field(default_factory=list, repr=False)
    text: str = field(default="", repr=False)

    # Finding elements

    def all(self, tag: str, **attrs: str) -> list[Element]:
        """Elements by tag and exact attributes (``class_="x"`` for the class attribute)."""
        return [e for e in self.elements if e.tag == tag and _matches(e, attrs)]

    def by_class(self, css_class: str) -> list[Element]:
        return [e for e in self.elements if css_class in e.classes]

    def has_id(self, element_id: str) -> bool:
        return any(e.id == element_id for e in self.elements)

    def by_id(self, element_id: str) -> Element:
        for element in self.elements:
            if element.id == element_id:
                return element
        raise AssertionError(f"no element with id {element_id!r} on the page ({self.title!r})")

    def region(self, element_id: str) -> str:
        """The words inside the element with this id (a section, a table, a panel)."""
        return self.by_id(element_id).text

    def inside(self, container: Element, tag: str | None = None, **attrs: str) -> list[Element]:
        return [
            e for e in container.children if (tag is None or e.tag == tag) and _matches(e, attrs)
        ]

    # Headings, links, messages

    def headings(self, level: str | None = None) -> list[str]:
        """The headings in page order (all levels, or ``"h2"`` only)."""
        tags = (level,) if level else _HEADINGS
        return [e.text for e in self.elements if e.tag in tags]

    @property
    def h1(self) -> str:
        found = self.headings("h1")
        return found[0] if found else ""

    def list_under(self, heading: str) -> list[Element]:
        """The items of the first list after the heading with these words."""
        at = [i for i, e in enumerate(self.elements) if e.tag in _HEADINGS and e.text == heading]
        assert at, f"no heading {heading!r}; headings: {self.headings()}"
        lists = [e for e in self.elements[at[0] :] if e.tag in ("ul", "ol")]
        assert lists, f"no list under {heading!r}"
        return self.inside(lists[0], "li")

    def links(self) -> dict[str, str]:
        """Each link's words to where it goes (the last one wins where words repeat)."""
        return {e.text: e.attrs.get("href", "") for e in self.all("a") if "href" in e.attrs}

    def hrefs(self) -> list[str]:
        return [e.attrs["href"] for e in self.all("a") if "href" in e.attrs]

    def link(self, words_: str) -> str:
        """Where the link with exactly these words goes."""
        found = [e.attrs.get("href", "") for e in self.all("a") if e.text == words_]
        assert found, f"no link {words_!r}; links: {list(self.links())}"
        return found[0]

    @property
    def errors(self) -> list[str]:
        """The messages next to fields as a screen reader says them (with "Error:")."""
        return [e.text for e in self.by_class("govuk-error-message")]

    def error_summary(self) -> dict[str, str]:
        """The error summary at the top: the field each message links to, and the message."""
        summary = self.by_class("govuk-error-summary")
        if not summary:
            return {}
        links = self.inside(summary[0], "a")
        return {e.attrs.get("href", "").lstrip("#"): e.text for e in links}

    def problems(self) -> dict[str, str]:
        """Why a form was refused: the error summary's message for each field it links to.

        Each link must lead somewhere on the page; where the field shows its own message too,
        the two must say the same.
        """
        summary = self.error_summary()
        for field_id, message in summary.items():
            assert self.has_id(field_id), f"the error summary links to #{field_id}: not on the page"
            if self.has_id(f"{field_id}-error"):
                assert self.field_error(field_id) == message, (field_id, message)
        return summary

    def field_error(self, field_id: str) -> str:
        """The message shown next to one field, without the hidden "Error:" ('' if none)."""
        if not self.has_id(f"{field_id}-error"):
            return ""
        return _without_prefix(self.by_id(f"{field_id}-error"))

    @property
    def flashes(self) -> list[str]:
        """The messages in the green banner after something worked."""
        return [e.text for e in self.by_class("govuk-notification-banner__heading")]

    def warnings(self) -> list[str]:
        """The words of each warning (``govuk-warning-text``), without its icon and hidden
        "Warning"."""
        return [_without_prefix(e) for e in self.by_class("govuk-warning-text__text")]

    def warning(self, element_id: str) -> str:
        """The words of the warning in the element with this id."""
        found = self.inside(self.by_id(element_id), "strong", class_="govuk-warning-text__text")
        assert found, f"no warning in #{element_id}"
        return _without_prefix(found[0])

    def tabs(self) -> list[str]:
        """The words of the links in the row above a list (``moj-sub-navigation``), in order."""
        return [e.text for e in self.by_class("moj-sub-navigation__link")]

    def paragraphs(self, element_id: str) -> list[str]:
        """The words of each paragraph inside the element with this id, in order."""
        return [e.text for e in self.inside(self.by_id(element_id), "p")]

    def timeline(self) -> list[TimelineEntry]:
        """The case timeline (``#case-timeline``), newest entry first."""
        entries = []
        for item in self.inside(self.by_id("case-timeline"), class_="moj-timeline__item"):
            parts = {k: self._first_text(item, f"moj-timeline__{c}") for k, c in _ENTRY.items()}
            entries.append(TimelineEntry(**parts))
        return entries

    def _first_text(self, container: Element, css_class: str) -> str:
        found = [e.text for e in container.children if css_class in e.classes]
        return found[0] if found else ""

    # Forms

    @property
    def csrf(self) -> str:
        tokens = self.all("input", name="csrf_token")
        assert tokens, "no CSRF token on the page"
        return tokens[0].attrs["value"]

    def checked(self, name: str) -> list[str]:
        return [e.attrs["value"] for e in self.all("input", name=name) if "checked" in e.attrs]

    def is_checked(self, field_id: str) -> bool:
        return "checked" in self.by_id(field_id).attrs

    def value(self, name: str) -> str:
        for e in self.elements:
            if e.attrs.get("name") == name and e.tag in ("input", "textarea"):
                return e.text if e.tag == "textarea" else e.attrs.get("value", "")
        raise AssertionError(f"no field {name!r}")

    def fields(self) -> list[str]:
        """The names of the form fields on the page, in order."""
        tags = ("input", "select", "textarea")
        return [e.attrs["name"] for e in self.elements if e.tag in tags and "name" in e.attrs]

    def options(self, name: str) -> dict[str, str]:
        """A select's options: value to the words shown."""
        selects = self.all("select", name=name)
        assert selects, f"no select {name!r}"
        return {e.attrs.get("value", ""): e.text for e in self.inside(selects[0], "option")}

    def choices(self, name: str) -> dict[str, str]:
        """The radios or checkboxes called ``name``: each value to the words of its label."""
        boxes = [e for e in self.all("input", name=name) if e.attrs.get("type") in _CHOICES]
        assert boxes, f"no radios or checkboxes {name!r}"
        return {e.attrs.get("value", ""): self.label(e.id) for e in boxes}

    def legend(self, fieldset_id: str) -> str:
        """The question a group of fields asks (its fieldset's legend)."""
        found = self.inside(self.by_id(fieldset_id), "legend")
        assert found, f"no legend in #{fieldset_id}"
        return found[0].text

    def label(self, field_id: str) -> str:
        labels = self.all("label", **{"for": field_id})
        assert labels, f"no label for {field_id!r}"
        return labels[0].text

    def labels(self) -> list[str]:
        return [e.text for e in self.all("label")]

    def summary(self, where: str | Element) -> dict[str, str]:
        """A summary list (``<dl>``, by id or element): each key's words to its value's words."""
        found = self.by_id(where) if isinstance(where, str) else where
        keys = [e.text for e in self.inside(found, "dt")]
        return dict(zip(keys, [e.text for e in self.inside(found, "dd")], strict=True))

    # Tables

    def table(self, element_id: str) -> list[dict[str, str]]:
        """A table's body rows as {column heading: cell words}."""
        return table_rows(self, self.by_id(element_id))

    def row_elements(self, container: Element) -> list[Element]:
        return [row for row in self.inside(container, "tr") if not row.within("govuk-table__head")]


def assert_nowhere_on(page: Page, secret: str) -> None:
    """``secret`` is not on the page at all: not in the words, an attribute, a script or a comment.

    For what must never be shown (a follow-up code, a report's words, a name): a check that
    looks only where it would be expected could pass while it leaks somewhere else.
    """
    assert secret.strip(), "an empty secret is found everywhere"
    assert secret not in page.text, f"{secret!r} is in the words of the page"
    for form in {secret, html_.escape(secret), html_.escape(secret, quote=False)}:
        assert form not in page.html, f"{secret!r} is in the HTML of the page (as {form!r})"


def table_rows(page: Page, table: Element) -> list[dict[str, str]]:
    """The body rows of ``table`` keyed by the column headings (``thead``, else the first row)."""
    rows = page.inside(table, "tr")
    head = [r for r in rows if any(p.tag == "thead" for p in r.parents)]
    header_row = head[0] if head else rows[0]
    keys = [c.text for c in page.inside(header_row) if c.tag in ("th", "td")]
    body = [r for r in rows if r is not header_row and not any(p.tag == "thead" for p in r.parents)]
    return [
        dict(zip(keys, [c.text for c in page.inside(r) if c.tag in ("th", "td")], strict=False))
        for r in body
    ]


def _matches(element: Element, attrs: dict[str, str]) -> bool:
    return all(element.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())


def _without_prefix(element: Element) -> str:
    hidden = [e.text for e in element.children if "govuk-visually-hidden" in e.classes]
    text = element.text
    for prefix in hidden:
        text = text.removeprefix(prefix).strip()
    return text


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[Element] = []
        self.elements: list[Element] = []
        self.title = ""
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, parents=list(self.stack))
        for parent in self.stack:
            parent.children.append(element)
        self.elements.append(element)
        self._break(tag)
        element.first_text = len(self.texts)
        if tag in ("script", "style"):
            self._skip += 1
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        self._break(tag)
        if not any(e.tag == tag for e in self.stack):
            return  # a stray end tag closes nothing
        while self.stack:
            element = self.stack.pop()
            self._finish(element)
            if element.tag == "title":
                self.title = element.text
            if element.tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self._add(data)

    def _break(self, tag: str) -> None:
        """A block element starts or ends: its words do not run into the next ones."""
        if tag not in _INLINE and not self._skip:
            self._add(" ")

    def _add(self, data: str) -> None:
        self.texts.append(data)

    def _finish(self, element: Element) -> None:
        # Joined once when the element ends, not appended to every open ancestor as text
        # arrives: that was quadratic in a page's depth and length.
        element.raw_text = "".join(self.texts[element.first_text :])
        element.text = words(element.raw_text)

    def close(self) -> None:
        super().close()
        while self.stack:  # elements never closed hold the text up to the end
            self._finish(self.stack.pop())


def parse(response: TestResponse) -> Page:
    return parse_html(response.get_data(as_text=True), status=response.status_code)


def parse_html(html: str, *, status: int = 200) -> Page:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    # Bidi isolates around phone numbers are checked on their own (Element.raw_text); the
    # other tests read the words as a person sees them.
    text = words("".join(parser.texts))
    return Page(status, html, parser.title, parser.elements, text)
