"""Retaliation check-ins on the case page: the rows shown, and the form that records what
staff found. The rules are in safeguarding.checkins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from safeguarding.actions import ActionContext, ActionRefused
from safeguarding.checkins import OUTCOME_LABELS, checkins_of, record_checkin
from storage.ids import parse_row_id
from storage.models import Report
from translations.i18n import _
from triage.labels import label

Form = MultiDict[str, str]


@dataclass(frozen=True)
class CheckInRow:
    id: int
    name: str  # "Check-in 1", in the reader's language
    due_at: datetime
    due: bool  # its time has come and nothing is recorded
    outcome: str  # in the reader's language, or "" while open
    recorded_at: datetime | None
    # "Are you safe now?" (issue 15.5): what the reporter answered at the kiosk or on the
    # phone, in the reader's language, or "" when they have not.
    reporter_said: str
    reporter_answered_at: datetime | None


def checkin_rows(session: Session, report_id: int, now: datetime) -> list[CheckInRow]:
    return [
        CheckInRow(
            id=checkin.id,
            # Translators: one of the check-ins on someone who reported (1, 2, 3).
            name=_("Check-in %(number)d", number=checkin.number),
            due_at=checkin.due_at,
            due=checkin.outcome is None and checkin.due_at <= now,
            outcome=label("checkin_outcome", checkin.outcome) if checkin.outcome else "",
            recorded_at=checkin.recorded_at,
            reporter_said=_reporter_said(checkin.reporter_answer),
            reporter_answered_at=checkin.reporter_answered_at,
        )
        for checkin in checkins_of(session, report_id)
    ]


def _reporter_said(answer: str | None) -> str:
    if answer is None:
        return ""
    # Translators: case page, a check-in: what the person who reported answered to "Are you
    # safe now?" when they came back with their code, e.g. "They answered: No".
    return _("They answered: %(answer)s", answer=label("safe_now", answer))


def checkin(ctx: ActionContext, report: Report, form: Form) -> None:
    checkin_id = parse_row_id(form.get("checkin", ""))
    if checkin_id is None:
        raise ActionRefused("checkin:unknown")
    record_checkin(
        ctx,
        report,
        checkin_id=checkin_id,
        outcome=form.get("checkin_outcome", ""),
        note=form.get("checkin_note", ""),
    )


def outcome_options() -> list[tuple[str, str]]:
    return [(key, label("checkin_outcome", key)) for key in OUTCOME_LABELS]


def refusal_messages() -> dict[str, tuple[str, str]]:
    """Where each refusal of the check-in form points, and what it says."""
    return {
        # Translators: error on the check-in form: the check-in is not on this case.
        "checkin:unknown": ("actions", _("Choose the check-in from the list.")),
        "checkin:already_recorded": (
            "checkins",
            # Translators: error on the check-in form: someone already recorded this check-in.
            _("That check-in is already recorded. The case timeline says by whom."),
        ),
        # Translators: error on the check-in form.
        "checkin_outcome:invalid": ("checkin_outcome", _("Choose what you found.")),
    }
