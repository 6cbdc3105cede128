"""Keeping a follow-up code safe with four pictures or a PIN (issue 17.3).

Given a report just sent at the kiosk, when the person chooses four pictures or four
numbers, then the code alone opens nothing: whoever finds the slip sees only "this code
needs its pictures" (or numbers), and wrong tries count as wrong codes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from safeguarding.services import Services
from storage.models import AuditEvent, Report
from tests.kiosk.journey import fill_report, send, start_report
from tests.kiosk.pages import Kiosk, Page, code_on

PICTURE_CODE = ["sun", "boat", "key", "sun"]
PIN_CODE = ["2", "0", "2", "6"]
# Words of the report and its status that the protected screen must never show.
REPORT_WORDS = ("Your report", "received", "safeguarding team", "messages", "add")


def touch(kiosk: Kiosk, path: str, keys: list[str], *, status: int = 200) -> Page:
    """Touch each picture or number, then Save/Check, as a person without JavaScript."""
    page = kiosk.get(path)
    for key in keys:
        kiosk.post(path, {"key": key}, status=200)
        assert kiosk.page is not None
        page = kiosk.page
    return page


def keep_safe(kiosk: Kiosk, kind: str, keys: list[str]) -> str:
    """Send a report, then keep its code safe; returns the code."""
    fill_report(kiosk)
    sent = send(kiosk)
    code = code_on(sent)
    offer = kiosk.get(sent.link("Keep your code safe"))
    assert offer.h1 == "Keep your code safe"
    path = f"/kiosk/report/keep/{kind}"
    assert offer.link({"pictures": "Choose 4 pictures", "pin": "Choose 4 numbers"}[kind]) == path
    touch(kiosk, path, keys)
    done = kiosk.follow(kiosk.post(path, {"key": "save"}))
    assert done.h1 == "Your code is safe."
    finish(kiosk, "/kiosk/report/kept")
    return code


def finish(kiosk: Kiosk, screen: str) -> Any:
    """Touch Finish on ``screen``: the turn ends and everything is wiped."""
    token = kiosk.get(screen).csrf
    return kiosk.client.post("/kiosk/finish", data={"csrf_token": token})


def type_code(kiosk: Kiosk, code: str, *, status: int = 303) -> object:
    start_report(kiosk)
    kiosk.get("/kiosk/code")
    return kiosk.post("/kiosk/code", {"code": code, "key": "check"}, status=status)


def test_a_picture_code_is_needed_with_the_code_and_opens_the_report(kiosk: Kiosk) -> None:
    code = keep_safe(kiosk, "pictures", PICTURE_CODE)
    response = type_code(kiosk, code)
    assert response.location == "/kiosk/code/secret"  # type: ignore[attr-defined]
    asked = kiosk.follow(response)  # type: ignore[arg-type]
    assert asked.h1 == "This code needs its 4 pictures."
    touch(kiosk, "/kiosk/code/secret", PICTURE_CODE)
    opened = kiosk.post("/kiosk/code/secret", {"key": "check"})
    assert opened.location == "/kiosk/code/report"
    assert kiosk.follow(opened).h1 == "Your report"


def test_a_pin_is_needed_with_the_code_and_opens_the_report(kiosk: Kiosk) -> None:
    code = keep_safe(kiosk, "pin", PIN_CODE)
    asked = kiosk.follow(type_code(kiosk, code))  # type: ignore[arg-type]
    assert asked.h1 == "This code needs its 4 numbers."
    page = touch(kiosk, "/kiosk/code/secret", PIN_CODE)
    assert "2026" not in page.text.replace(" ", "")  # numbers asked for show as dots
    opened = kiosk.post("/kiosk/code/secret", {"key": "check"})
    assert kiosk.follow(opened).h1 == "Your report"


def test_a_found_code_alone_shows_nothing_about_the_report(kiosk: Kiosk) -> None:
    code = keep_safe(kiosk, "pin", PIN_CODE)
    asked = kiosk.follow(type_code(kiosk, code))  # type: ignore[arg-type]
    for report_word in REPORT_WORDS:
        assert report_word not in asked.text, report_word
    # Nothing of the report can be reached without the numbers.
    assert kiosk.client.get("/kiosk/code/report").location == "/kiosk/code"
    assert kiosk.client.get("/kiosk/code/add").location == "/kiosk/code"


def test_wrong_secrets_count_as_wrong_codes_and_lock_out_like_them(
    kiosk: Kiosk, services: Services
) -> None:
    code = keep_safe(kiosk, "pin", PIN_CODE)
    kiosk.follow(type_code(kiosk, code))  # type: ignore[arg-type]  # one try
    for _ in range(4):  # four wrong PINs: five tries, the session's limit
        touch(kiosk, "/kiosk/code/secret", ["9", "9", "9", "9"])
        wrong = kiosk.post("/kiosk/code/secret", {"key": "check"}, status=404)
        assert wrong.status_code == 404 and kiosk.page is not None
        assert "That is not right. Try again." in kiosk.page.text
    touch(kiosk, "/kiosk/code/secret", PIN_CODE)
    refused = kiosk.post("/kiosk/code/secret", {"key": "check"}, status=429)
    assert kiosk.page is not None
    assert "Too many wrong codes. Please try again later." in kiosk.page.text
    # Locked out, the right code and an unknown code get the very same answer.
    assert refused.status_code == 429
    right = kiosk.post("/kiosk/code", {"code": code, "key": "check"}, status=429)
    right_page = kiosk.page.text
    unknown = kiosk.post("/kiosk/code", {"code": "000000000000", "key": "check"}, status=429)
    assert right.status_code == unknown.status_code and kiosk.page.text == right_page


def test_the_secret_is_kept_only_as_an_argon2_hash(kiosk: Kiosk, services: Services) -> None:
    keep_safe(kiosk, "pictures", PICTURE_CODE)
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
        assert report.code_secret_kind == "pictures"
        assert report.code_secret_hash is not None
        assert report.code_secret_hash.startswith("$argon2id$")
        assert "boat" not in report.code_secret_hash
        actions = session.scalars(select(AuditEvent.action)).all()
        assert "report.code_secret_set" in actions


def test_skipping_the_offer_is_finish_as_before(kiosk: Kiosk, services: Services) -> None:
    fill_report(kiosk)
    sent = send(kiosk)
    response = finish(kiosk, "/kiosk/report/sent")
    assert response.location == "/kiosk/"
    with services.db.transaction() as session:
        assert session.scalars(select(Report.code_secret_hash)).one() is None
    assert sent.link("Keep your code safe") == "/kiosk/report/keep"


def test_the_offer_needs_a_report_sent_in_this_turn(kiosk: Kiosk) -> None:
    start_report(kiosk)
    assert kiosk.client.get("/kiosk/report/keep").location == "/kiosk/"
    assert kiosk.client.get("/kiosk/report/keep/pin").location == "/kiosk/"
    assert kiosk.client.get("/kiosk/code/secret").location == "/kiosk/code"


def test_save_needs_four_and_delete_takes_one_back(kiosk: Kiosk) -> None:
    fill_report(kiosk)
    send(kiosk)
    page = touch(kiosk, "/kiosk/report/keep/pictures", ["sun", "moon", "delete", "tree"])
    chosen = page.by_class("kiosk-keep-chosen")[0].children
    assert [img.attrs["alt"] for img in chosen if img.tag == "img"] == ["Sun", "Tree"]
    kept = kiosk.post("/kiosk/report/keep/pictures", {"key": "save"}, status=200)
    assert kept.status_code == 200  # two are not enough: nothing is saved
