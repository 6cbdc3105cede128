"""A kiosk that has sent its limit of reports still takes the one that says someone is in
danger: at Send, at Send now, and when the person has to leave before sending.

The limit (safeguarding.kiosk_devices) is there so that a stuck key or a script cannot bury
real reports. Until now it also turned away a prisoner in danger on a busy wing, and a
danger answer left behind at the limit was dropped with only a line in the log: nobody saw
it, and the person had gone. Seen by a prisoner in danger, someone thinking of hurting
themselves, and a person with an ordinary concern who still meets the limit.
"""

from __future__ import annotations

from sqlalchemy import select

from safeguarding.services import Services
from storage.models import KioskDevice, OutboxMessage, Report
from tests.factories import submit
from tests.kiosk.journey import answer, fill_report, start_report
from tests.kiosk.pages import Kiosk, code_on, parse
from tests.kiosk.test_leaving_in_danger import quick_exit

SEND_NOW: dict[str, object] = {"send_now": "1"}


def fill_the_kiosks_limit(services: Services, establishment_id: int) -> int:
    """Reports already sent from this kiosk up to its limit; how many that was."""
    with services.db.transaction() as session:
        device_id = session.scalars(
            select(KioskDevice.id).where(KioskDevice.establishment_id == establishment_id)
        ).one()
    limit = services.policy.kiosk.reports_per_device
    for _ in range(limit):
        submit(services, establishment_id, kiosk_device_id=device_id)
    return limit


def kiosk_reports(services: Services) -> list[Report]:
    with services.db.transaction() as session:
        return list(session.scalars(select(Report).order_by(Report.id)))


def pages_sent(services: Services) -> int:
    with services.db.transaction() as session:
        kinds = session.scalars(select(OutboxMessage.kind)).all()
    return sum(kind == "alert.new_report" for kind in kinds)


def test_a_prisoner_in_danger_at_a_busy_kiosk_sends_now_and_gets_a_code(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    limit = fill_the_kiosks_limit(services, establishment_id)
    start_report(kiosk)
    answer(kiosk, "danger", {"answer": "yes"})
    response = kiosk.post("/kiosk/report/what", SEND_NOW)
    assert response.location == "/kiosk/report/sent"
    assert len(code_on(kiosk.follow(response))) == 12
    found = kiosk_reports(services)
    assert len(found) == limit + 1
    assert found[-1].priority == "immediate" and found[-1].in_danger_now
    assert pages_sent(services) >= 1  # the on-call chain is paged


def test_someone_thinking_of_hurting_themselves_at_a_busy_kiosk_is_not_turned_away(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    limit = fill_the_kiosks_limit(services, establishment_id)
    start_report(kiosk)
    answer(kiosk, "danger", {"answer": "no"})
    answer(kiosk, "what", {"answer": ["hurting_myself"]})
    response = kiosk.post("/kiosk/report/hurt", SEND_NOW)
    assert response.location == "/kiosk/report/sent"
    assert len(kiosk_reports(services)) == limit + 1


def test_a_danger_answer_left_behind_at_a_busy_kiosk_is_still_filed(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    limit = fill_the_kiosks_limit(services, establishment_id)
    start_report(kiosk)
    answer(kiosk, "danger", {"answer": "someone_else"})
    quick_exit(kiosk)
    found = kiosk_reports(services)
    assert len(found) == limit + 1
    assert found[-1].priority == "immediate" and found[-1].someone_else_in_danger_now


def test_an_ordinary_concern_still_meets_the_limit_after_a_danger_report_got_through(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    limit = fill_the_kiosks_limit(services, establishment_id)
    start_report(kiosk)
    answer(kiosk, "danger", {"answer": "yes"})
    kiosk.post("/kiosk/report/what", SEND_NOW)
    kiosk.client.post("/kiosk/finish", data={"csrf_token": kiosk.get("/kiosk/report/sent").csrf})
    check = fill_report(kiosk)
    refused = kiosk.client.post("/kiosk/report/send", data={"csrf_token": check.csrf})
    assert refused.status_code == 429
    assert parse(refused).h1 == "This kiosk cannot send more reports just now."
    assert len(kiosk_reports(services)) == limit + 1
