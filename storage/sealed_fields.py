"""Every sealed column, and what its values are bound to (AES-GCM associated data): the
table, the column and the row's id. A sealed value copied to another row, or to another
column, does not open there."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import object_session

from storage.crypto import Vault
from storage.models import (
    Base,
    CallSession,
    CrossSiteRequest,
    HandoverNote,
    KioskDraft,
    Recording,
    Report,
    ReportPerson,
    StaffUser,
    TimelineEvent,
)


@dataclass(frozen=True)
class SealedField:
    model: type[Base]
    attribute: str
    purpose: str  # the column-only binding used before 0008_row_bound_seals (migration only)

    def binding(self, row_id: int) -> str:
        return f"{self.model.__tablename__}.{self.attribute}#{row_id}"

    def seal(self, vault: Vault, row: Base, plaintext: bytes) -> None:
        """Seal ``plaintext`` into ``row``. A new row is flushed first: its id is bound."""
        sealed = vault.seal(plaintext, purpose=self.binding(_row_id(row)))
        setattr(row, self.attribute, sealed)

    def seal_text(self, vault: Vault, row: Base, text: str) -> None:
        self.seal(vault, row, text.encode("utf-8"))

    def sealed_text(self, vault: Vault, row_id: int, text: str) -> bytes:
        """``text`` sealed for this column of row ``row_id``, for a caller that writes it."""
        return vault.seal(text.encode("utf-8"), purpose=self.binding(row_id))

    def open(self, vault: Vault, row: Base) -> bytes | None:
        sealed: bytes | None = getattr(row, self.attribute)
        if sealed is None:
            return None
        return vault.open(sealed, purpose=self.binding(_row_id(row)))

    def open_text(self, vault: Vault, row: Base) -> str | None:
        plain = self.open(vault, row)
        return None if plain is None else plain.decode("utf-8")


def _row_id(row: Base) -> int:
    row_id = row.__mapper__.primary_key_from_instance(row)[0]
    if row_id is None:
        session = object_session(row)
        if session is None:
            raise ValueError("a row must be added to a session before a value is sealed into it")
        session.flush()  # sealing after the flush: only then is the row's id known
        row_id = row.__mapper__.primary_key_from_instance(row)[0]
    return int(row_id)


REPORT_DETAILS = SealedField(Report, "details_sealed", "report.details")
REPORTER_IDENTITY = SealedField(Report, "reporter_identity_sealed", "report.reporter_identity")
CALLER_NUMBER = SealedField(Report, "caller_number_sealed", "report.caller_number")
RECORDING_AUDIO = SealedField(Recording, "audio_sealed", "recording.audio")
RECORDING_SOURCE_URL = SealedField(Recording, "source_url_sealed", "recording.source_url")
TIMELINE_BODY = SealedField(TimelineEvent, "body_sealed", "timeline.body")
STAFF_TOTP_SECRET = SealedField(StaffUser, "totp_secret_sealed", "staff.totp_secret")
KIOSK_DRAFT_STATE = SealedField(KioskDraft, "state_sealed", "kiosk_draft.state")
KIOSK_DRAFT_VOICE = SealedField(KioskDraft, "voice_sealed", "kiosk_draft.voice")
HANDOVER_NOTE_BODY = SealedField(HandoverNote, "body_sealed", "handover_note.body")
PERSON_IDENTIFIER = SealedField(ReportPerson, "identifier_sealed", "report_person.identifier")
CROSS_SITE_REASON = SealedField(
    CrossSiteRequest, "answer_reason_sealed", "cross_site_request.answer_reason"
)
# Sealed from 0008_call_secrets on (never column-bound: the purpose is not used).
CALL_NONCE = SealedField(CallSession, "submission_nonce_sealed", "call.submission_nonce")

ALL_SEALED_FIELDS = (
    REPORT_DETAILS,
    REPORTER_IDENTITY,
    CALLER_NUMBER,
    RECORDING_AUDIO,
    RECORDING_SOURCE_URL,
    TIMELINE_BODY,
    STAFF_TOTP_SECRET,
    KIOSK_DRAFT_STATE,
    KIOSK_DRAFT_VOICE,
    HANDOVER_NOTE_BODY,
    PERSON_IDENTIFIER,
    CALL_NONCE,
    CROSS_SITE_REASON,
)
