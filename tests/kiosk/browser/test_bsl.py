"""A Deaf prisoner at the kiosk in Chromium (issue 17.2): chooses British Sign Language by
its picture, sees the start of a report signed (a sample clip made with ffmpeg) with English
captions, the video silent until touched and seekable, Leave now always in reach, and no
axe-core violation on the new screens."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from safeguarding.drafts import WARNING_SECONDS
from safeguarding.services import Services
from tests.kiosk.browser.conftest import KioskBrowser, open_kiosk
from tests.kiosk.browser.reach import reach, reach_problems
from tests.kiosk.browser.test_screens import AXE, REPO, axe_violations
from tests.support.bsl import give_video

pytestmark = pytest.mark.browser

SIGNED = ("menu", "danger", "danger.yes")
IDLE_MS = 90 * 1000  # the establishment's idle time (tests.factories)
# Apart from the walk's screenshots, whose folder holds only <language>-NN-<screen>.png.
BSL_SCREENSHOTS = REPO / "docs" / "screenshots" / "kiosk-bsl"

# The player as a person meets it: loaded from our server, not playing, no sound, seekable
# (the server answers byte ranges), its captions track read.
PLAYER = """async (selector) => {
  const video = document.querySelector(selector);
  if (video.readyState < 1) {
    await new Promise((ok, fail) => {
      video.addEventListener('loadedmetadata', ok, {once: true});
      video.addEventListener('error', () => fail(new Error('video error')), {once: true});
    });
  }
  const track = video.textTracks[0];
  track.mode = 'showing';
  for (let i = 0; i < 50 && !(track.cues && track.cues.length); i++) {
    await new Promise(ok => setTimeout(ok, 100));
  }
  const seekable = video.seekable.length ? video.seekable.end(0) : 0;
  return {paused: video.paused, fullscreen: !video.controlsList.contains('nofullscreen'),
    muted: video.muted, autoplay: video.autoplay,
    width: video.videoWidth, duration: video.duration, seekable,
    source: new URL(video.currentSrc).origin === location.origin,
    captions: track.cues ? [...track.cues].map(cue => cue.text) : [],
    kind: track.kind, language: track.language};
}"""


@pytest.fixture
def signing_kiosk(
    browser: Browser, live_server: str, services: Services, establishment_id: int
) -> KioskBrowser:
    for slot in SIGNED:
        give_video(services, establishment_id, slot)
    return open_kiosk(browser, live_server, services, establishment_id)


def player(page: Page, selector: str) -> dict[str, object]:
    found: dict[str, object] = page.evaluate(PLAYER, selector)
    return found


def test_a_deaf_prisoner_reports_in_bsl_and_can_always_leave(signing_kiosk: KioskBrowser) -> None:
    page = signing_kiosk.page
    page.screenshot(path=str(BSL_SCREENSHOTS / "start.png"))  # docs/kiosk.md
    page.get_by_role("button", name="British Sign Language (BSL)").click()
    page.wait_for_url("**/kiosk/menu")
    assert page.get_attribute("html", "lang") == "en"

    menu = player(page, "#kiosk-bsl-screen video")
    assert menu == {
        "paused": True, "fullscreen": False, "muted": True, "autoplay": False, "width": 320,
        "duration": pytest.approx(2.0, abs=0.2), "seekable": pytest.approx(2.0, abs=0.2),
        "source": True, "captions": ["What do you want to do?"], "kind": "captions",
        "language": "en",
    }  # fmt: skip
    page.eval_on_selector("#kiosk-bsl-screen video", "v => { v.currentTime = 1.5; }")
    page.wait_for_function("document.querySelector('#kiosk-bsl-screen video').currentTime >= 1.4")
    assert reach_problems("menu", reach(page)) == []

    page.click("a[href='/kiosk/report/danger']")
    page.wait_for_url("**/kiosk/report/danger")
    assert player(page, "#kiosk-bsl-screen video")["captions"] == ["Is anyone in danger right now?"]
    assert player(page, "#kiosk-bsl-danger-yes video")["captions"] == ["Yes. I am in danger now."]
    # Every choice fits without scrolling, and Leave now stays in reach all the way down.
    assert reach_problems("danger", reach(page)) == []
    assert signing_kiosk.csp_errors == []
    page.screenshot(path=str(BSL_SCREENSHOTS / "danger.png"))  # docs/kiosk.md

    page.click("button[name=answer][value=no]")
    page.wait_for_url("**/kiosk/report/what")
    assert page.locator("video").count() == 0  # not signed yet: the English screen as usual

    page.click("[data-quick-exit]")
    page.wait_for_url("**/kiosk/ready")
    assert page.locator("video").count() == 0


def test_the_bsl_screens_have_no_axe_violations(
    browser: Browser, live_server: str, services: Services, establishment_id: int
) -> None:
    for slot in SIGNED:
        give_video(services, establishment_id, slot)
    kiosk = open_kiosk(browser, live_server, services, establishment_id, bypass_csp=True)
    kiosk.context.add_init_script(path=AXE)
    page = kiosk.page
    page.reload()
    found = {"start": axe_violations(page)}
    page.get_by_role("button", name="British Sign Language (BSL)").click()
    page.wait_for_url("**/kiosk/menu")
    found["menu"] = axe_violations(page)
    page.goto(kiosk.url("/kiosk/report/danger"))
    found["danger"] = axe_violations(page)
    assert {screen: problems for screen, problems in found.items() if problems} == {}
    kiosk.context.close()


def test_a_signer_who_walks_away_mid_video_is_wiped_as_anyone_else(
    signing_kiosk: KioskBrowser,
) -> None:
    page = signing_kiosk.page
    page.get_by_role("button", name="British Sign Language (BSL)").click()
    page.wait_for_url("**/kiosk/menu")
    page.click("a[href='/kiosk/report/danger']")
    page.wait_for_url("**/kiosk/report/danger")
    page.eval_on_selector("#kiosk-bsl-screen video", "v => v.play()")  # touched Play
    page.clock.run_for(IDLE_MS + 1000)
    assert page.locator("#kiosk-warning").is_visible()
    page.clock.run_for((WARNING_SECONDS + 1) * 1000)
    page.wait_for_url("**/kiosk/ready")
    assert page.locator("video").count() == 0
    page.goto(signing_kiosk.url("/kiosk/menu"))
    page.wait_for_url("**/kiosk/")  # nothing of the turn is left: the start screen
