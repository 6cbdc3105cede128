"""Languages: the establishment's, where a catalog exists; direction from the registry."""

from __future__ import annotations

import pytest

import kiosk.context
from tests.kiosk.journey import ANSWERS, answer, fill_report, send, start_report
from tests.kiosk.pages import Kiosk
from translations.languages import BY_CODE, has_catalog


def test_only_languages_with_a_catalog_are_offered(kiosk: Kiosk) -> None:
    start = kiosk.get("/kiosk/")
    offered = [b.attrs["value"] for b in start.all("button", name="language")]
    assert offered == [code for code in ("en", "cy", "ar") if has_catalog(code)]
    names = [e.text for e in start.by_class("kiosk-choice__text")]
    assert names == [BY_CODE[code].native_name for code in offered]


def test_a_language_not_offered_cannot_be_chosen(kiosk: Kiosk) -> None:
    response = kiosk.post("/kiosk/language", {"language": "pl"})
    assert response.location == "/kiosk/"
    assert kiosk.client.get_cookie("kiosk_session", path="/kiosk") is None


@pytest.fixture
def arabic_offered(monkeypatch: pytest.MonkeyPatch) -> None:
    """Offer Arabic even before its catalog exists: the text stays English, but everything
    the layout takes from the language registry (lang, dir) must follow the choice."""
    monkeypatch.setattr(kiosk.context, "has_catalog", lambda code: code in ("en", "ar"))


@pytest.mark.usefixtures("arabic_offered")
def test_arabic_lays_out_right_to_left_on_every_screen(kiosk: Kiosk) -> None:
    start = kiosk.get("/kiosk/")
    rows = [e for e in start.elements if e.tag == "li" and e.attrs.get("lang") == "ar"]
    assert rows and rows[0].attrs["dir"] == "rtl"
    start_report(kiosk, "ar")
    for question, data in ANSWERS.items():
        page = kiosk.get(f"/kiosk/report/{question}")
        html = page.all("html")[0]
        assert (html.attrs["lang"], html.attrs["dir"]) == ("ar", "rtl")
        answer(kiosk, question, data)
    check = kiosk.get("/kiosk/report/check")
    assert check.all("html")[0].attrs["dir"] == "rtl"


@pytest.mark.skipif(not has_catalog("ar"), reason="the Arabic catalog is not compiled yet")
def test_arabic_text_is_arabic_when_its_catalog_exists(kiosk: Kiosk) -> None:
    start_report(kiosk, "ar")
    page = kiosk.get("/kiosk/report/danger")
    assert page.all("html")[0].attrs["dir"] == "rtl"
    assert page.h1 != "Are you in danger right now?"


def test_phone_numbers_stay_left_to_right_inside_any_sentence(kiosk: Kiosk) -> None:
    """In an Arabic sentence "116 123" would show as "123 116" without an isolate."""
    fill_report(kiosk)
    sent = send(kiosk)
    assert "\u2066116 123\u2069" in sent.html
