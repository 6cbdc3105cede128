"""What the people in tests/triage/test_browser_walkthrough.py do on the case page, and
the screenshots for docs/triage-walkthrough.md (taken only with SAFEREPORT_SCREENSHOTS=1,
so a test run never rewrites the docs)."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Playwright
from sqlalchemy import select

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from safeguarding.wishes import record_wishes
from storage.models import OnCallContact, OutboxMessage, Report, StaffUser
from tests.triage.helpers import StaffLogin, next_code
from tests.triage.test_browser import loopback_page

SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots" / "triage"
VIEWPORT = {"width": 1100, "height": 900}
COLOURS = 64  # GOV.UK pages have few colours: a palette keeps the PNGs small


def screenshots_wanted() -> bool:
    return os.environ.get("SAFEREPORT_SCREENSHOTS") == "1"


@dataclass
class Walk:
    """One case walked in the browser. ``shot`` names each step
    ``<case>-NN-<step>.png`` and saves it full-page only when screenshots are wanted."""

    page: Any
    case: str
    taken: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if screenshots_wanted():
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            for old in SCREENSHOTS.glob(f"{self.case}-*.png"):
                old.unlink()

    def shot(self, step: str) -> None:
        name = f"{self.case}-{len(self.taken) + 1:02d}-{step}.png"
        self.taken.append(name)
        if screenshots_wanted():
            shot = Image.open(io.BytesIO(self.page.screenshot(full_page=True)))
            palette = shot.convert("RGB").quantize(COLOURS, dither=Image.Dither.NONE)
            palette.save(SCREENSHOTS / name, optimize=True)


@pytest.fixture
def walk_page(live_url: str, playwright: Playwright) -> Iterator[Any]:
    """Chromium at a fixed width, so the screenshots are the same from run to run."""
    yield from loopback_page(
        live_url, playwright, viewport=VIEWPORT, locale="en-GB", timezone_id="Europe/London"
    )


def name_staff(services: Services, login: StaffLogin, name: str) -> None:
    """A made-up name that reads well in the screenshots (the factory's has random hex)."""
    with services.db.transaction() as session:
        user = session.get(StaffUser, login.id)
        assert user is not None
        user.display_name = name


def on_call(services: Services, establishment: int) -> None:
    """The chain an administrator sets up: the lead first, then the duty governor, who is
    told of escalations (made-up names, and addresses that can never be delivered)."""
    with services.db.transaction() as session:
        for position, (role, name) in enumerate(
            (("lead", "Lena Lead"), ("duty_governor", "Glen Governor")), start=1
        ):
            email = f"{name.lower().replace(' ', '.')}@example.invalid"
            session.add(
                OnCallContact(
                    establishment_id=establishment, chain_position=position, role=role,
                    display_name=name, email=email, phone=None, created_at=services.clock.now(),
                )
            )  # fmt: skip


def wishes(services: Services, report_id: int, wants: list[str], sharing: str) -> None:
    """What the person wants, as the kiosk records it after Sent (its screens are built
    elsewhere: this is the core function they call)."""
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        record_wishes(
            session, report=report, wants=wants, sharing=sharing, channel="kiosk",
            vault=services.secrets.vault, clock=services.clock,
        )  # fmt: skip


def outbox_kinds(services: Services) -> list[str]:
    with services.db.transaction() as session:
        return list(session.scalars(select(OutboxMessage.kind)))


def sign_in(page: Any, login: StaffLogin, clock: FixedClock) -> None:
    """A fresh browser session (the last one may have expired): email, password, code."""
    page.context.clear_cookies()
    page.goto("/triage/sign-in")
    page.fill("#email", login.email)
    page.fill("#password", login.password)
    page.fill("#code", next_code(login, clock))
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/triage/queue")


def banner(page: Any) -> str:
    return str(page.inner_text(".govuk-notification-banner"))


def press(page: Any, button: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


def press_and_see(page: Any, button: str, done: str) -> None:
    press(page, button)
    assert done in banner(page), banner(page)


def open_case(page: Any, report_id: int) -> None:
    page.click(f"#queue-table a:has-text('Report {report_id}')")
    page.wait_for_url(f"**/triage/reports/{report_id}")
    assert page.inner_text("#case-heading") == f"Report {report_id}"


def acknowledge_assign_investigate(page: Any, to: StaffLogin) -> None:
    page.click("#acknowledge")
    assert "Report acknowledged." in banner(page)
    page.select_option("#assign_staff", str(to.id))
    press_and_see(page, "Assign", "Report assigned.")
    page.select_option("#status", "investigating")  # triaged: the triage clock stops
    press_and_see(page, "Change status", "Status changed.")


@dataclass(frozen=True)
class Referral:
    agency: str
    reason: str
    reference: str = ""
    consent: str = ""
    first_responder: str = ""


def refer(page: Any, referral: Referral) -> None:
    page.select_option("#referral_agency", referral.agency)
    page.select_option("#referral_decision", "met")
    if referral.consent:
        page.select_option("#referral_consent", referral.consent)
    page.fill("#referral_reason", referral.reason)
    page.fill("#referral_reference", referral.reference)
    if referral.first_responder:
        page.select_option("#referral_first_responder", referral.first_responder)
    press_and_see(page, "Record decision", "Referral decision recorded.")


def answer_referral(page: Any, response: str, on: str, note: str) -> None:
    page.select_option("#referral_response", response)
    page.fill("#referral_response_on", on)
    page.fill("#referral_note", note)
    press(page, "Record answer")


def add_task(page: Any, kind: str, owner: StaffLogin, due_on: str) -> None:
    page.select_option("#task_kind", kind)
    page.select_option("#task_owner", str(owner.id))
    page.fill("#task_due_on", due_on)
    press_and_see(page, "Add task", "Task added.")


def write_plan(page: Any, text: str, owner: StaffLogin, review_on: str) -> None:
    page.fill("#plan_text", text)
    page.select_option("#plan_owner", str(owner.id))
    page.fill("#plan_review_on", review_on)
    press_and_see(page, "Save plan", "Protection plan saved.")


def record_evidence(page: Any, item: str) -> None:
    page.select_option("#evidence_task", label=item)
    page.check("#evidence_outcome-secured")
    press_and_see(page, "Record evidence", "Evidence recorded.")


@dataclass(frozen=True)
class Closing:
    outcome: str
    achieved: str
    risk: str
    note: str


def close_case(page: Any, closing: Closing) -> None:
    # They said what they wanted, so the form starts at "Yes, and they said".
    assert page.is_checked("#outcomes_asked-asked_expressed")
    page.select_option("#close_outcome", closing.outcome)
    page.select_option("#outcomes_achieved", closing.achieved)
    page.select_option("#risk_outcome", closing.risk)
    page.fill("#close_note", closing.note)
    press_and_see(page, "Close case", "Report closed.")
    assert page.inner_text("#case-status") == "Closed"


def finish_task(page: Any) -> None:
    page.check("#task_outcome-done")
    press_and_see(page, "Finish task", "Task finished.")
