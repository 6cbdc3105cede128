"""A deployment for a run: one establishment with kiosks and a phone line on a fresh
database, the environment gunicorn is started with, and the checks made afterwards:
every acknowledged report is there and says what was sent, and nothing is half-written."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from ivr.commands import phone_inventory
from ivr.settings import renderer_for
from safeguarding.catalogue import categories_for
from safeguarding.codes import code_hash, normalise
from safeguarding.enrolment import issue_kiosk_enrolment
from safeguarding.services import Services
from safereport.config import Config
from safereport.services import build_services
from speech.cache import text_key
from storage.migrate import upgrade
from storage.models import (
    AuditEvent,
    KioskDevice,
    OnCallContact,
    OutboxMessage,
    PhoneLine,
    Recording,
    Report,
    TimelineEvent,
)
from storage.repositories.audit import verify_audit_chain
from storage.repositories.reports import find_report_by_code_hash
from storage.sealed_fields import REPORT_DETAILS
from tests.conftest import START
from tests.factories import make_establishment

AUTH_TOKEN = "load-run-twilio-auth-token-0123456789"
# Rendered phone prompts are kept between runs: espeak-ng is not what a load run measures.
AUDIO_CACHE = Path(os.environ.get("SAFEREPORT_LOAD_AUDIO_CACHE", "/tmp/safereport-load-audio"))  # noqa: S108


@dataclass(frozen=True)
class Acknowledged:
    """A report a person was told was sent: the code they saw or heard, and what they gave."""

    channel: str  # kiosk | phone
    code: str
    concerns: tuple[str, ...]
    details: str | None = None  # kiosk: the typed text, sealed at rest
    when_happened: str | None = None
    recording_sid: str | None = None  # phone: the voice message Twilio reported
    answers: frozenset[tuple[str, str]] = field(default_factory=frozenset)


class Deployment:
    def __init__(self, instance: Path, database_url: str) -> None:
        self.config = Config(
            instance_path=instance, database_url=database_url, twilio_auth_token=AUTH_TOKEN
        )
        self.services: Services = build_services(self.config)
        self._lock = threading.Lock()
        self.establishment_id = 0
        self.phone_number = ""

    def prepare(self) -> Deployment:
        upgrade(self.services.db.engine)
        with self.services.db.transaction() as session:
            establishment = make_establishment(session, languages="en")
            self.establishment_id = establishment.id
            # Production refuses to serve an establishment whose urgent reports page nobody.
            session.add(
                OnCallContact(
                    establishment_id=establishment.id, chain_position=1, role="lead",
                    display_name="Load Lead", phone="+447700900001", created_at=START,
                )
            )  # fmt: skip
            self.phone_number = session.scalars(
                select(PhoneLine.number).where(PhoneLine.establishment_id == establishment.id)
            ).one()
        self._share_audio_cache()
        return self

    def _share_audio_cache(self) -> None:
        AUDIO_CACHE.mkdir(parents=True, exist_ok=True)
        os.symlink(AUDIO_CACHE, self.config.audio_cache_path)
        renderer = renderer_for(self.config, None)  # English: the computer voice
        for line in phone_inventory("en"):
            renderer.audio_for(line.text, "en", fmt="mp3")

    def server_env(self) -> dict[str, str]:
        return {
            **os.environ,
            "SAFEREPORT_INSTANCE_PATH": str(self.config.instance_path),
            "SAFEREPORT_DATABASE_URL": self.config.database_url,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
            "SAFEREPORT_TWILIO_FROM_NUMBER": "+447700900000",
            "SAFEREPORT_LOG_LEVEL": "WARNING",
        }

    def new_kiosk_enrolment(self, establishment_id: int | None = None) -> str:
        """A new kiosk device for this establishment (or the one given) and its one-time
        enrolment link token. Each kiosk may send 10 reports in 30 minutes, so busy
        simulated kiosks get more."""
        with self._lock, self.services.db.transaction() as session:
            device = KioskDevice(
                establishment_id=establishment_id or self.establishment_id,
                label="load kiosk",
                created_at=START,
            )
            session.add(device)
            session.flush()
            return issue_kiosk_enrolment(
                session,
                device=device,
                pepper=self.services.secrets.code_pepper,
                clock=self.services.clock,
                actor="load-run",
            )

    def prompt_names(self) -> dict[str, str]:
        """Audio file key -> prompt id, to hear which prompts (and digits) a call played."""
        return {text_key(line.text, "en"): line.id for line in phone_inventory("en")}

    def close(self) -> None:
        self.services.db.dispose()


def mismatches(services: Services, acknowledged: Iterable[Acknowledged]) -> list[str]:
    """What is wrong with the acknowledged reports: missing, or not what was sent."""
    problems: list[str] = []
    pepper = services.secrets.code_pepper
    with services.db.transaction() as session:
        for ack in acknowledged:
            report = find_report_by_code_hash(session, code_hash(pepper, normalise(ack.code)))
            if report is None:
                problems.append(f"{ack.channel} report acknowledged with a code is missing")
                continue
            problems += [
                f"{ack.channel} report {report.id}: {p}"
                for p in _differences(services, report, ack)
            ]
    return problems


def _differences(services: Services, report: Report, ack: Acknowledged) -> list[str]:
    found: list[str] = []
    concerns = tuple(a.answer for a in report.answers if a.question == "concern")
    if report.channel != ack.channel:
        found.append("wrong channel")
    if set(concerns) != set(ack.concerns):
        found.append("concerns differ")
    expected_categories = {c.value for c in categories_for(list(ack.concerns))}
    if {c.category for c in report.categories} != expected_categories:
        found.append("categories differ")
    if ack.channel == "kiosk":
        details = REPORT_DETAILS.open_text(services.secrets.vault, report)
        if details != ack.details:
            found.append("sealed details differ")
        if report.when_happened != ack.when_happened:
            found.append("when differs")
    else:
        answers = {(a.question, a.answer) for a in report.answers}
        if not ack.answers <= answers:
            found.append("phone answers differ")
        sids = {r.provider_sid for r in report.recordings}
        if ack.recording_sid not in sids:
            found.append("voice message missing")
    return found


def half_written(services: Services) -> list[str]:
    """Every report must come whole: answers, its 'received' timeline event, its audit
    event and its alert in the outbox; and the audit chain must verify."""
    problems: list[str] = []
    with services.db.transaction() as session:
        reports = session.scalars(select(Report.id)).all()
        with_answers = set(session.scalars(select(Report.id).where(Report.answers.any())))
        received = set(
            session.scalars(select(TimelineEvent.report_id).where(TimelineEvent.kind == "received"))
        )
        audited = set(
            session.scalars(
                select(AuditEvent.report_id).where(AuditEvent.action == "report.submitted")
            )
        )
        alerted = set(
            session.scalars(
                select(OutboxMessage.dedupe_key).where(OutboxMessage.kind == "alert.new_report")
            )
        )
        for report_id in reports:
            missing = [
                name
                for name, ok in (
                    ("answers", report_id in with_answers),
                    ("timeline", report_id in received),
                    ("audit event", report_id in audited),
                    ("outbox alert", f"alert.new_report:{report_id}" in alerted),
                )
                if not ok
            ]
            if missing:
                problems.append(f"report {report_id} lacks {', '.join(missing)}")
        orphans = session.scalar(
            select(func.count()).select_from(Recording).where(Recording.report_id.is_(None))
        )
        if orphans:
            problems.append(f"{orphans} recordings without a report")
        verdict = verify_audit_chain(session)
        if not verdict.ok:
            problems.append(f"audit chain broken at event {verdict.first_bad_event_id}")
    return problems


def report_count(services: Services) -> int:
    with services.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(Report)) or 0
