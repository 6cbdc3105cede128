"""The simulator page in a real Chromium: a whole call by clicking the keypad, under the CSP."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, Playwright, expect
from sqlalchemy import select
from werkzeug.serving import make_server

from safeguarding.services import Services
from storage.models import Report
from tests.browser import CHROMIUM, CHROMIUM_FLAGS
from tests.ivr.conftest import add_line

# The shared flags (loopback only), and sound that plays without a tap: the simulator
# plays the prompts as a caller would hear them.
SIMULATOR_FLAGS = [*CHROMIUM_FLAGS, "--autoplay-policy=no-user-gesture-required"]

pytestmark = pytest.mark.browser

FAST_PLAYBACK = """
const play = HTMLMediaElement.prototype.play;
HTMLMediaElement.prototype.play = function () {
  this.playbackRate = 16;
  return play.call(this);
};
"""


@pytest.fixture(scope="module")
def chromium(playwright: Playwright) -> Iterator[Browser]:
    launched = _launch(playwright)
    yield launched
    launched.close()


def _launch(driver: Playwright) -> Browser:
    return driver.chromium.launch(executable_path=CHROMIUM, args=SIMULATOR_FLAGS)


@pytest.fixture
def served_demo(demo_app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, demo_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def press_when_heard(page: Page, heard: str, key: str) -> None:
    expect(page.locator("#transcript")).to_contain_text(heard, timeout=30_000)
    page.locator(f'.phone__key[data-key="{key}"]').click()


def test_a_whole_call_from_the_simulator_page(
    chromium: Browser, served_demo: str, services: Services
) -> None:
    line = add_line(services)
    context = chromium.new_context()
    # Each prompt is real audio played to its end: at 16 times the speed (Chromium's most)
    # the call is the same call, heard in a sixteenth of the time.
    context.add_init_script(FAST_PLAYBACK)
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{served_demo}/ivr/simulator")
    page.select_option("#number", line.number)
    page.click("#call")
    press_when_heard(page, "To tell us about something wrong, press 2.", "2")
    press_when_heard(page, "What is happening? Choose one.", "1")
    press_when_heard(page, "Is something else happening too?", "2")
    press_when_heard(page, "If this is about you, press 1.", "1")
    press_when_heard(page, "Is anyone hurt?", "2")
    press_when_heard(page, "Is a member of staff involved?", "2")
    press_when_heard(page, "To keep your message, press 2.", "2")  # the sample message
    press_when_heard(page, "Your code is:", "5")
    press_when_heard(page, "If you just want us to know, press 5.", "5")
    press_when_heard(page, "If you want us to ask you first, press 3.", "3")
    press_when_heard(page, "To skip this, press 9.", "9")  # "Who is doing it?" (issue 14)
    expect(page.locator("#transcript")).to_contain_text("Goodbye.", timeout=30_000)
    expect(page.locator("#state")).to_have_text("Not in a call.", timeout=30_000)
    # The list's numbers from 10 up fit in the room the scrolling box leaves for them.
    count, needed, room = page.evaluate(
        """() => {
          const list = document.getElementById('transcript');
          const probe = document.createElement('span');
          probe.textContent = list.children.length + '. ';
          list.lastElementChild.append(probe);
          const needed = probe.getBoundingClientRect().width;
          probe.remove();
          return [list.children.length, needed, parseFloat(getComputedStyle(list).paddingLeft)];
        }"""
    )
    assert count >= 10 and room >= needed, (count, needed, room)
    context.close()
    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
        assert [a.answer for a in report.answers] == ["hurting_me", "me", "no"]
        assert len(report.recordings) == 1
        assert not any(event.kind == "call_ended_early" for event in report.events)


def test_captions_in_another_language_carry_its_lang_and_direction(
    chromium: Browser, served_demo: str, services: Services
) -> None:
    line = add_line(services, languages="en,ar")
    context = chromium.new_context()
    page = context.new_page()
    page.goto(f"{served_demo}/ivr/simulator")
    page.select_option("#number", line.number)
    page.click("#call")
    arabic = page.locator('#transcript li[lang="ar"]').first
    expect(arabic).to_have_attribute("dir", "rtl", timeout=30_000)
    english = page.locator("#transcript li").first
    assert english.get_attribute("lang") in (None, "en")
    page.click("#hangup")
    context.close()
