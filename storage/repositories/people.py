"""Queries over the people named on reports, by blind index only (nothing is opened)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import aliased

from storage.models import Report, ReportPerson

# Made once: an alias copies every column of the table, which cost more than the query it
# served on the case page. Each use is a subquery of its own, so sharing it is safe.
_NAMING = aliased(ReportPerson, name="naming_person")


def not_naming(indexes: frozenset[str]) -> ColumnElement[bool]:
    """Reports that carry none of ``indexes``, now or ever: a list shown to someone leaves
    out those that name them or named them (safeguarding.conflicts). With no indexes, every
    report. Over its own alias of the people table, so that it also fits a query that
    already selects from that table."""
    if not indexes:
        return Report.id.is_not(None)
    person = _NAMING
    return ~exists(
        select(person.id).where(
            person.report_id == Report.id,  # removed people too: see Report.named_indexes
            person.blind_index.in_(sorted(indexes)),
        )
    )
