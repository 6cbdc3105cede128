"""The officer tally page: how many reports name each member of staff (lead and governor
only; everyone else gets 404, as if the page did not exist). The rules are in
safeguarding.officer_tally; reading the page is on record like reading a case."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue

from safeguarding.access import Permission, allows
from safeguarding.officer_tally import Quarter, officer_tally
from safeguarding.reads import record_read
from translations.i18n import _
from triage.guard import current_principal, services
from triage.labels import label
from triage.person_labels import person_label


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/officer-tally", "officer_tally", tally_page)


def tally_page() -> ResponseReturnValue:
    principal = current_principal()
    if not allows(principal.role, Permission.VIEW_OFFICER_TALLY):
        abort(404)
    svc = services()
    with svc.db.transaction() as session:
        tally = officer_tally(session, principal, svc.secrets.vault, now=svc.clock.now())
        record_read(
            session,
            at=svc.clock.now(),
            actor=principal.actor,
            action="officer_tally.viewed",
            detail={"groups": len(tally.groups)},
        )
        return render_template(
            "triage/officer_tally.html",
            quarters=[quarter_label(q) for q in tally.quarters],
            groups=[
                {
                    "who": group.identifier or "",
                    "identified_by": person_label("identifier", group.identifier_kind or ""),
                    "total": group.total,
                    "by_quarter": group.by_quarter,
                    "categories": ", ".join(
                        f"{label('category', c)}: {n}" for c, n in group.by_category
                    ),
                }
                for group in tally.groups
            ],
            errors={},
        )


def quarter_label(quarter: Quarter) -> str:
    # Translators: a column of the officer tally: three months of a year, e.g. "Q4 2026"
    # (October to December).
    return _("Q%(number)d %(year)d", number=quarter.number, year=quarter.year)
