"""All tables; importing this package registers every model on ``Base.metadata``."""

from storage.models.alerts import AlertEscalation, BreachWarning, MissedDeadline, OnCallContact
from storage.models.audit import AuditChainHead, AuditEvent
from storage.models.base import Base
from storage.models.bsl import BslVideo
from storage.models.call import CallSession
from storage.models.casework import (
    CapacityRecord,
    CaseTask,
    EvidenceTask,
    ProtectionPlan,
    RetaliationCheckIn,
)
from storage.models.establishment import (
    Establishment,
    KioskDevice,
    LanguageReview,
    Location,
    PhoneLine,
)
from storage.models.installation import InstallationFact
from storage.models.kiosk import KioskDraft
from storage.models.lookup import CodeLookupAttempt
from storage.models.outbox import OutboxAttempt, OutboxMessage
from storage.models.people import ReportPerson
from storage.models.prompts import PromptAudio, PromptRecording
from storage.models.quality import PracticeAuditCase, PracticeAuditSample, PurgedReport
from storage.models.report import Recording, Report, ReportAnswer, ReportCategory, TimelineEvent
from storage.models.staff import StaffAccessRequest, StaffMembership, StaffUser
from storage.models.suggestions import (
    CrossSiteRequest,
    CrossSiteShared,
    CumulativeFiring,
    PlaceDayCount,
    SuggestionDecision,
)
from storage.models.triage import (
    DutyToNotifyDecision,
    ExternalReferral,
    HandoverNote,
    ReportAssignment,
    ReportLink,
    StaffAccountState,
    StaffKnownBrowser,
    StaffRecoveryCode,
    StaffSession,
    StaffSignInAttempt,
)

__all__ = [
    "AlertEscalation",
    "AuditChainHead",
    "AuditEvent",
    "Base",
    "BreachWarning",
    "BslVideo",
    "CallSession",
    "CapacityRecord",
    "CaseTask",
    "CodeLookupAttempt",
    "CrossSiteRequest",
    "CrossSiteShared",
    "CumulativeFiring",
    "DutyToNotifyDecision",
    "Establishment",
    "EvidenceTask",
    "ExternalReferral",
    "HandoverNote",
    "InstallationFact",
    "KioskDevice",
    "KioskDraft",
    "LanguageReview",
    "Location",
    "MissedDeadline",
    "OnCallContact",
    "OutboxAttempt",
    "OutboxMessage",
    "PhoneLine",
    "PlaceDayCount",
    "PracticeAuditCase",
    "PracticeAuditSample",
    "PromptAudio",
    "PromptRecording",
    "ProtectionPlan",
    "PurgedReport",
    "Recording",
    "Report",
    "ReportAnswer",
    "ReportAssignment",
    "ReportCategory",
    "ReportLink",
    "ReportPerson",
    "RetaliationCheckIn",
    "StaffAccessRequest",
    "StaffAccountState",
    "StaffKnownBrowser",
    "StaffMembership",
    "StaffRecoveryCode",
    "StaffSession",
    "StaffSignInAttempt",
    "StaffUser",
    "SuggestionDecision",
    "TimelineEvent",
]
