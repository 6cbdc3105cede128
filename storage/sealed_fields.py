"""Every sealed column and the purpose its values are bound to (AES-GCM associated data)."""

from __future__ import annotations

from dataclasses import dataclass

from storage.models import Base, KioskDraft, Recording, Report, StaffUser, TimelineEvent


@dataclass(frozen=True)
class SealedField:
    model: type[Base]
    attribute: str
    purpose: str


REPORT_DETAILS = SealedField(Report, "details_sealed", "report.details")
REPORTER_IDENTITY = SealedField(Report, "reporter_identity_sealed", "report.reporter_identity")
CALLER_NUMBER = SealedField(Report, "caller_number_sealed", "report.caller_number")
RECORDING_AUDIO = SealedField(Recording, "audio_sealed", "recording.audio")
RECORDING_SOURCE_URL = SealedField(Recording, "source_url_sealed", "recording.source_url")
TIMELINE_BODY = SealedField(TimelineEvent, "body_sealed", "timeline.body")
STAFF_TOTP_SECRET = SealedField(StaffUser, "totp_secret_sealed", "staff.totp_secret")
KIOSK_DRAFT_STATE = SealedField(KioskDraft, "state_sealed", "kiosk_draft.state")

ALL_SEALED_FIELDS = (
    REPORT_DETAILS,
    REPORTER_IDENTITY,
    CALLER_NUMBER,
    RECORDING_AUDIO,
    RECORDING_SOURCE_URL,
    TIMELINE_BODY,
    STAFF_TOTP_SECRET,
    KIOSK_DRAFT_STATE,
)
