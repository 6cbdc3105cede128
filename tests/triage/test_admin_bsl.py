"""Administrators give their establishment's kiosk British Sign Language videos (issue 17.2):
a video per screen and per choice, checked, previewed with captions, removed; all audited,
and only ever for the establishments they administer."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from safeguarding.bsl_videos import MAX_VIDEO_BYTES, SIGNED_ANSWER
from safeguarding.clock import FixedClock
from safeguarding.services import Services
from storage.models import AuditEvent, BslVideo
from tests.factories import submit
from tests.support.bsl import give_video, sample_clip
from tests.support.pages import parse
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import csrf, page_at, signed_in_client
from triage.guard import BSL_UPLOAD_BYTES

INDEX = "/triage/admin/bsl-videos"


@pytest.fixture
def base(establishment: int) -> str:
    return f"{INDEX}/{establishment}"


def upload(client: FlaskClient, base: str, slot: str, data: bytes, name: str) -> Any:
    return client.post(
        f"{base}/{slot}",
        data={"csrf_token": csrf(client), "video": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def audit_details(services: Services, action: str) -> list[dict[str, Any]]:
    with services.db.transaction() as session:
        rows = session.scalars(select(AuditEvent.detail).where(AuditEvent.action == action))
        return [json.loads(detail) for detail in rows]


def videos_kept(services: Services) -> int:
    with services.db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(BslVideo)) or 0)


def test_the_page_lists_each_screen_and_choice_with_the_sentence_to_sign(
    admin_client: FlaskClient, base: str
) -> None:
    page = page_at(admin_client, base)
    rows = page.row_elements(page.by_id("bsl-videos"))
    slots = [row.attrs["data-slot"] for row in rows]
    assert slots[:5] == ["menu", "danger", "danger.yes", "danger.someone_else", "danger.no"]
    assert {"check", "sent", "code", "status", "add", "added", "what.sexual"} <= set(slots)
    assert {"keep_offer", "wishes_wants", "people_at_risk", "safe_now", "not_sent"} <= set(slots)
    assert all(row.attrs["data-has-video"] == "no" for row in rows)
    sentences = [page.inside(row, "span", lang="en")[0].text for row in rows]
    assert all(sentences) and len(sentences) == len(slots)
    [sentence] = page.inside(page.by_id("v-danger"), "span", lang="en")
    assert sentence.text == "Is anyone in danger right now?"
    assert admin_client.get("/triage/admin/establishments").status_code == 200
    assert page_at(admin_client, "/triage/admin/establishments").by_id("bsl-videos-link")


def test_an_upload_is_kept_previewed_with_captions_and_ranges_and_removed_all_audited(
    admin_client: FlaskClient, services: Services, base: str, establishment: int
) -> None:
    clip = sample_clip()
    sent = upload(admin_client, base, "danger", clip, "danger.mp4")
    assert sent.status_code == 302 and sent.headers["Location"].endswith("#v-danger")
    assert audit_details(services, "admin.bsl_video_uploaded") == [
        {"establishment_id": establishment, "slot": "danger", "size": len(clip)}
    ]
    page = page_at(admin_client, base)
    assert page.flashes == ["Video saved. People who choose BSL at the kiosk see it from now on."]
    row = page.by_id("v-danger")
    assert row.attrs["data-has-video"] == "yes"
    [video] = page.inside(row, "video")
    assert "autoplay" not in video.attrs and "muted" in video.attrs
    [track] = page.inside(row, "track")
    assert (track.attrs["kind"], track.attrs["srclang"]) == ("captions", "en")

    whole = admin_client.get(video.attrs["src"])
    assert whole.status_code == 200 and whole.mimetype == "video/mp4" and whole.data == clip
    assert whole.headers["Accept-Ranges"] == "bytes"
    part = admin_client.get(video.attrs["src"], headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and part.data == clip[:100]
    captions = admin_client.get(track.attrs["src"])
    assert captions.mimetype == "text/vtt"
    assert captions.get_data(as_text=True).splitlines()[0] == "WEBVTT"
    assert "Is anyone in danger right now?" in captions.get_data(as_text=True)

    removed = admin_client.post(f"{base}/danger/remove", data={"csrf_token": csrf(admin_client)})
    assert removed.status_code == 302
    assert admin_client.get(video.attrs["src"]).status_code == 404
    assert videos_kept(services) == 0
    assert audit_details(services, "admin.bsl_video_removed") == [
        {"establishment_id": establishment, "slot": "danger"}
    ]


def test_a_webm_video_is_accepted_as_webm(
    admin_client: FlaskClient, services: Services, base: str
) -> None:
    assert upload(admin_client, base, "menu", sample_clip("webm"), "menu.webm").status_code == 302
    assert admin_client.get(f"{base}/menu/video").mimetype == "video/webm"


@pytest.mark.parametrize(
    "data",
    [
        b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\0" * 200,  # a sound, named .mp4
        b"<html><script>alert(1)</script></html>",
        b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00" + b"\0" * 200,  # audio only
        b"\x89PNG\r\n\x1a\n" + b"\0" * 200,
    ],
    ids=["wav", "html", "m4a", "png"],
)
def test_a_file_that_is_not_a_video_is_refused_with_a_reason_and_nothing_kept(
    admin_client: FlaskClient, services: Services, base: str, data: bytes
) -> None:
    refused = upload(admin_client, base, "danger", data, "danger.mp4")
    assert refused.status_code == 400
    assert parse(refused).field_error("v-danger") == (
        "This file is not a video the kiosk can play. Upload an MP4 or WebM video."
    )
    assert videos_kept(services) == 0
    assert audit_details(services, "admin.bsl_video_uploaded") == []


def test_no_file_and_a_file_too_large_are_refused(
    admin_client: FlaskClient, services: Services, base: str
) -> None:
    empty = admin_client.post(
        f"{base}/menu", data={"csrf_token": csrf(admin_client)}, content_type="multipart/form-data"
    )
    assert empty.status_code == 400
    assert parse(empty).field_error("v-menu") == "Choose a video to upload."
    just_over = upload(admin_client, base, "menu", sample_clip() + b"\0" * MAX_VIDEO_BYTES, "b.mp4")
    assert just_over.status_code == 400
    limit = "A video can be at most 20 MB. Nothing was saved."
    assert parse(just_over).field_error("v-menu") == limit
    huge = upload(admin_client, base, "menu", b"\0" * BSL_UPLOAD_BYTES, "big.mp4")
    assert huge.status_code == 413
    page = parse(huge)
    assert page.h1 == "The file is too large"
    assert page.paragraphs("main-content") == [limit]
    assert videos_kept(services) == 0


def test_a_welsh_speaking_admin_is_told_in_welsh(admin_client: FlaskClient, base: str) -> None:
    chosen = admin_client.post(
        "/triage/account", data={"csrf_token": csrf(admin_client), "language": "cy"}
    )
    assert chosen.status_code == 302
    refused = upload(admin_client, base, "danger", b"not a video", "danger.mp4")
    assert refused.status_code == 400
    reason = parse(refused).field_error("v-danger")
    assert reason and not reason.startswith("This file")


def test_slots_that_take_no_video_are_not_found(admin_client: FlaskClient, base: str) -> None:
    for slot in ("start", "menu.report", "danger.maybe", "ready", "danger.yes.again"):
        assert upload(admin_client, base, slot, sample_clip(), "x.mp4").status_code == 404
        assert admin_client.get(f"{base}/{slot}/captions.vtt").status_code == 404


@pytest.mark.parametrize("role", ["lead", "deputy", "governor", "auditor", "reviewer"])
def test_a_curious_officer_who_is_not_an_administrator_is_refused(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock, role: str,
    base: str, establishment: int,
) -> None:  # fmt: skip
    give_video(services, establishment, "danger")
    client = signed_in_client(app, services, staff(role), clock)
    assert client.get(INDEX).status_code == 403
    assert client.get(base).status_code == 403
    assert client.get(f"{base}/danger/video").status_code == 403
    assert upload(client, base, "menu", sample_clip(), "m.mp4").status_code == 403
    gone = client.post(f"{base}/danger/remove", data={"csrf_token": csrf(client)})
    assert gone.status_code == 403
    assert videos_kept(services) == 1


def test_an_administrator_of_another_establishment_cannot_see_or_change_its_videos(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock, base: str,
    establishment: int, other_establishment: int,
) -> None:  # fmt: skip
    give_video(services, establishment, "danger")
    other = signed_in_client(app, services, staff("admin", [other_establishment]), clock)
    assert other.get(base).status_code == 404
    assert other.get(f"{base}/danger/video").status_code == 404
    assert other.get(f"{base}/danger/captions.vtt").status_code == 404
    assert upload(other, base, "danger", sample_clip("webm"), "d.webm").status_code == 404
    gone = other.post(f"{base}/danger/remove", data={"csrf_token": csrf(other)})
    assert gone.status_code == 404
    assert videos_kept(services) == 1
    denied = audit_details(services, "admin.bsl_video_denied")
    assert denied == [{"requested": establishment, "slot": "danger"}] * 2
    # Their own establishment's page lists none of it, and their own preview is empty.
    assert other.get(f"{INDEX}/{other_establishment}/danger/video").status_code == 404


def test_an_administrator_of_two_establishments_picks_one(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock, establishment: int,
    other_establishment: int,
) -> None:  # fmt: skip
    both = signed_in_client(
        app, services, staff("admin", [establishment, other_establishment]), clock
    )
    page = page_at(both, INDEX)
    links = page.inside(page.by_id("bsl-establishments"), "a")
    assert [link.text for link in links] == ["HMP Alpha", "HMP Beta"]
    assert [link.attrs["href"] for link in links] == [
        f"{INDEX}/{establishment}",
        f"{INDEX}/{other_establishment}",
    ]
    assert (
        page_at(both, f"{INDEX}/{other_establishment}").by_id("bsl-establishment").text
        == "HMP Beta"
    )


def test_the_lead_is_told_a_report_made_in_bsl_needs_a_bsl_interpreter(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    signed = submit(services, establishment, extra_answers=dict([SIGNED_ANSWER]))
    written = submit(services, establishment)
    page = page_at(lead_client, f"/triage/reports/{signed.report_id}")
    assert page.region("chose-bsl") == (
        "The reporter chose British Sign Language (BSL) at the kiosk. "
        "Talk with them through a BSL interpreter."
    )
    assert page.region("interpreter-needed") == "Interpreter needed"
    answers = [row["Question"] for row in page.table("answers")]
    assert "sign_language" not in answers  # a fact about the report, not a question asked
    plain = page_at(lead_client, f"/triage/reports/{written.report_id}")
    assert not plain.all("span", id="chose-bsl") and not plain.all(
        "strong", id="interpreter-needed"
    )
