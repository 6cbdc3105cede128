"""Which translations a fluent person has checked, and recording a review.

``translations.languages.Language.reviewed`` says what shipped reviewed (English, the
source; the doors pass it in, as safeguarding does not import translations); every other
review is recorded here, in the database, by
``safereport languages review``. An unreviewed language can still be offered, but only
after an administrator has seen a warning and confirmed (audited): a machine or
non-fluent translation can mislead a frightened person.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.clock import Clock
from safeguarding.errors import SafeguardingError
from storage.models import LanguageReview
from storage.repositories.audit import append_audit


class UnknownLanguage(SafeguardingError):
    """The code is not a language SafeReport knows."""


def reviewed_codes(session: Session, *, shipped_reviewed: Collection[str]) -> set[str]:
    """Every language whose translation a fluent person has checked."""
    return set(shipped_reviewed) | set(session.scalars(select(LanguageReview.code)))


def unreviewed(
    session: Session, codes: list[str], *, shipped_reviewed: Collection[str]
) -> list[str]:
    reviewed = reviewed_codes(session, shipped_reviewed=shipped_reviewed)
    return [code for code in codes if code not in reviewed]


def record_review(
    session: Session,
    *,
    code: str,
    by: str,
    on: date | None,
    known: Collection[str],
    clock: Clock,
) -> LanguageReview:
    """Record (or renew) a review of one language's translation, and audit it."""
    if code not in known:
        raise UnknownLanguage(code)
    name = by.strip()
    if not name or len(name) > 120:
        raise ValueError("the reviewer's name is required (at most 120 characters)")
    now = clock.now()
    review = session.get(LanguageReview, code)
    if review is None:
        review = LanguageReview(code=code)
        session.add(review)
    review.reviewed_by = name
    review.reviewed_on = on or now.date()
    review.recorded_at = now
    append_audit(
        session, at=now, actor="command line", action="language.reviewed",
        detail={"language": code, "reviewed_on": review.reviewed_on.isoformat()},
    )  # fmt: skip
    return review


def reviews(session: Session) -> list[LanguageReview]:
    return list(session.scalars(select(LanguageReview).order_by(LanguageReview.code)))
