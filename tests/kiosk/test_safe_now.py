"""'Are you safe now?' at the kiosk (issue 15.5): a person who reported someone comes back
with their code while a retaliation check-in on their report is due. As a prisoner who is
being punished for reporting, one who is fine, one who will not say, one who only wants to
add something, and a curious officer trying codes would meet it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from safeguarding.checkin_answers import ask_if_safe_now
from safeguarding.clock import FixedClock
from safeguarding.new_information import DANGER_AGAIN_KIND
from safeguarding.services import Services
from safeguarding.wishes import Feelings
from storage.models import AuditEvent, Report
from tests.factories import submit
from tests.ivr.test_wishes import feelings_of
from tests.kiosk.journey import start_report
from tests.kiosk.pages import Kiosk, Page
from tests.kiosk.test_followup import type_on_pad
from tests.kiosk.test_followup_danger import add_lead, outbox
from tests.triage.test_checkins import checkins

SAFE_NOW = "/kiosk/code/safe-now"
STATUS = "/kiosk/code/report"


def a_named_report(services: Services, establishment_id: int) -> tuple[int, str]:
    """Someone hurt them: the report names a person, so it has check-ins at 30, 60, 90 days."""
    receipt = submit(services, establishment_id, concerns=["hurting_me"])
    return receipt.report_id, receipt.code


def type_code(kiosk: Kiosk, code: str) -> str:
    """The code on the pad; where the kiosk goes once it opened the report."""
    start_report(kiosk)
    page = type_on_pad(kiosk, code)
    response = kiosk.post("/kiosk/code", {"code": page.value("code"), "key": "check"})
    assert response.location == STATUS
    status = kiosk.client.get(STATUS)
    if status.status_code == 303:
        return status.location or ""
    assert status.status_code == 200
    return STATUS


def asked(kiosk: Kiosk, code: str) -> Page:
    assert type_code(kiosk, code) == SAFE_NOW
    page = kiosk.get(SAFE_NOW)
    assert page.h1 == "Are you safe now?"
    return page


def report_of(services: Services, report_id: int) -> Report:
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        list(report.events)
        return report


def test_not_due_yet_the_status_comes_straight_away(
    kiosk: Kiosk, services: Services, establishment_id: int, clock: FixedClock
) -> None:
    report_id, code = a_named_report(services, establishment_id)
    clock.advance(timedelta(days=29))
    assert type_code(kiosk, code) == STATUS
    assert kiosk.client.get(SAFE_NOW).location == STATUS  # nothing to ask: no screen
    assert [c.reporter_answer for c in checkins(services, report_id)] == [None, None, None]


def test_a_report_naming_nobody_is_never_asked(
    kiosk: Kiosk, services: Services, establishment_id: int, clock: FixedClock
) -> None:
    receipt = submit(services, establishment_id, concerns=["cannot_cope"])
    clock.advance(timedelta(days=31))
    assert type_code(kiosk, receipt.code) == STATUS


def test_due_it_asks_with_pictures_listen_and_skip(
    kiosk: Kiosk, services: Services, establishment_id: int, clock: FixedClock
) -> None:
    _, code = a_named_report(services, establishment_id)
    clock.advance(timedelta(days=30, minutes=1))
    page = asked(kiosk, code)
    buttons = page.all("button", name="answer")
    assert [b.attrs.get("value") for b in buttons] == ["yes", "no", "not_saying"]
    assert [b.text.strip() for b in buttons] == ["Yes", "No", "I do not want to say"]
    pictures = [img.attrs.get("src", "") for img in page.by_class("kiosk-choice__picture")]
    assert [src.rsplit("/", 1)[-1].split("?")[0] for src in pictures] == [
        "safer-yes.svg",
        "safer-no.svg",
        "person-not-saying.svg",
    ]
    assert page.all("button", name="skip")
    [button] = page.by_class("kiosk-listen")
    assert button.attrs["data-listen"] == "/kiosk/listen/safe_now"
    listen = kiosk.client.get("/kiosk/listen/safe_now")
    assert (listen.status_code, listen.mimetype) == (200, "audio/wav")


def test_yes_records_the_check_in_as_safe_by_the_reporter_and_goes_on(
    kiosk: Kiosk, services: Services, establishment_id: int, clock: FixedClock
) -> None:
    report_id, code = a_named_report(services, establishment_id)
    clock.advance(timedelta(days=31))
    asked(kiosk, code)
    assert kiosk.post(SAFE_NOW, {"answer": "yes"}).location == STATUS
    first, second, third = checkins(services, report_id)
    assert (first.outcome, first.recorded_by, first.reporter_answer) == (
        "safe",
        "reporter:kiosk",
        "yes",
    )
    assert second.outcome is None and third.outcome is None  # not due yet: not answered
    report = report_of(services, report_id)
    assert report.priority != "immediate"
    assert kiosk.get(STATUS).h1 == "Your report"  # not asked again in this visit
    with services.db.transaction() as session:
        actions = list(session.scalars(select(AuditEvent.action)))
        assert not ask_if_safe_now(session, report_id, clock.now())  # nor the next visit
    assert "report.checkin_answered" in actions


def test_no_is_danger_the_report_is_immediate_and_the_chain_is_paged(
    kiosk: Kiosk, services: Services, establishment_id: int, clock: FixedClock
) -> None:
    add_lead(services, establishment_id)
    report_id, code = a_named_report(services, establishment_id)
    with services.db.transaction() as session:
        closed = session.get(Report, report_id)
        assert closed is not None
        closed.status = "closed"
    clock.advance(timedelta(days=65))  # two check-ins overdue: one answer for both
    asked(kiosk, code)
    told = kiosk.post(SAFE_NOW, {"answer": "no"}, status=200)
    page = kiosk.page
    assert told.status_code == 200 and page is not None
    assert "We have sent this to the safeguarding team as urgent." in page.text
    assert "Tell any officer straight away." in page.text
    assert page.link("Continue") == STATUS  # adding information is still one tap away
    report = report_of(services, report_id)
    assert (report.priority, report.in_danger_now, report.status) == ("immediate", True, "new")
    assert DANGER_AGAIN_KIND in [event.kind for event in report.events]
    first, second, third = checkins(services, report_id)
    assert [first.outcome, second.outcome, third.outcome] == ["not_safe", "not_safe", None]
    kinds = [kind for kind, _ in outbox(services, report_id)]
    assert kinds.count("alert.new_report") == 2  # the report, and the page for this "No"
    # A double tap pages once.
    kiosk.client.post(SAFE_NOW, data={"answer": "no", "csrf_token": page.csrf})
    assert [k for k, _ in outbox(services, report_id)].count("alert.new_report") == 2


def test_a_no_after_their_yes_in_the_same_visit_replaces_it_and_pages(
    kiosk: Kiosk, services: Services, establishment_id: int, clock: FixedClock
) -> None:
    """A frightened person taps Yes with others watching, then No before the screen moves
    on (a second tab of the same screen, or the browser's Back): the No is the answer."""
    add_lead(services, establishment_id)
    report_id, code = a_named_report(services, establishment_id)
    clock.advance(timedelta(days=31))
    page = asked(kiosk, code)
    kiosk.client.post(SAFE_NOW, data={"answer": "yes", "csrf_token": page.csrf})
    assert checkins(services, report_id)[0].outcome == "safe"
    told = kiosk.client.post(SAFE_NOW, data={"answer": "no", "csrf_token": page.csrf})
    assert "Tell any officer straight away." in told.get_data(as_text=True)
    first = checkins(services, report_id)[0]
    assert (first.outcome, first.reporter_answer, first.recorded_by) == (
        "not_safe",
        "no",
        "reporter:kiosk",
    )
    report = report_of(services, report_id)
    assert (report.priority, report.in_danger_now) == ("immediate", True)
    assert [k for k, _ in outbox(services, report_id)].count("alert.new_report") == 2
    # A Yes after the No changes nothing: the No stands, nobody is told twice.
    kiosk.client.post(SAFE_NOW, data={"answer": "yes", "csrf_token": page.csrf})
    kiosk.client.post(SAFE_NOW, data={"answer": "no", "csrf_token": page.csrf})
    assert checkins(services, report_id)[0].outcome == "not_safe"
    assert [k for k, _ in outbox(services, report_id)].count("alert.new_report") == 2


def test_a_no_after_skip_or_i_do_not_want_to_say_in_the_same_visit_is_danger(
    kiosk: Kiosk, services: Services, establishment_id: int, clock: FixedClock
) -> None:
    add_lead(services, establishment_id)
    skipped_id, skipped_code = a_named_report(services, establishment_id)
    unsaid_id, unsaid_code = a_named_report(services, establishment_id)
    clock.advance(timedelta(days=31))
    for code, first_answer in (
        (skipped_code, {"skip": "1"}),
        (unsaid_code, {"answer": "not_saying"}),
    ):
        page = asked(kiosk, code)
        kiosk.client.post(SAFE_NOW, data={**first_answer, "csrf_token": page.csrf})
        kiosk.client.post(SAFE_NOW, data={"answer": "no", "csrf_token": page.csrf})
        assert kiosk.client.post("/kiosk/exit").location == "/kiosk/ready"
    for report_id in (skipped_id, unsaid_id):
        assert checkins(services, report_id)[0].outcome == "not_safe"
        assert report_of(services, report_id).priority == "immediate"
        assert [k for k, _ in outbox(services, report_id)].count("alert.new_report") == 2


def test_a_no_tapped_is_kept_when_they_leave_at_once_or_the_screen_wipes(
    kiosk: Kiosk, services: Services, establishment_id: int, clock: FixedClock
) -> None:
    """docs/kiosk.md: an answer of danger is precious. The tap saved it; Leave now and the
    idle wipe end only the draft."""
    first_id, first_code = a_named_report(services, establishment_id)
    second_id, second_code = a_named_report(services, establishment_id)
    clock.advance(timedelta(days=31))
    asked(kiosk, first_code)
    kiosk.post(SAFE_NOW, {"answer": "no"}, status=200)
    assert kiosk.client.post("/kiosk/exit").location == "/kiosk/ready"  # Leave now
    asked(kiosk, second_code)
    kiosk.post(SAFE_NOW, {"answer": "no"}, status=200)
    assert kiosk.client.get("/kiosk/ready").status_code == 200  # the idle wipe lands here
    for report_id in (first_id, second_id):
        assert checkins(services, report_id)[0].outcome == "not_safe"
        assert report_of(services, report_id).priority == "immediate"
        assert "alert.new_report" in [kind for kind, _ in outbox(services, report_id)][1:]
    screen = kiosk.client.get("/kiosk/code/safe-now", follow_redirects=True)
    assert "Are you safe now?" not in screen.get_data(as_text=True)


def test_i_do_not_want_to_say_is_kept_but_staff_still_go_to_see_them(
    kiosk: Kiosk, services: Services, establishment_id: int, clock: FixedClock
) -> None:
    report_id, code = a_named_report(services, establishment_id)
    clock.advance(timedelta(days=31))
    asked(kiosk, code)
    assert kiosk.post(SAFE_NOW, {"answer": "not_saying"}).location == STATUS
    first = checkins(services, report_id)[0]
    assert (first.reporter_answer, first.outcome) == ("not_saying", None)
    assert type_code(kiosk, code) == STATUS  # not asked that check-in again


def test_skip_records_nothing_and_adding_information_is_as_before(
    kiosk: Kiosk, services: Services, establishment_id: int, clock: FixedClock
) -> None:
    report_id, code = a_named_report(services, establishment_id)
    clock.advance(timedelta(days=31))
    asked(kiosk, code)
    assert kiosk.post(SAFE_NOW, {"skip": "1"}).location == STATUS
    status = kiosk.get(STATUS)
    assert status.link("Add more information") == "/kiosk/code/add"
    assert kiosk.submit("/kiosk/code/add", {"details": "More."}).location == "/kiosk/code/danger"
    assert [c.reporter_answer for c in checkins(services, report_id)] == [None, None, None]
    assert type_code(kiosk, code) == SAFE_NOW  # asked again at the next visit


def test_a_wrong_code_never_learns_that_a_check_in_is_due(
    kiosk: Kiosk, services: Services, establishment_id: int, clock: FixedClock
) -> None:
    _, code = a_named_report(services, establishment_id)
    clock.advance(timedelta(days=31))
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    start_report(kiosk)
    page = type_on_pad(kiosk, wrong)
    response = kiosk.client.post(
        "/kiosk/code", data={"code": page.value("code"), "key": "check", "csrf_token": page.csrf}
    )
    assert response.status_code in (400, 404)
    body = response.get_data(as_text=True)
    assert "safe now" not in body.lower() and "safe-now" not in body
    # Nor does going to the question's address without a report opened.
    assert kiosk.client.get(SAFE_NOW).location == "/kiosk/code"
    forced = kiosk.client.post(SAFE_NOW, data={"answer": "no", "csrf_token": page.csrf})
    assert forced.location == "/kiosk/code"


def test_an_answer_that_is_not_a_choice_changes_nothing(
    kiosk: Kiosk, services: Services, establishment_id: int, clock: FixedClock
) -> None:
    report_id, code = a_named_report(services, establishment_id)
    clock.advance(timedelta(days=31))
    asked(kiosk, code)
    kiosk.post(SAFE_NOW, {"answer": "maybe"}, status=400)
    assert [c.reporter_answer for c in checkins(services, report_id)] == [None, None, None]


def test_after_are_you_safe_now_did_we_does_not_ask_do_you_feel_safer_too(
    kiosk: Kiosk, services: Services, establishment_id: int, clock: FixedClock
) -> None:
    report_id, code = a_named_report(services, establishment_id)
    clock.advance(timedelta(days=31))
    asked(kiosk, code)
    kiosk.post(SAFE_NOW, {"answer": "yes"})
    status = kiosk.get(STATUS)
    assert status.link("Did we do what you wanted?") == "/kiosk/code/did-we"
    assert kiosk.submit("/kiosk/code/did-we", {"answer": "partly"}).location == "/kiosk/code/thanks"
    assert feelings_of(services, report_id) == Feelings(did_we="partly", safer=None)


def test_with_no_check_in_due_do_you_feel_safer_is_asked_as_before(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    _, code = a_named_report(services, establishment_id)
    assert type_code(kiosk, code) == STATUS
    assert kiosk.submit("/kiosk/code/did-we", {"answer": "yes"}).location == "/kiosk/code/safer"
    assert kiosk.get("/kiosk/code/safer").h1 == "Do you feel safer?"
