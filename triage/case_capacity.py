"""Capacity records and the closing outcomes on the case page: the form handlers, the rows
shown and the words of a capacity record as sealed on the timeline. The rules are in
safeguarding.capacity and safeguarding.personal_outcomes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from safeguarding import actions
from safeguarding.actions import ActionContext, ActionRefused
from safeguarding.capacity import (
    SUPPORT_LABELS,
    CapacityAnswers,
    record_capacity,
    records_of,
)
from safeguarding.personal_outcomes import (
    ACHIEVED_LABELS,
    ASKED_LABELS,
    RISK_LABELS,
    PersonalOutcomes,
)
from storage.models import Report
from translations.i18n import _
from triage.labels import label

Form = MultiDict[str, str]


@dataclass(frozen=True)
class CapacityRow:
    recorded_at: datetime
    finding: str  # in the reader's language
    support: str


def capacity_rows(session: Session, report_id: int) -> list[CapacityRow]:
    return [
        CapacityRow(
            record.recorded_at,
            label("capacity", record.lacks_capacity),
            label("capacity_support", record.support),
        )
        for record in records_of(session, report_id)
    ]


def capacity(ctx: ActionContext, report: Report, form: Form) -> None:
    in_doubt = form.get("capacity_in_doubt", "")
    if in_doubt not in ("yes", "no"):
        raise ActionRefused("capacity_in_doubt:required")
    answers = CapacityAnswers(
        decision=form.get("capacity_decision", "").strip(),
        in_doubt=in_doubt == "yes",
        lacks_capacity=form.get("capacity_lacks", "") if in_doubt == "yes" else "not_assessed",
        support_given=form.get("capacity_support_given", "").strip(),
        support=form.get("capacity_support", "none"),
        consulted=form.get("capacity_consulted", "").strip(),
        least_restrictive=form.get("capacity_least_restrictive", "").strip(),
    )
    record_capacity(ctx, report, answers, body=_record_words(answers))


def _record_words(answers: CapacityAnswers) -> str:
    """The record as it reads on the timeline, in the recorder's language."""
    # Translators: lines of a capacity record on the case timeline, each "Label: what was typed".
    parts = [_("Decision: %(text)s", text=answers.decision)]
    if answers.support_given:
        # Translators: a line of a capacity record: how the person was helped to decide.
        parts.append(_("Support to decide: %(text)s", text=answers.support_given))
    if answers.consulted:
        # Translators: a line of a capacity record: who was consulted on the best interests.
        parts.append(_("Best interests, consulted: %(text)s", text=answers.consulted))
    if answers.least_restrictive:
        # Translators: a line of a capacity record: the least restrictive option chosen.
        parts.append(_("Least restrictive option: %(text)s", text=answers.least_restrictive))
    return "\n".join(parts)


def close(ctx: ActionContext, report: Report, form: Form) -> None:
    actions.close(
        ctx,
        report,
        outcome=form.get("close_outcome", ""),
        note=form.get("close_note", ""),
        personal=PersonalOutcomes(
            asked=form.get("outcomes_asked", ""),
            achieved=form.get("outcomes_achieved", ""),
            risk=form.get("risk_outcome", ""),
        ),
    )


def options() -> dict[str, list[tuple[str, str]]]:
    return {
        "lacks": [(k, label("capacity", k)) for k in ("no", "yes")],
        "support": [(k, label("capacity_support", k)) for k in SUPPORT_LABELS],
        "asked": [(k, label("outcomes_asked", k)) for k in ASKED_LABELS],
        "achieved": [(k, label("outcomes_achieved", k)) for k in ACHIEVED_LABELS],
        "risk": [(k, label("risk_outcome", k)) for k in RISK_LABELS],
    }


def refusal_messages() -> dict[str, tuple[str, str]]:
    """Where each refusal of the capacity and closing forms points, and what it says."""
    return {
        # Translators: error on the capacity form.
        "capacity_decision:required": ("capacity_decision", _("Say which decision this is about.")),
        "capacity_in_doubt:required": (
            "capacity_in_doubt",
            # Translators: error on the capacity form.
            _("Say whether capacity was in doubt."),
        ),
        "capacity_lacks:required": (
            "capacity_lacks",
            # Translators: error on the capacity form: after an assessment, what was found.
            _("Say what the assessment found."),
        ),
        "capacity_lacks:presumed": (
            "capacity_lacks",
            # Translators: error on the capacity form: capacity is presumed unless in doubt.
            _("Capacity is presumed when it is not in doubt. Only an assessment finds a lack."),
        ),
        "capacity_support_given:required": (
            "capacity_support_given",
            # Translators: error on the capacity form (Mental Capacity Act, second principle).
            _("Say how the person was helped to decide. This comes before any finding."),
        ),
        "capacity_consulted:required": (
            "capacity_consulted",
            # Translators: error on the capacity form: a best-interests decision.
            _("Say who was consulted about their best interests."),
        ),
        "capacity_least_restrictive:required": (
            "capacity_least_restrictive",
            # Translators: error on the capacity form: a best-interests decision.
            _("Say what the least restrictive option is."),
        ),
        # Translators: error on the capacity form.
        "capacity_support:invalid": ("capacity_support", _("Choose who supported them.")),
        # Translators: error on the closing form.
        "outcomes_asked:invalid": ("outcomes_asked", _("Choose whether they were asked.")),
        "outcomes_achieved:required": (
            "outcomes_achieved",
            # Translators: error on the closing form: they said what they wanted, so was it done?
            _("They said what they wanted: say how far it was achieved."),
        ),
        "outcomes_achieved:not_expressed": (
            "outcomes_achieved",
            # Translators: error on the closing form.
            _("Say how far it was achieved only when they said what they wanted."),
        ),
        # Translators: error on the closing form.
        "risk_outcome:invalid": ("risk_outcome", _("Choose what became of the risk.")),
    }
