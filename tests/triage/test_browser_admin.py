"""In a real Chromium, checked with axe: an administrator sets languages, adds a wing,
registers a kiosk (its link shown once) and puts someone on call."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from speech.engine import synthesise_wav
from tests.support.bsl import sample_clip
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import invite
from tests.triage.test_browser import assert_accessible, live_url, page  # noqa: F401
from tests.triage.test_browser_staff_reports import sign_in_as

pytestmark = pytest.mark.browser


def test_an_administrator_sets_up_an_establishment(
    page: Any,  # noqa: F811
    services: Services,
    establishment: int,
    staff: StaffFactory,
    clock: FixedClock,
) -> None:
    sign_in_as(page, services, staff("admin"), clock)
    page.goto("/triage/admin/establishments")
    assert_accessible(page)
    page.click("#establishments-table a")
    assert_accessible(page)
    page.check("#language-cy")
    page.fill("#order-cy", "1")
    page.fill("#say_voice-cy", "Gwyneth")  # not a Twilio voice name
    page.click("button:has-text('Save settings')")
    assert "Enter a Twilio voice name like Polly.Gwyneth" in page.inner_text("#phone-voices")
    page.problems.clear()  # the refused form's 400, asked for above
    page.fill("#say_voice-cy", "Polly.Gwyneth")
    page.check("#keep_caller_number")
    page.click("button:has-text('Save settings')")
    assert "Settings saved." in page.inner_text(".govuk-notification-banner")
    page.fill("#location_name", "Segregation unit")
    page.click("button:has-text('Add place')")
    assert "Segregation unit" in page.inner_text("#locations-table")
    assert_accessible(page)

    page.click("text=Kiosks and phone lines")
    page.fill("#kiosk_label", "CSU kiosk")
    page.click("button:has-text('Register and make a link')")
    assert "/kiosk/enrol#" in page.inner_text("#enrolment-url")
    assert_accessible(page)

    page.click("text=On-call chain")
    page.select_option("#role", "duty_governor")
    page.fill("#display_name", "Gov Duty")
    page.fill("#phone", "+447700900123")
    page.click("button:has-text('Add to the chain')")
    assert "Gov Duty" in page.inner_text("#oncall-table")
    assert_accessible(page)


def test_an_administrator_records_a_somali_prompt_and_removes_it(
    page: Any,  # noqa: F811
    services: Services,
    establishment: int,
    staff: StaffFactory,
    clock: FixedClock,
    tmp_path: Path,
) -> None:
    sign_in_as(page, services, staff("admin"), clock)
    page.goto("/triage/admin/establishments")
    page.click("#phone-prompts-link")
    page.wait_for_url(f"**/triage/admin/phone-prompts/{establishment}")  # their only one
    assert_accessible(page)
    page.click("#language-so a")
    page.wait_for_url(f"**/triage/admin/phone-prompts/{establishment}/so")
    assert_accessible(page)
    row = page.locator("#p-start\\.danger")
    assert row.get_attribute("data-source") == "missing"
    wav = tmp_path / "danger.wav"
    synthesise_wav(row.locator("span[lang=so]").inner_text(), "en", wav)
    row.locator("input[type=file]").set_input_files(str(wav))
    row.locator("button:has-text('Upload')").click()
    assert "Recording saved." in page.inner_text(".govuk-notification-banner")
    row = page.locator("#p-start\\.danger")
    assert row.get_attribute("data-source") == "recorded"
    duration = row.locator("audio").evaluate(
        """audio => new Promise((done, failed) => {
            audio.addEventListener("loadedmetadata", () => done(audio.duration));
            audio.addEventListener("error", () => failed(new Error("cannot play")));
            audio.preload = "metadata"; audio.load();
        })"""
    )
    assert duration > 0.5  # the browser can load and measure what callers will hear
    assert_accessible(page)
    row.locator("button:has-text('Remove recording')").click()
    assert page.locator("#p-start\\.danger").get_attribute("data-source") == "missing"


def test_a_setup_link_keeps_its_token_out_of_every_request_path(
    page: Any,  # noqa: F811
    services: Services,
    establishment: int,
) -> None:
    """Issue 12 item 4: the token is after "#", which the browser never sends; the page's
    script posts it, and removes it from the address bar."""
    _staff_id, token = invite(services, role="admin", establishment_ids=[establishment])
    paths: list[str] = []
    page.on("request", lambda request: paths.append(request.url))
    page.goto(f"/triage/setup#{token}")
    assert not page.is_visible("#token")
    assert "#" not in page.url
    assert_accessible(page)
    page.click("button:has-text('Continue')")
    page.wait_for_selector("#password")
    assert "@test.safereport.invalid" in page.inner_text(".govuk-caption-l")
    assert not [url for url in paths if token in url]


def test_an_administrator_uploads_a_bsl_video_previews_it_and_removes_it(
    page: Any,  # noqa: F811
    services: Services,
    establishment: int,
    staff: StaffFactory,
    clock: FixedClock,
    tmp_path: Path,
) -> None:
    sign_in_as(page, services, staff("admin"), clock)
    page.goto("/triage/admin/establishments")
    page.click("#bsl-videos-link")
    page.wait_for_url(f"**/triage/admin/bsl-videos/{establishment}")  # their only one
    assert_accessible(page)
    row = page.locator("#v-danger")
    assert row.get_attribute("data-has-video") == "no"
    not_a_video = tmp_path / "danger.mp4"
    not_a_video.write_bytes(b"this is a text file with a video's name")
    row.locator("input[type=file]").set_input_files(str(not_a_video))
    row.locator("button:has-text('Upload')").click()
    assert "not a video the kiosk can play" in page.inner_text("#v-danger-error")
    page.problems.clear()  # the refused form's 400
    assert_accessible(page)

    clip = tmp_path / "danger-signed.mp4"
    clip.write_bytes(sample_clip())
    page.locator("#v-danger input[type=file]").set_input_files(str(clip))
    page.locator("#v-danger button:has-text('Upload')").click()
    assert "Video saved." in page.inner_text(".govuk-notification-banner")
    row = page.locator("#v-danger")
    assert row.get_attribute("data-has-video") == "yes"
    shown = row.locator("video").evaluate(
        """video => new Promise((done, failed) => {
            video.addEventListener("loadedmetadata", () => done(
                [video.videoWidth, video.duration, video.muted, video.paused]));
            video.addEventListener("error", () => failed(new Error("cannot play")));
            video.preload = "metadata"; video.load();
        })"""
    )
    assert shown[0] == 320 and 1.5 < shown[1] < 2.5 and shown[2] and shown[3]
    assert_accessible(page)
    row.locator("button:has-text('Remove video')").click()
    assert page.locator("#v-danger").get_attribute("data-has-video") == "no"
