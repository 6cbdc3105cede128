"""What the person wants, and how it went, by pictures alone, in Chromium (issue 15.1).

Given a report just sent, someone who cannot read touches the picture for "Tell us what
you want to happen", then pictures for their choices, the next arrow, a sharing picture
and the finish picture: their wishes are kept, sealed. Coming back with the code, the
pictures for "Did we do what you wanted?" and "Do you feel safer?" are new information.
Every element is found by its picture, never by words or form values.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from safeguarding.services import Services
from safeguarding.wishes import WISHES_KIND, latest_feelings, latest_wishes
from storage.models import Report, TimelineEvent
from tests.factories import submit
from tests.kiosk.browser.conftest import KioskBrowser
from tests.kiosk.browser.tour import finish

pytestmark = pytest.mark.browser


def picture(page: Page, name: str) -> None:
    """Touch the button or link that shows the picture ``name`` (kiosk/static/icons/)."""
    page.click(f":is(a, button):has(img[src*='/icons/{name}.svg'])")


def tick(page: Page, name: str) -> None:
    """Touch the choice tile that shows the picture ``name``: its box covers the tile."""
    page.click(f".kiosk-check:has(img[src*='/icons/{name}.svg']) input")


def send_by_pictures(kiosk: KioskBrowser) -> None:
    """The shortest report (in danger, Send now), up to Sent."""
    page = kiosk.page
    page.click("button[name=language][value=en]")
    page.click("a[href='/kiosk/report/danger']")
    picture(page, "danger-yes")
    page.click(".kiosk-send-now")
    page.wait_for_url("**/kiosk/report/sent")


def the_report(services: Services) -> Report:
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
        list(report.events)
        return report


def wishes_events(services: Services) -> list[int]:
    with services.db.transaction() as session:
        found = select(TimelineEvent.id).where(TimelineEvent.kind == WISHES_KIND)
        return list(session.scalars(found).all())


def test_the_whole_wishes_journey_by_pictures(
    kiosk_browser: KioskBrowser, services: Services
) -> None:
    page = kiosk_browser.page
    send_by_pictures(kiosk_browser)
    picture(page, "wishes")
    tick(page, "wish-stop")
    tick(page, "wish-police")
    tick(page, "wish-just-know")  # stands alone: refused, nothing lost
    picture(page, "next")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator("main input:checked")).to_have_count(3)
    tick(page, "wish-just-know")  # untick it
    picture(page, "next")
    page.wait_for_url("**/kiosk/report/wishes/share")
    picture(page, "share-ask-me")
    page.wait_for_url("**/kiosk/report/wishes/thanks")
    finish(kiosk_browser)
    wishes = latest_wishes(the_report(services), services.secrets.vault)
    assert wishes is not None
    assert (wishes.wants, wishes.sharing) == (("stop", "police"), "ask_me")


def test_skip_pictures_leave_nothing_and_finish_is_one_touch(
    kiosk_browser: KioskBrowser, services: Services
) -> None:
    page = kiosk_browser.page
    send_by_pictures(kiosk_browser)
    picture(page, "wishes")
    picture(page, "skip")
    page.wait_for_url("**/kiosk/report/wishes/share")
    picture(page, "skip")
    page.wait_for_url("**/kiosk/report/wishes/thanks")
    picture(page, "back")
    page.wait_for_url("**/kiosk/report/sent")
    picture(page, "finish")
    page.wait_for_url("**/kiosk/")
    assert wishes_events(services) == []


def test_leave_now_half_way_keeps_the_report_and_forgets_the_choices(
    kiosk_browser: KioskBrowser, services: Services
) -> None:
    page = kiosk_browser.page
    send_by_pictures(kiosk_browser)
    picture(page, "wishes")
    tick(page, "wish-move")
    picture(page, "next")
    page.wait_for_url("**/kiosk/report/wishes/share")
    page.click("[data-quick-exit]")
    page.wait_for_url("**/kiosk/ready")
    page.go_back()
    page.wait_for_load_state("load")
    assert page.locator("main input:checked").count() == 0
    assert wishes_events(services) == []
    assert the_report(services).id is not None


def test_coming_back_says_how_it_went_by_pictures(
    kiosk_browser: KioskBrowser, services: Services, establishment_id: int
) -> None:
    receipt = submit(services, establishment_id)
    page = kiosk_browser.page
    page.click("button[name=language][value=en]")
    page.click("a[href='/kiosk/code']")
    page.fill("#code", receipt.code)
    page.click("button[name=key][value=check]")
    page.wait_for_url("**/kiosk/code/report")
    picture(page, "wishes")
    picture(page, "did-we-partly")
    page.wait_for_url("**/kiosk/code/safer")
    picture(page, "safer-no")
    page.wait_for_url("**/kiosk/code/thanks")
    picture(page, "back")
    page.wait_for_url("**/kiosk/code/report")
    expect(page.locator("main img[src*='/icons/wishes.svg']")).to_have_count(0)  # once
    report = the_report(services)
    feelings = latest_feelings(report, services.secrets.vault)
    assert feelings is not None and (feelings.did_we, feelings.safer) == ("partly", "no")
    assert report.new_information_at is not None
