"""Everything the case page shows, gathered in one place (opening sealed text as it goes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding import timeline_facts as facts
from safeguarding.access import StaffPrincipal, may_see_report
from safeguarding.actions import may_take_work
from safeguarding.bsl_videos import chose_bsl
from safeguarding.caller_number import caller_number_of
from safeguarding.personal_outcomes import asked_at_first
from safeguarding.recordings import REFUSED
from safeguarding.wishes import latest_feelings, latest_wishes, opened_wishes
from storage.crypto import Vault
from storage.models import (
    Location,
    Report,
    ReportAssignment,
    ReportLink,
    StaffUser,
    TimelineEvent,
)
from storage.models import (
    Recording as RecordingRow,
)
from storage.repositories.staff import list_staff_in
from storage.sealed_fields import REPORT_DETAILS, REPORTER_IDENTITY, TIMELINE_BODY
from translations.i18n import _, current_language_code
from translations.languages import SOURCE_LANGUAGE, has_catalog
from triage.reporter_words import SaidRow, reporter_answers
from triage.timeline_text import event_text, event_title
from triage.wishes_text import WishesPanel, wishes_panel, wishes_sentence


@dataclass(frozen=True)
class Entry:
    title: str
    actor: str
    at: datetime
    text: str
    body: str | None


@dataclass(frozen=True)
class CaseContent:
    answers: list[SaidRow]
    details: str | None
    identity: str | None
    caller_number: str | None  # only where the establishment keeps callers' numbers
    interpreter_needed: bool
    chose_bsl: bool  # the reporter chose British Sign Language at the kiosk (issue 17.2)
    show_reporter_language: bool
    location: str | None
    sent_from: str | None  # where the kiosk that sent it stands
    recordings: list[Recording]
    timeline: list[Entry]
    linked: list[int]
    assigned_to: str | None
    assignable: list[tuple[int, str]]
    wishes: WishesPanel
    closing_asked: str  # where the closing form's "were they asked" starts


@dataclass(frozen=True)
class Recording:
    id: int
    duration_seconds: int | None
    available: bool
    refused: bool = False  # what the provider sent was not audio: it will never arrive
    kind: str = "message"  # or "name": the caller's name and cell, said after "in danger"
    at_kiosk: bool = False  # recorded at the kiosk (issue 17.1), not left on the phone line


def case_content(
    session: Session, report: Report, principal: StaffPrincipal, vault: Vault
) -> CaseContent:
    reader = str(_current_language())
    show_reporter = report.language != reader and has_catalog(report.language)
    names = _staff_names(session, report)
    assignment = session.get(ReportAssignment, report.id)
    location = session.get(Location, report.location_id) if report.location_id else None
    wishes = latest_wishes(report, vault)
    signed = chose_bsl((answer.question, answer.answer) for answer in report.answers)
    return CaseContent(
        answers=reporter_answers(report, location, reader),
        details=REPORT_DETAILS.open_text(vault, report),
        identity=REPORTER_IDENTITY.open_text(vault, report),
        caller_number=caller_number_of(report, vault),
        interpreter_needed=report.language != SOURCE_LANGUAGE or signed,
        chose_bsl=signed,
        show_reporter_language=show_reporter,
        location=location.name if location else None,
        sent_from=_place_name(session, report.sent_from_location_id),
        recordings=[
            Recording(
                r.id,
                r.duration_seconds,
                r.audio_sealed is not None,
                r.status == REFUSED,
                r.kind,
                at_kiosk=_recorded_at_kiosk(r),
            )
            for r in report.recordings
        ],
        timeline=[
            _entry(event, names, vault, session, principal) for event in reversed(report.events)
        ],
        linked=_visible_links(session, report, principal),
        assigned_to=names.get(f"staff:{assignment.staff_id}") if assignment else None,
        assignable=[
            (user.id, user.display_name)
            for user in list_staff_in(session, frozenset({report.establishment_id}))
            if may_take_work(session, report, user.id)
        ],
        wishes=wishes_panel(wishes, latest_feelings(report, vault)),
        closing_asked=asked_at_first(wishes),
    )


def _current_language() -> str:
    return current_language_code() or SOURCE_LANGUAGE


def _place_name(session: Session, location_id: int | None) -> str | None:
    place = session.get(Location, location_id) if location_id is not None else None
    return place.name if place is not None else None


def _staff_names(session: Session, report: Report) -> dict[str, str]:
    ids = {int(e.actor.split(":", 1)[1]) for e in report.events if is_staff_actor(e.actor)}
    ids |= {
        fact.number("staff_id")
        for e in report.events
        if (fact := facts.read_fact(e.summary)) is not None and fact.name in facts.NAMING_STAFF
    }
    assignment = session.get(ReportAssignment, report.id)
    if assignment is not None:
        ids.add(assignment.staff_id)
    if not ids:
        return {}
    rows = session.execute(
        select(StaffUser.id, StaffUser.display_name).where(StaffUser.id.in_(ids))
    )
    return {f"staff:{staff_id}": name for staff_id, name in rows}


def _recorded_at_kiosk(recording: RecordingRow) -> bool:
    """A kiosk voice message: kept whole at once, with no call and no provider's id. A phone
    message always has the provider's id; a refused one or a name recording is the phone's."""
    return (
        recording.call_session_id is None
        and recording.provider_sid is None
        and recording.kind == "message"
        and recording.status != REFUSED
    )


def is_staff_actor(actor: str) -> bool:
    """An actor like ``staff:12`` (a member of staff's account), not the system or a reporter."""
    prefix, _sep, rest = actor.partition(":")
    return prefix == "staff" and rest.isdigit()


def _visible_links(session: Session, report: Report, principal: StaffPrincipal) -> list[int]:
    linked = session.scalars(
        select(Report)
        .join(ReportLink, ReportLink.linked_report_id == Report.id)
        .where(ReportLink.report_id == report.id)
        .order_by(Report.id)
    )
    return [other.id for other in linked if may_see_report(principal, other)]


def _actor_name(actor: str, names: dict[str, str]) -> str:
    if actor in names:
        return names[actor]
    if actor.startswith("reporter"):
        # Translators: on the case timeline: the prisoner who made the report did this.
        return _("The reporter")
    return actor


def _entry(
    event: TimelineEvent,
    names: dict[str, str],
    vault: Vault,
    session: Session,
    principal: StaffPrincipal,
) -> Entry:
    opened = opened_wishes(event, vault)
    body = wishes_sentence(opened) if opened else TIMELINE_BODY.open_text(vault, event)
    return Entry(
        title=event_title(event.kind),
        actor=_actor_name(event.actor, names),
        at=event.at,
        text=event_text(event, names, session, principal),
        body=body,
    )
