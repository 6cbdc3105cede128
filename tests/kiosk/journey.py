"""Walking the kiosk journey with the test client."""

from __future__ import annotations

from typing import Any

from tests.kiosk.pages import Kiosk, Page

# One full set of answers, as a person would give them on each screen.
ANSWERS: dict[str, dict[str, Any]] = {
    "danger": {"answer": "no"},
    "what": {"answer": ["bullied", "made_to_pay"]},
    "hurt": {"answer": "no"},
    "who": {"answer": "me"},
    "staff": {"answer": "no"},
    "where": {"answer": "elsewhere"},
    "when": {"answer": "this_week"},
    "more": {"details": "They take my canteen every week."},
    "contact": {"answer": "anonymous"},
}


def start_report(kiosk: Kiosk, language: str = "en") -> Page:
    kiosk.get("/kiosk/")
    response = kiosk.post("/kiosk/language", {"language": language})
    assert response.location == "/kiosk/menu"
    return kiosk.follow(response)


def answer(kiosk: Kiosk, question: str, data: dict[str, Any]) -> str:
    """Answer one question from its own screen; returns where the kiosk goes next."""
    response = kiosk.submit(f"/kiosk/report/{question}", data)
    assert response.location is not None
    return response.location


def fill_report(
    kiosk: Kiosk, answers: dict[str, dict[str, Any]] | None = None, language: str = "en"
) -> Page:
    """Answer every question in order and land on "check your answers"."""
    start_report(kiosk, language)
    location = "/kiosk/report/danger"
    for question, data in (answers or ANSWERS).items():
        assert location == f"/kiosk/report/{question}", (question, location)
        location = answer(kiosk, question, data)
    assert location == "/kiosk/report/check"
    return kiosk.get(location)


def send(kiosk: Kiosk) -> Page:
    response = kiosk.post("/kiosk/report/send", {})
    assert response.location == "/kiosk/report/sent"
    return kiosk.follow(response)
