"""Listen names everything a person can touch on the screen (issue 17.4).

Someone who cannot read uses the kiosk by its pictures and by Listen. That only works if
Listen says, on every screen, the words of every button and choice there: a picture whose
words are never spoken is a guess. The pad's digits are spoken as themselves.

What Listen would say is read from the list of sentences it renders (the audio itself is
tested in test_listen.py and test_listen_languages.py).
"""

from __future__ import annotations

from typing import Any

import pytest

import kiosk.listen
from safeguarding.services import Services
from tests.factories import submit
from tests.kiosk.journey import ANSWERS, answer, start_report
from tests.kiosk.pages import Kiosk, Page
from tests.support.pages import words

pytestmark = pytest.mark.one_database  # words and screens, not storage

WITH_A_NAME = {**ANSWERS, "contact": {"answer": "contact_me"}}
IDENTITY = {"name": "Sam Jones", "prison_number": "A1234BC"}


@pytest.fixture
def spoken(monkeypatch: pytest.MonkeyPatch) -> None:
    """Listen answers with the sentences it would speak, instead of their audio."""

    def sentences(said: list[str], language: str) -> dict[str, Any]:
        return {"sentences": [words(str(sentence)) for sentence in said if sentence]}

    monkeypatch.setattr(kiosk.listen, "_audio_response", sentences)


def controls(page: Page) -> list[str]:
    """The words on every button and link in the page's main part (not the digits)."""
    found = []
    for element in page.elements:
        in_main = any(parent.tag == "main" for parent in element.parents)
        if not in_main or element.tag not in ("a", "button") or "hidden" in element.attrs:
            continue
        if any("hidden" in parent.attrs for parent in element.parents):
            continue  # shown by script only where it applies (the voice panel: test_voice_listen)
        if element.attrs.get("data-pad-key", "").isdigit():
            continue
        found.append(words(element.text))
    return found


def unspoken(kiosk_: Kiosk, page: Page) -> list[str]:
    listen_button = page.by_class("kiosk-listen")
    assert listen_button, page.h1
    said = kiosk_.client.get(listen_button[0].attrs["data-listen"]).get_json()["sentences"]
    return [label for label in controls(page) if not any(label in s for s in said)]


def test_every_report_screen_says_every_choice_and_button(kiosk: Kiosk, spoken: None) -> None:
    start_report(kiosk)
    silent: dict[str, list[str]] = {}
    for question, data in WITH_A_NAME.items():
        page = kiosk.get(f"/kiosk/report/{question}")
        silent[question] = unspoken(kiosk, page)
        answer(kiosk, question, data)
    page = kiosk.get("/kiosk/report/identity")
    silent["identity"] = unspoken(kiosk, page)
    answer(kiosk, "identity", IDENTITY)
    check = kiosk.get("/kiosk/report/check")
    silent["check"] = unspoken(kiosk, check)
    sent = kiosk.follow(kiosk.post("/kiosk/report/send", {}))
    silent["sent"] = unspoken(kiosk, sent)
    assert silent == {screen: [] for screen in silent}
    assert len(controls(check)) == len(WITH_A_NAME) + 2  # a Change for each, and Send


def test_every_follow_up_screen_says_every_button(
    kiosk: Kiosk, spoken: None, services: Services, establishment_id: int
) -> None:
    receipt = submit(services, establishment_id)
    start_report(kiosk)
    silent = {"code": unspoken(kiosk, kiosk.get("/kiosk/code"))}
    kiosk.submit("/kiosk/code", {"code": receipt.code, "key": "check"})
    silent["status"] = unspoken(kiosk, kiosk.get("/kiosk/code/report"))
    silent["add"] = unspoken(kiosk, kiosk.get("/kiosk/code/add"))
    kiosk.submit("/kiosk/code/add", {"details": "It happened again."})
    silent["danger_again"] = unspoken(kiosk, kiosk.get("/kiosk/code/danger"))
    added = kiosk.follow(kiosk.post("/kiosk/code/danger", {"answer": "no"}))
    silent["added"] = unspoken(kiosk, added)
    assert silent == {screen: [] for screen in silent}


def test_someone_in_danger_when_coming_back_hears_what_to_do_at_once(
    kiosk: Kiosk, spoken: None, services: Services, establishment_id: int
) -> None:
    """The screen after "yes, in danger" tells them to tell an officer and press the cell
    bell; Listen must say so too, or a person who cannot read never learns it."""
    receipt = submit(services, establishment_id)
    start_report(kiosk)
    kiosk.submit("/kiosk/code", {"code": receipt.code, "key": "check"})
    kiosk.submit("/kiosk/code/add", {"details": "He is back on the wing."})
    kiosk.post("/kiosk/code/danger", {"answer": "yes"}, status=200)
    said = kiosk.client.get("/kiosk/listen/added").get_json()["sentences"]
    assert "Tell any officer straight away." in said
    assert "Press your cell bell." in said
    assert "We have sent this to the safeguarding team as urgent." in said
    # Without danger, the same screen says none of it.
    other = submit(services, establishment_id)
    start_report(kiosk)
    kiosk.submit("/kiosk/code", {"code": other.code, "key": "check"})
    kiosk.submit("/kiosk/code/add", {"details": "Nothing new, just more."})
    kiosk.submit("/kiosk/code/danger", {"answer": "no"})
    said = kiosk.client.get("/kiosk/listen/added").get_json()["sentences"]
    assert "Press your cell bell." not in said


def test_the_code_screen_never_speaks_a_screen_readers_blank_slots(
    kiosk: Kiosk, spoken: None
) -> None:
    """The pad's live announcements have slots kiosk.js fills in; read aloud as they are,
    Listen said "You added {digit}" on every code screen."""
    start_report(kiosk)
    said = kiosk.client.get("/kiosk/listen/code").get_json()["sentences"]
    assert not [sentence for sentence in said if "{" in sentence], said
    assert said[:2] == ["Type your code.", "Your code has 12 numbers."]


def test_a_screen_with_a_problem_says_the_problem_first(kiosk: Kiosk, spoken: None) -> None:
    """A person who cannot read the red box still hears what went wrong, before the rest;
    only the problem's fixed name goes into the Listen address, never an answer."""
    start_report(kiosk)
    answer(kiosk, "danger", {"answer": "no"})
    kiosk.submit("/kiosk/report/what", {}, status=400)
    shown = kiosk.page
    assert shown is not None
    address = shown.by_class("kiosk-listen")[0].attrs["data-listen"]
    assert address == "/kiosk/listen/what?problem=what_required"
    said = kiosk.client.get(address).get_json()["sentences"]
    assert said[:3] == ["There is a problem", "Choose at least one thing.", "What is happening?"]
    assert unspoken(kiosk, shown) == []
    # A name Listen does not know is not spoken: the screen is read as usual.
    said = kiosk.client.get("/kiosk/listen/what?problem=Sam+Jones").get_json()["sentences"]
    assert said[0] == "What is happening?"


def test_a_wrong_code_is_said_before_the_pad(kiosk: Kiosk, spoken: None) -> None:
    start_report(kiosk)
    kiosk.submit("/kiosk/code", {"code": "1234 5678 9013", "key": "check"}, status=400)
    shown = kiosk.page
    assert shown is not None
    address = shown.by_class("kiosk-listen")[0].attrs["data-listen"]
    said = kiosk.client.get(address).get_json()["sentences"]
    assert said[:2] == [
        "There is a problem",
        "This code is not right. Check the numbers and try again.",
    ]
    assert "1234" not in address


def test_every_wishes_screen_says_every_choice_and_button(
    kiosk: Kiosk, spoken: None, services: Services, establishment_id: int
) -> None:
    """Issue 15.1: what the person wants, after Sent, and how it went, coming back."""
    start_report(kiosk)
    for question, data in ANSWERS.items():
        answer(kiosk, question, data)
    kiosk.post("/kiosk/report/send", {})
    silent = {"wants": unspoken(kiosk, kiosk.get("/kiosk/report/wishes"))}
    kiosk.post("/kiosk/report/wishes", {"answer": ["stop", "just_know"]}, status=400)
    assert kiosk.page is not None
    silent["wants-refused"] = unspoken(kiosk, kiosk.page)
    kiosk.submit("/kiosk/report/wishes", {"answer": ["stop"]})
    silent["sharing"] = unspoken(kiosk, kiosk.get("/kiosk/report/wishes/share"))
    thanks = kiosk.follow(kiosk.post("/kiosk/report/wishes/share", {"answer": "yes"}))
    silent["thanks"] = unspoken(kiosk, thanks)
    receipt = submit(services, establishment_id)
    start_report(kiosk)
    kiosk.submit("/kiosk/code", {"code": receipt.code, "key": "check"})
    silent["status"] = unspoken(kiosk, kiosk.get("/kiosk/code/report"))
    silent["did_we"] = unspoken(kiosk, kiosk.get("/kiosk/code/did-we"))
    kiosk.post("/kiosk/code/did-we", {"answer": "yes"})
    silent["safer"] = unspoken(kiosk, kiosk.get("/kiosk/code/safer"))
    done = kiosk.follow(kiosk.post("/kiosk/code/safer", {"answer": "yes"}))
    silent["feelings_thanks"] = unspoken(kiosk, done)
    assert silent == {screen: [] for screen in silent}


def test_every_people_screen_says_every_choice_and_button(kiosk: Kiosk, spoken: None) -> None:
    """Issue 14: who is being hurt and who is doing it, after Sent, and the name boxes."""
    start_report(kiosk)
    for question, data in ANSWERS.items():
        answer(kiosk, question, data)
    kiosk.post("/kiosk/report/send", {})
    silent = {"sent": unspoken(kiosk, kiosk.get("/kiosk/report/sent"))}
    silent["at_risk"] = unspoken(kiosk, kiosk.get("/kiosk/report/people"))
    kiosk.post("/kiosk/report/people", {"answer": "someone_else"})
    silent["at_risk_name"] = unspoken(kiosk, kiosk.get("/kiosk/report/people/name"))
    kiosk.post(
        "/kiosk/report/people/name", {"kind": "prison_number", "identifier": "x"}, status=400
    )
    assert kiosk.page is not None
    silent["at_risk_name-refused"] = unspoken(kiosk, kiosk.page)
    kiosk.post("/kiosk/report/people/name", {"skip": "1"})
    silent["causing_harm"] = unspoken(kiosk, kiosk.get("/kiosk/report/people/doing"))
    kiosk.post("/kiosk/report/people/doing", {"answer": "staff"})
    silent["causing_name"] = unspoken(kiosk, kiosk.get("/kiosk/report/people/doing/name"))
    thanks = kiosk.follow(kiosk.post("/kiosk/report/people/doing/name", {"skip": "1"}))
    silent["thanks"] = unspoken(kiosk, thanks)
    assert silent == {screen: [] for screen in silent}
