"""British Sign Language at the kiosk (issue 17.2): offered where the establishment has a
video, each screen then shows its own video with English captions; videos come only from
this server and only the kiosk's own establishment's."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from safeguarding.services import Services
from storage.models import Report
from tests.factories import new_establishment
from tests.kiosk.conftest import enrolment_token
from tests.kiosk.journey import fill_report, send, start_report
from tests.kiosk.pages import Kiosk, Page, code_on, digits
from tests.support.bsl import give_video, sample_clip


def bsl_tile(page: Page) -> list[str]:
    return [
        b.attrs["value"] for b in page.all("button", name="language") if b.attrs["value"] == "bsl"
    ]


def videos(page: Page) -> list[dict[str, str]]:
    return [video.attrs for video in page.all("video")]


@pytest.fixture
def signed(services: Services, establishment_id: int) -> None:
    """The establishment has signed its menu and first question (and one answer)."""
    for slot in ("menu", "danger", "danger.yes"):
        give_video(services, establishment_id, slot)


def test_without_any_video_bsl_is_not_offered_and_cannot_be_chosen(kiosk: Kiosk) -> None:
    assert bsl_tile(kiosk.get("/kiosk/")) == []
    refused = kiosk.post("/kiosk/language", {"language": "bsl"})
    assert refused.location == "/kiosk/"
    assert kiosk.client.get_cookie("kiosk_session", path="/kiosk") is None


@pytest.mark.usefixtures("signed")
def test_a_deaf_prisoner_chooses_bsl_by_its_picture_and_sees_each_screen_signed(
    kiosk: Kiosk,
) -> None:
    start = kiosk.get("/kiosk/")
    assert bsl_tile(start) == ["bsl"]
    [picture] = [
        img for img in start.all("img") if img.attrs["src"].startswith("/kiosk/static/icons/bsl")
    ]
    assert picture.attrs["alt"] == "Picture: two hands signing."

    menu = start_report(kiosk, "bsl")
    assert menu.all("html")[0].attrs["lang"] == "en"
    assert menu.h1 == "What do you want to do?"
    [video] = videos(menu)
    assert video["src"] == "/kiosk/bsl/menu"
    assert "controls" in video and "muted" in video and "playsinline" in video
    assert "autoplay" not in video
    [track] = menu.all("track")
    assert (track.attrs["kind"], track.attrs["srclang"]) == ("captions", "en")
    captions = kiosk.client.get(track.attrs["src"])
    assert captions.mimetype == "text/vtt"
    assert captions.get_data(as_text=True).split("\n")[-2] == "What do you want to do?"

    danger = kiosk.get("/kiosk/report/danger")
    assert [v["src"] for v in videos(danger)] == ["/kiosk/bsl/danger", "/kiosk/bsl/danger.yes"]
    assert "Yes. I am in danger now." in [e.text for e in danger.by_class("kiosk-bsl__caption")]

    # A screen nobody has signed yet is the English screen as usual: no empty player.
    kiosk.post("/kiosk/report/danger", {"answer": "no"})
    what = kiosk.get("/kiosk/report/what")
    assert what.h1 == "What is happening?" and videos(what) == []


@pytest.mark.usefixtures("signed")
def test_a_person_who_chose_a_written_language_sees_no_video(kiosk: Kiosk) -> None:
    assert videos(start_report(kiosk, "en")) == []
    assert videos(kiosk.get("/kiosk/report/danger")) == []


@pytest.mark.usefixtures("signed")
def test_the_video_comes_from_our_server_with_ranges_and_is_never_cached(kiosk: Kiosk) -> None:
    start_report(kiosk, "bsl")
    clip = sample_clip()
    whole = kiosk.client.get("/kiosk/bsl/menu")
    assert whole.status_code == 200 and whole.mimetype == "video/mp4" and whole.data == clip
    assert whole.headers["Accept-Ranges"] == "bytes"
    assert "no-store" in whole.headers["Cache-Control"]
    assert "media-src 'self'" in whole.headers["Content-Security-Policy"]
    part = kiosk.client.get("/kiosk/bsl/menu", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.data == clip[100:200]
    assert kiosk.client.get("/kiosk/bsl/what").status_code == 404  # not signed here
    assert kiosk.client.get("/kiosk/bsl/ready").status_code == 404  # takes no video


@pytest.mark.usefixtures("signed")
def test_a_kiosk_of_another_prison_never_gets_this_prisons_videos(
    app: Flask, services: Services, kiosk: Kiosk
) -> None:
    elsewhere = new_establishment(services, name="HMP Elsewhere", languages="en")
    other = Kiosk(app.test_client())
    enrolled = other.client.post(
        "/kiosk/enrol", data={"token": enrolment_token(services, elsewhere)}
    )
    assert enrolled.status_code == 303
    assert bsl_tile(other.get("/kiosk/")) == []
    assert other.client.get("/kiosk/bsl/menu").status_code == 404
    assert other.client.get("/kiosk/bsl/danger").status_code == 404
    # Once it has a video of its own, it gets its own, not the other prison's.
    own = sample_clip("webm")
    give_video(services, elsewhere, "menu", own)
    assert bsl_tile(other.get("/kiosk/")) == ["bsl"]
    assert other.client.get("/kiosk/bsl/menu").data == own
    assert other.client.get("/kiosk/bsl/danger").status_code == 404
    assert kiosk.client.get("/kiosk/bsl/menu").data == sample_clip()


def test_a_browser_that_is_not_a_kiosk_gets_no_video(
    app: Flask, services: Services, establishment_id: int
) -> None:
    give_video(services, establishment_id, "menu")
    stranger = app.test_client()
    assert stranger.get("/kiosk/bsl/menu").status_code == 403
    assert stranger.get("/kiosk/bsl/menu/captions.vtt").status_code == 403


def test_after_sending_the_signed_screens_go_on_and_a_report_in_bsl_is_like_any_other(
    services: Services, establishment_id: int, kiosk: Kiosk
) -> None:
    for slot in ("sent", "keep_offer", "wishes_wants"):
        give_video(services, establishment_id, slot)
    check = fill_report(kiosk, language="bsl")
    assert check.h1 == "Check your answers" and videos(check) == []
    sent = send(kiosk)
    assert [v["src"] for v in videos(sent)] == ["/kiosk/bsl/sent"]
    assert len(digits(code_on(sent))) == 12
    assert [v["src"] for v in videos(kiosk.get("/kiosk/report/keep"))] == ["/kiosk/bsl/keep_offer"]
    wishes = kiosk.get("/kiosk/report/wishes")
    assert [v["src"] for v in videos(wishes)] == ["/kiosk/bsl/wishes_wants"]
    with services.db.transaction() as session:
        [report] = session.scalars(select(Report))
        kept = {(answer.question, answer.answer) for answer in report.answers}
        assert report.language == "en"  # the words the person read
    assert ("sign_language", "bsl") in kept  # staff will need a BSL interpreter
