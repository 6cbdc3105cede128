"""Queries over the people named on reports, by blind index only (nothing is opened)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, select

from storage.models import Report, ReportPerson


def not_naming(indexes: frozenset[str]) -> ColumnElement[bool]:
    """Reports that carry none of ``indexes``: a list shown to someone leaves out those that
    name them (safeguarding.conflicts). With no indexes, every report."""
    if not indexes:
        return Report.id.is_not(None)
    return ~exists(
        select(ReportPerson.id).where(
            ReportPerson.report_id == Report.id,
            ReportPerson.removed_at.is_(None),
            ReportPerson.blind_index.in_(sorted(indexes)),
        )
    )
