"""The People panel on the case page: who the report names, who added them, and the forms
that add, correct and remove a person. The rules are in safeguarding.people_actions; this
module reads the forms, shows the rows and words the refusals."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from safeguarding.access import StaffPrincipal
from safeguarding.actions import ActionContext, ActionRefused
from safeguarding.identifiers import IDENTIFIER_KINDS
from safeguarding.people import AT_RISK, FROM_STAFF, KINDS_BY_ROLE, PersonGiven, opened_people
from safeguarding.people_actions import (
    STAFF_ROLES,
    add_person_to_case,
    correct_person_on_case,
    remove_person_from_case,
    why_hidden,
)
from storage.crypto import Secrets
from storage.ids import parse_row_id
from storage.models import Report, ReportPerson, StaffUser
from translations.i18n import _
from triage.guard import services
from triage.labels import label
from triage.person_labels import person_label

Form = MultiDict[str, str]
FIX = "fix_"  # the correct-or-remove form's fields, apart from the add form's


@dataclass(frozen=True)
class PersonRow:
    id: int
    role: str  # in the reader's language, like every text below
    kind: str
    identifier_kind: str
    identifier: str
    added_by: str
    added_at: datetime

    @property
    def choice(self) -> str:
        """How the correct-or-remove form names this person in its list."""
        shown = f": {self.identifier}" if self.identifier else ""
        return f"{self.role}, {self.kind}{shown}"


@dataclass(frozen=True)
class PeoplePanel:
    rows: list[PersonRow]
    options: dict[str, list[tuple[str, str]]]


def people_panel(session: Session, report: Report, secrets: Secrets) -> PeoplePanel:
    return PeoplePanel(people_rows(session, report, secrets), options())


def people_rows(session: Session, report: Report, secrets: Secrets) -> list[PersonRow]:
    """The people the report names now, opened (the case page is itself an audited read)."""
    people = opened_people(session, secrets, report.id)
    adders = _adders(session, [p.id for p in people])
    return [
        PersonRow(
            id=person.id,
            role=person_label("role", person.role),
            kind=person_label("kind", person.kind),
            identifier_kind=person_label("identifier", person.identifier_kind or ""),
            identifier=person.identifier or "",
            added_by=adders.get(person.id, "") if person.source == FROM_STAFF
            else _by_reporter(report.channel),
            added_at=person.added_at,
        )
        for person in people
    ]  # fmt: skip


def _by_reporter(channel: str) -> str:
    # Translators: on the People panel: who added a person: the reporter, and how they
    # reported, e.g. "The reporter (Kiosk)".
    return _("The reporter (%(door)s)", door=label("channel", channel))


def _adders(session: Session, person_ids: list[int]) -> dict[int, str]:
    if not person_ids:
        return {}
    rows = session.execute(
        select(ReportPerson.id, ReportPerson.added_by).where(ReportPerson.id.in_(person_ids))
    ).all()
    staff_ids = {int(actor.split(":", 1)[1]) for _id, actor in rows if _is_staff(actor)}
    names: dict[int, str] = {
        staff_id: name
        for staff_id, name in session.execute(
            select(StaffUser.id, StaffUser.display_name).where(StaffUser.id.in_(staff_ids))
        )
    }
    return {
        person_id: names.get(int(actor.split(":", 1)[1]), actor) if _is_staff(actor) else actor
        for person_id, actor in rows
    }


def _is_staff(actor: str) -> bool:
    prefix, _sep, rest = actor.partition(":")
    return prefix == "staff" and rest.isdigit()


def options() -> dict[str, list[tuple[str, str]]]:
    return {
        "roles": [(r, person_label("role", r)) for r in STAFF_ROLES],
        "kinds": [(k, person_label("kind", k)) for k in KINDS_BY_ROLE[AT_RISK]],
        "identifier_kinds": [(k, person_label("identifier", k)) for k in IDENTIFIER_KINDS],
    }


def _given(form: Form, prefix: str = "") -> PersonGiven:
    return PersonGiven(
        role=form.get(f"{prefix}person_role", ""),
        kind=form.get(f"{prefix}person_kind", ""),
        identifier_kind=form.get(f"{prefix}person_identifier_kind", "") or None,
        identifier=form.get(f"{prefix}person_identifier", ""),
    )


def add(ctx: ActionContext, report: Report, form: Form) -> None:
    add_person_to_case(
        ctx,
        report,
        services().secrets,
        person=_given(form),
        reason=form.get("person_reason", ""),
        policy=services().policy,
    )


def correct(ctx: ActionContext, report: Report, form: Form) -> None:
    with _fix_fields():
        correct_person_on_case(
            ctx,
            report,
            services().secrets,
            person_id=parse_row_id(form.get("fix_person_id", "")),
            person=_given(form, FIX),
            reason=form.get("fix_reason", ""),
            policy=services().policy,
        )


def remove(ctx: ActionContext, report: Report, form: Form) -> None:
    with _fix_fields():
        remove_person_from_case(
            ctx,
            report,
            person_id=parse_row_id(form.get("fix_person_id", "")),
            reason=form.get("fix_reason", ""),
            policy=services().policy,
        )


@contextmanager
def _fix_fields() -> Iterator[None]:
    """Point a refusal of the correct-or-remove form at that form's own fields."""
    try:
        yield
    except ActionRefused as refused:
        if refused.code.startswith("person"):
            raise ActionRefused(FIX + refused.code) from None
        raise


def refusal_messages() -> dict[str, tuple[str, str]]:
    """Where each refusal of the People forms points, and what it says."""
    messages = {
        "person_role:invalid": (
            "person_role",
            # Translators: error on the form that names a person on a report.
            _("Choose whether they are at risk or causing the harm."),
        ),
        "person_kind:invalid": (
            "person_kind",
            # Translators: error on the form that names a person on a report.
            _("Choose who they are from the list. The person who reported cannot be causing "
              "the harm here."),
        ),
        "person_identifier_kind:invalid": (
            "person_identifier_kind",
            # Translators: error on the form that names a person on a report.
            _("Choose what you typed: a name, a prison number, a staff number or a "
              "description."),
        ),
        # Translators: error on the form that names a person on a report.
        "person_identifier:too_long": ("person_identifier", _("Use fewer than 200 characters.")),
        "person_identifier:not_a_prison_number": (
            "person_identifier",
            # Translators: error on the form that names a person on a report; A1234BC is an
            # example.
            _("Enter a prison number like A1234BC."),
        ),
        "person_identifier:not_expected": (
            "person_identifier",
            # Translators: error on the form that names a person on a report: for "not known",
            # "did not want to say" and "the person who reported" there is nothing to type.
            _("Leave the name or number empty for that choice."),
        ),
        "person:already_named": (
            "person_identifier",
            # Translators: error on the form that names a person on a report.
            _("The report already names this person in that way."),
        ),
        "person:unchanged": (
            "person_identifier",
            # Translators: error on the form that corrects a person named on a report.
            _("These are the details the report already has."),
        ),
        # Translators: error on the form that corrects or removes a person named on a report.
        "person_id:invalid": ("person_id", _("Choose someone the report names.")),
    }  # fmt: skip
    fixed = {FIX + code: (FIX + field, text) for code, (field, text) in messages.items()}
    return messages | fixed


def hidden(principal: StaffPrincipal, report: Report) -> str:
    """The banner code when a change hid the report from the person who made it."""
    return f"person_hidden_{why_hidden(principal, report)}"
