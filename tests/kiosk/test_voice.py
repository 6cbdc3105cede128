"""Say it instead of typing (issue 17.1): a voice message recorded at the kiosk.

Seen by a prisoner in danger (the message goes with the report, even if they have to
leave), a cellmate who walks up afterwards (nothing left behind when the person left
without danger), a curious officer (only staff who may read the report hear it) and a DBA
(it is sealed). The browser's part is in tests/kiosk/browser/test_voice.py.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select, update

from safeguarding.clock import FixedClock
from safeguarding.draft_leaving import LEFT_BEFORE_SENDING_KIND
from safeguarding.followup import ADDED_INFORMATION_KIND
from safeguarding.kiosk_voice import ADDED, KIOSK_VOICE_KIND, LEFT, MAX_VOICE_BYTES, WITH_REPORT
from safeguarding.retention import purge_expired_batch
from safeguarding.services import Services
from storage.models import AuditEvent, KioskDraft, Recording, Report, TimelineEvent
from storage.sealed_fields import KIOSK_DRAFT_VOICE, RECORDING_AUDIO
from tests.core.test_storage import _raw_database_bytes
from tests.factories import submit
from tests.kiosk.journey import ANSWERS, answer, send, start_report
from tests.kiosk.pages import Kiosk
from tests.kiosk.test_followup import open_with_code
from tests.kiosk.test_listen_names_every_control import spoken as spoken
from tests.kiosk.voice_samples import VOICE_MARKER, too_long_ogg, too_long_webm, voice_sample
from tests.triage.helpers import make_staff, signed_in_client

DANGER = {**ANSWERS, "danger": {"answer": "yes"}}


def reach_more(kiosk: Kiosk, answers: dict[str, dict[str, Any]] | None = None) -> None:
    start_report(kiosk)
    for question, data in (answers or ANSWERS).items():
        if question == "more":
            break
        answer(kiosk, question, data)
    kiosk.get("/kiosk/report/more")


def upload(kiosk: Kiosk, audio: bytes, *, token: str | None = None) -> tuple[int, str]:
    assert kiosk.page is not None
    response = kiosk.client.post(
        "/kiosk/voice",
        data=audio,
        headers={"X-CSRFToken": kiosk.page.csrf if token is None else token},
        content_type="application/octet-stream",
    )
    said = response.get_json(silent=True) or {}
    return response.status_code, str(said.get("message", ""))


def send_with_voice(kiosk: Kiosk, audio: bytes) -> None:
    """Record on "Tell us more", type nothing, send anonymously."""
    reach_more(kiosk)
    assert upload(kiosk, audio)[0] == 200
    answer(kiosk, "more", {"skip": "1"})  # nothing typed: the voice says it
    answer(kiosk, "contact", {"answer": "anonymous"})
    send(kiosk)


def recordings(services: Services) -> list[tuple[int, str, str, bytes | None]]:
    with services.db.transaction() as session:
        return [
            (r.report_id, r.kind, r.content_type, RECORDING_AUDIO.open(services.secrets.vault, r))
            for r in session.scalars(select(Recording).order_by(Recording.id))
        ]


def draft_voice(services: Services) -> list[bytes | None]:
    with services.db.transaction() as session:
        return [
            KIOSK_DRAFT_VOICE.open(services.secrets.vault, row)
            for row in session.scalars(select(KioskDraft))
        ]


def events(services: Services, report_id: int) -> list[tuple[str, str]]:
    with services.db.transaction() as session:
        query = select(TimelineEvent).where(TimelineEvent.report_id == report_id)
        return [(e.kind, e.summary) for e in session.scalars(query.order_by(TimelineEvent.id))]


def test_a_voice_message_goes_into_the_draft_sealed_and_with_the_report_on_send(
    kiosk: Kiosk, services: Services
) -> None:
    audio = voice_sample("webm")
    reach_more(kiosk)
    assert kiosk.page is not None and kiosk.page.by_id("kiosk-voice") is not None
    assert upload(kiosk, audio) == (200, "Your voice message is saved. It goes with your report.")
    assert draft_voice(services) == [audio]
    answer(kiosk, "more", {"skip": "1"})  # nothing typed: the voice says it
    answer(kiosk, "contact", {"answer": "anonymous"})
    send(kiosk)
    [(report_id, kind, mime, stored)] = recordings(services)
    assert (kind, mime, stored) == ("message", "audio/webm", audio)
    assert (KIOSK_VOICE_KIND, WITH_REPORT) in events(services, report_id)
    assert draft_voice(services) == [None]  # the draft no longer holds it
    with services.db.transaction() as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.report_id == report_id)
        )
        assert "recording.recorded_at_kiosk" in list(actions)


def test_recording_again_replaces_and_delete_removes(kiosk: Kiosk, services: Services) -> None:
    reach_more(kiosk)
    assert upload(kiosk, voice_sample("webm"))[0] == 200
    assert upload(kiosk, voice_sample("ogg"))[0] == 200
    assert draft_voice(services) == [voice_sample("ogg")]
    assert kiosk.page is not None
    response = kiosk.client.post("/kiosk/voice/delete", data={"csrf_token": kiosk.page.csrf})
    assert response.status_code == 204
    assert draft_voice(services) == [None]


def test_only_webm_or_ogg_opus_of_sane_size_and_length_is_kept(
    kiosk: Kiosk, services: Services
) -> None:
    reach_more(kiosk)
    answer(kiosk, "more", {"details": "He takes my canteen."})
    kiosk.get("/kiosk/report/more")
    wav = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(200)
    html = b"<html><script>alert(1)</script>" + bytes(200)
    empty_again = "We could not hear anything. Record again, or type instead."
    too_long = "Your message is too long. Keep it under 5 minutes."
    assert upload(kiosk, wav) == (400, empty_again)
    assert upload(kiosk, html) == (400, empty_again)
    assert upload(kiosk, b"") == (400, empty_again)
    assert upload(kiosk, too_long_ogg()) == (400, too_long)
    assert upload(kiosk, too_long_webm()) == (400, too_long)
    over = voice_sample("webm") + bytes(MAX_VOICE_BYTES)
    assert upload(kiosk, over) == (400, too_long)
    assert upload(kiosk, over + bytes(128 * 1024)) == (413, too_long)  # never even read
    assert upload(kiosk, voice_sample("webm"), token="forged")[0] == 400
    assert draft_voice(services) == [None]
    page = kiosk.get("/kiosk/report/more")  # nothing given before is lost
    assert page.value("details") == "He takes my canteen."


def test_a_message_is_refused_where_it_cannot_go(kiosk: Kiosk, services: Services) -> None:
    start_report(kiosk)
    kiosk.get("/kiosk/report/danger")
    assert upload(kiosk, voice_sample("webm"))[0] == 410  # "Tell us more" not reached yet
    kiosk.client.post("/kiosk/exit")
    assert upload(kiosk, voice_sample("webm"), token="x")[0] == 410  # no session at all
    assert draft_voice(services) == []


def test_in_danger_and_leaving_keeps_the_voice_message_with_the_report(
    kiosk: Kiosk, services: Services
) -> None:
    reach_more(kiosk, DANGER)
    assert upload(kiosk, voice_sample("webm"))[0] == 200
    kiosk.client.post("/kiosk/exit")
    [(report_id, kind, _mime, stored)] = recordings(services)
    assert (kind, stored) == ("message", voice_sample("webm"))
    kinds = events(services, report_id)
    assert (KIOSK_VOICE_KIND, LEFT) in kinds
    assert LEFT_BEFORE_SENDING_KIND in [kind for kind, _ in kinds]
    assert draft_voice(services) == []


def test_leaving_without_danger_wipes_the_voice_message(kiosk: Kiosk, services: Services) -> None:
    reach_more(kiosk)
    assert upload(kiosk, voice_sample("webm"))[0] == 200
    kiosk.client.get("/kiosk/ready")  # the idle wipe's address
    assert recordings(services) == [] and draft_voice(services) == []
    with services.db.transaction() as session:
        assert session.scalars(select(Report)).first() is None


def test_adding_a_voice_message_with_a_code(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    receipt = submit(services, establishment_id)
    open_with_code(kiosk, receipt.code)
    page = kiosk.get("/kiosk/code/add")
    assert page.by_id("kiosk-voice") is not None
    assert upload(kiosk, voice_sample("ogg"))[0] == 200
    response = kiosk.post("/kiosk/code/add", {"details": ""})  # nothing typed: the voice
    assert response.location == "/kiosk/code/danger"
    [(report_id, _kind, mime, stored)] = recordings(services)
    assert (report_id, mime, stored) == (receipt.report_id, "audio/ogg", voice_sample("ogg"))
    kinds = events(services, report_id)
    assert (KIOSK_VOICE_KIND, ADDED) in kinds
    assert ADDED_INFORMATION_KIND not in [kind for kind, _ in kinds]  # nothing typed
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None and report.new_information_at is not None


def test_adding_needs_words_or_a_voice_message(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    receipt = submit(services, establishment_id)
    open_with_code(kiosk, receipt.code)
    kiosk.submit("/kiosk/code/add", {"details": " "}, status=400)
    assert recordings(services) == []


def test_staff_who_may_read_the_report_hear_it_and_the_timeline_says_kiosk(
    app: Flask, kiosk: Kiosk, services: Services, establishment_id: int, clock: FixedClock
) -> None:
    send_with_voice(kiosk, voice_sample("webm"))
    [(report_id, *_rest)] = recordings(services)
    with services.db.transaction() as session:
        recording_id = session.scalars(select(Recording.id)).one()
    lead = signed_in_client(
        app,
        services,
        make_staff(services, role="lead", establishment_ids=[establishment_id]),
        clock,
    )
    case = lead.get(f"/triage/reports/{report_id}").get_data(as_text=True)
    assert "Recorded at the kiosk" in case and "Voice message recorded at the kiosk" in case
    path = f"/triage/reports/{report_id}/recordings/{recording_id}"
    assert path in case
    played = lead.get(path)
    assert played.status_code == 200 and played.data == voice_sample("webm")
    assert played.mimetype == "audio/webm" and played.headers["Cache-Control"] == "no-store"
    with services.db.transaction() as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.report_id == report_id)
        )
        assert "recording.played" in list(actions)


def test_the_voice_message_is_purged_with_the_report(
    kiosk: Kiosk, services: Services, establishment_id: int, clock: FixedClock
) -> None:
    send_with_voice(kiosk, voice_sample("webm"))
    [(report_id, *_rest)] = recordings(services)
    submit(services, establishment_id)  # the newest report is always kept
    with services.db.transaction() as session:
        long_ago = clock.now().replace(year=clock.now().year - 10)
        session.execute(
            update(Report).where(Report.id == report_id).values(status="closed", closed_at=long_ago)
        )
    with services.db.transaction() as session:
        batch = purge_expired_batch(session, policy=services.policy, clock=services.clock)
    assert [item.report_id for item in batch.purged] == [report_id]
    assert recordings(services) == []


def test_the_recorded_audio_never_reaches_the_database_in_clear(
    kiosk: Kiosk, services: Services, database_kind: str, database_url: str
) -> None:
    """The marker inside the audio is not in the database file, its WAL or a pg_dump: not
    while the message waits in the draft, not once it is the report's recording."""
    audio = voice_sample("webm")
    assert VOICE_MARKER.encode() in audio  # the search would find it if stored as it is
    reach_more(kiosk, DANGER)
    upload(kiosk, audio)
    answer(kiosk, "more", {"details": f"{VOICE_MARKER} typed"})
    services.db.dispose()
    in_draft = _raw_database_bytes(database_kind, database_url)
    answer(kiosk, "contact", {"answer": "anonymous"})
    send(kiosk)
    services.db.dispose()
    sent = _raw_database_bytes(database_kind, database_url)
    assert recordings(services)[0][3] == audio
    for raw in (in_draft, sent):
        assert len(raw) > 10_000 and b"A Wing" in raw  # we really read the stored data
        assert VOICE_MARKER.encode() not in raw
        assert audio[len(audio) // 2 : len(audio) // 2 + 32] not in raw


def test_listen_says_the_voice_choice_where_a_microphone_was_found(
    kiosk: Kiosk, services: Services, spoken: None
) -> None:
    reach_more(kiosk)
    plain = kiosk.client.get("/kiosk/listen/more").get_json()["sentences"]
    offered = kiosk.client.get("/kiosk/listen/more?voice=1").get_json()["sentences"]
    assert "Record my voice" not in plain  # no microphone found: not offered, not said
    assert offered[len(plain) :] == [
        "You can say it instead of typing. You can talk for up to 5 minutes.",
        "Record my voice",
    ]
    upload(kiosk, voice_sample("webm"))
    kept = kiosk.client.get("/kiosk/listen/more?voice=1").get_json()["sentences"]
    assert kept[len(plain) + 1 :] == [
        "Your voice message is saved. It goes with your report.",
        "Listen to my message",
        "Record again",
        "Delete my message",
    ]


def test_the_upload_answer_is_never_cached_and_a_form_post_is_refused(
    kiosk: Kiosk, services: Services
) -> None:
    reach_more(kiosk)
    assert kiosk.page is not None
    response = kiosk.client.post(
        "/kiosk/voice",
        data=voice_sample("webm"),
        headers={"X-CSRFToken": kiosk.page.csrf},
        content_type="application/octet-stream",
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store, max-age=0"
    # The token as a form field is not enough: only the header is read for this address.
    form = kiosk.client.post("/kiosk/voice", data={"csrf_token": kiosk.page.csrf})
    assert form.status_code == 400
    assert draft_voice(services) == [voice_sample("webm")]
