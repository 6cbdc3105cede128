"""What the person wants to happen, at the kiosk (issue 15.1, Making Safeguarding Personal).

Given a report just sent, when the person says what they want and whether we may share it,
then one sealed event is on the report's timeline; skipping leaves nothing. Coming back
with the code, "Did we do what you wanted?" and "Do you feel safer?" are new information.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from safeguarding.wishes import FEELINGS_KIND, WISHES_KIND, latest_feelings, latest_wishes
from storage.models import AuditEvent, Report, TimelineEvent
from tests.core.test_storage import _raw_database_bytes
from tests.factories import submit
from tests.kiosk.journey import fill_report, send, start_report
from tests.kiosk.pages import Kiosk, Page
from tests.kiosk.test_followup import open_with_code

WANTS = "/kiosk/report/wishes"
SHARE = "/kiosk/report/wishes/share"
THANKS = "/kiosk/report/wishes/thanks"


def sent_report(kiosk: Kiosk) -> Page:
    fill_report(kiosk)
    return send(kiosk)


def events(services: Services, kind: str) -> list[TimelineEvent]:
    with services.db.transaction() as session:
        found = session.scalars(select(TimelineEvent).where(TimelineEvent.kind == kind))
        return list(found.all())


def the_report(services: Services) -> Report:
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
        list(report.events)  # loaded while the session is open
        return report


def tell_wishes(kiosk: Kiosk, wants: list[str], sharing: str) -> Page:
    assert kiosk.post(WANTS, {"answer": wants}).location == SHARE
    kiosk.get(SHARE)
    return kiosk.follow(kiosk.post(SHARE, {"answer": sharing}))


def test_the_sent_screen_offers_it_and_finish_still_skips_it(
    kiosk: Kiosk, services: Services
) -> None:
    sent = sent_report(kiosk)
    assert sent.link("Tell us what you want to happen") == WANTS
    token = sent.csrf
    assert kiosk.client.post("/kiosk/finish", data={"csrf_token": token}).location == "/kiosk/"
    assert events(services, WISHES_KIND) == []
    assert the_report(services) is not None


def test_wishes_chosen_are_sealed_on_the_timeline(
    kiosk: Kiosk, services: Services, database_kind: str, database_url: str
) -> None:
    sent_report(kiosk)
    page = kiosk.get(WANTS)
    assert page.h1 == "What do you want to happen?"
    assert [e.attrs["value"] for e in page.all("input", name="answer")] == [
        "stop", "move", "talk", "police", "just_know",
    ]  # fmt: skip
    asked = kiosk.follow(kiosk.post(WANTS, {"answer": ["police", "move"]}))
    assert asked.h1 == "Can we tell other people, like the police or healthcare, if we need to?"
    thanks = kiosk.follow(kiosk.post(SHARE, {"answer": "ask_me"}))
    assert thanks.h1 == "Thank you for telling us."
    report = the_report(services)
    wishes = latest_wishes(report, services.secrets.vault)
    assert wishes is not None
    assert wishes.wants == ("move", "police") and wishes.sharing == "ask_me"
    (event,) = events(services, WISHES_KIND)
    assert event.actor == "reporter:kiosk"
    with services.db.transaction() as session:
        actions = session.scalars(select(AuditEvent.action)).all()
        assert "report.wishes_recorded" in actions
    services.db.dispose()
    raw = _raw_database_bytes(database_kind, database_url)
    assert len(raw) > 10_000 and b"reporter_wishes" in raw  # we read the stored data
    for plain in (b'"wants"', b'"sharing"', b"ask_me"):
        assert plain not in raw, plain


def test_skipping_both_screens_leaves_nothing(kiosk: Kiosk, services: Services) -> None:
    sent_report(kiosk)
    kiosk.get(WANTS)
    assert kiosk.post(WANTS, {"answer": ["stop"], "skip": "1"}).location == SHARE
    kiosk.get(SHARE)
    done = kiosk.post(SHARE, {"skip": "1"})
    assert kiosk.follow(done).h1 == "Thank you for telling us."
    assert events(services, WISHES_KIND) == []


def test_skipping_one_screen_keeps_the_other(kiosk: Kiosk, services: Services) -> None:
    sent_report(kiosk)
    kiosk.get(WANTS)
    kiosk.post(WANTS, {"answer": ["talk"]})
    kiosk.get(SHARE)
    kiosk.post(SHARE, {"skip": "1"})
    wishes = latest_wishes(the_report(services), services.secrets.vault)
    assert wishes is not None and wishes.wants == ("talk",) and wishes.sharing is None


def test_just_know_with_another_choice_is_refused_and_loses_nothing(
    kiosk: Kiosk, services: Services
) -> None:
    sent_report(kiosk)
    kiosk.get(WANTS)
    kiosk.post(WANTS, {"answer": ["stop", "talk"]})  # chosen, then Back
    again = kiosk.get(WANTS)
    assert again.checked("answer") == ["stop", "talk"]
    kiosk.post(WANTS, {"answer": ["stop", "just_know"]}, status=400)
    refused = kiosk.page
    assert refused is not None
    message = "You cannot choose “Nothing yet. I just want you to know” with other things."
    assert list(refused.error_summary().values()) == [message]
    assert refused.checked("answer") == ["stop", "just_know"]  # as sent: nothing lost
    assert kiosk.get(WANTS).checked("answer") == ["stop", "talk"]  # the draft is unchanged
    assert events(services, WISHES_KIND) == []


def test_the_refusal_is_translated(kiosk: Kiosk) -> None:
    fill_report(kiosk, language="cy")
    send(kiosk)
    kiosk.get(WANTS)
    kiosk.post(WANTS, {"answer": ["move", "just_know"]}, status=400)
    assert kiosk.page is not None
    (shown,) = kiosk.page.error_summary().values()
    assert "other things" not in shown and "“" in shown


def test_a_forged_or_expired_form_changes_nothing(kiosk: Kiosk, services: Services) -> None:
    sent_report(kiosk)
    kiosk.get(WANTS)
    forged = kiosk.client.post(WANTS, data={"csrf_token": "forged", "answer": ["stop"]})
    assert forged.status_code == 400
    assert kiosk.get(WANTS).checked("answer") == []
    kiosk.post(WANTS, {"answer": ["police"]})
    kiosk.get(SHARE)
    expired = kiosk.client.post(SHARE, data={"answer": "yes"})  # no token at all
    assert expired.status_code == 400
    assert events(services, WISHES_KIND) == []


def test_a_double_tap_on_the_last_screen_saves_once(kiosk: Kiosk, services: Services) -> None:
    sent_report(kiosk)
    kiosk.get(WANTS)
    kiosk.post(WANTS, {"answer": ["stop"]})
    page = kiosk.get(SHARE)
    data = {"csrf_token": page.csrf, "answer": "no"}
    first = kiosk.client.post(SHARE, data=data)
    second = kiosk.client.post(SHARE, data=data)
    assert first.location == second.location == THANKS
    assert len(events(services, WISHES_KIND)) == 1
    wishes = latest_wishes(the_report(services), services.secrets.vault)
    assert wishes is not None and wishes.wants == ("stop",)


def test_someone_who_never_sent_a_report_cannot_reach_the_wishes(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    start_report(kiosk)
    for path in (WANTS, SHARE, THANKS):
        assert kiosk.client.get(path).location == "/kiosk/", path
    page = kiosk.get("/kiosk/menu")
    refused = kiosk.client.post(WANTS, data={"csrf_token": page.csrf, "answer": ["stop"]})
    assert refused.location == "/kiosk/"
    # Coming back with a code is not having sent a report in this turn.
    receipt = submit(services, establishment_id)
    open_with_code(kiosk, receipt.code)
    assert kiosk.client.get(WANTS).location == "/kiosk/"
    assert events(services, WISHES_KIND) == []


def test_leave_now_mid_way_keeps_the_report_and_discards_the_choices(
    kiosk: Kiosk, services: Services
) -> None:
    sent_report(kiosk)
    kiosk.get(WANTS)
    kiosk.post(WANTS, {"answer": ["move"]})
    share = kiosk.get(SHARE)
    assert kiosk.client.post("/kiosk/exit", data={"csrf_token": share.csrf}).status_code < 400
    assert kiosk.client.get(SHARE).location == "/kiosk/"
    assert events(services, WISHES_KIND) == []
    assert the_report(services).id is not None  # the report is safe


def test_the_idle_wipe_mid_way_discards_the_choices(
    kiosk: Kiosk, services: Services, clock: FixedClock
) -> None:
    sent_report(kiosk)
    kiosk.get(WANTS)
    kiosk.post(WANTS, {"answer": ["talk", "police"]})
    kiosk.get(SHARE)
    clock.advance(timedelta(minutes=10))  # nobody touches the screen
    assert kiosk.page is not None
    late = kiosk.client.post(SHARE, data={"csrf_token": kiosk.page.csrf, "answer": "yes"})
    assert late.status_code in (303, 400) and late.location in (None, "/kiosk/")
    assert events(services, WISHES_KIND) == []
    assert the_report(services).id is not None


def test_saved_wishes_stay_after_leave_now(kiosk: Kiosk, services: Services) -> None:
    sent_report(kiosk)
    kiosk.get(WANTS)
    thanks = tell_wishes(kiosk, ["just_know"], "no")
    kiosk.client.post("/kiosk/exit", data={"csrf_token": thanks.csrf})
    wishes = latest_wishes(the_report(services), services.secrets.vault)
    assert wishes is not None and wishes.wants == ("just_know",) and wishes.sharing == "no"


def test_coming_back_asks_how_it_went_once_and_it_is_new_information(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    receipt = submit(services, establishment_id)  # no wishes recorded: still asked
    status = open_with_code(kiosk, receipt.code)
    assert status.link("Did we do what you wanted?") == "/kiosk/code/did-we"
    asked = kiosk.get("/kiosk/code/did-we")
    assert asked.h1 == "Did we do what you wanted?"
    assert kiosk.post("/kiosk/code/did-we", {"answer": "partly"}).location == "/kiosk/code/safer"
    assert kiosk.get("/kiosk/code/safer").h1 == "Do you feel safer?"
    done = kiosk.post("/kiosk/code/safer", {"answer": "not_sure"})
    assert kiosk.follow(done).h1 == "Thank you for telling us."
    report = the_report(services)
    feelings = latest_feelings(report, services.secrets.vault)
    assert feelings is not None and (feelings.did_we, feelings.safer) == ("partly", "not_sure")
    assert report.new_information_at is not None
    # Once per visit: the status screen no longer offers it, the screens go back to it.
    again = kiosk.get("/kiosk/code/report")
    assert "Did we do what you wanted?" not in again.links()
    assert kiosk.client.get("/kiosk/code/did-we").location == "/kiosk/code/report"
    assert len(events(services, FEELINGS_KIND)) == 1


def test_skipping_how_it_went_leaves_nothing(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    receipt = submit(services, establishment_id)
    open_with_code(kiosk, receipt.code)
    kiosk.get("/kiosk/code/did-we")
    kiosk.post("/kiosk/code/did-we", {"skip": "1"})
    kiosk.get("/kiosk/code/safer")
    kiosk.post("/kiosk/code/safer", {"skip": "1"})
    assert events(services, FEELINGS_KIND) == []
    assert the_report(services).new_information_at is None


def test_how_it_went_needs_a_code_first(kiosk: Kiosk) -> None:
    start_report(kiosk)
    for path in ("/kiosk/code/did-we", "/kiosk/code/safer", "/kiosk/code/thanks"):
        assert kiosk.client.get(path).location == "/kiosk/code", path
