from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class ReportPerson(Base):
    """Someone a report is about: at risk, causing the harm, or the reporter themselves.

    What identifies them is sealed; its blind index (a keyed hash of its normal form,
    storage.blind_index) lets reports that name the same person be found without opening
    it. A correction removes a row (kept for the record) and adds a new one.
    """

    __tablename__ = "report_person"
    __table_args__ = (
        # Suggestions and cumulative rules ask "which reports carry this index?".
        Index("ix_report_person_blind_index", "blind_index", "establishment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"))
    role: Mapped[str] = mapped_column(String(16))  # at_risk | causing_harm | reporter
    # self | prisoner | staff | outside | not_known | not_saying
    kind: Mapped[str] = mapped_column(String(16))
    identifier_kind: Mapped[str | None] = mapped_column(String(16))  # name | prison_number ...
    identifier_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    blind_index: Mapped[str | None] = mapped_column(String(64))
    index_key_id: Mapped[str | None] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))  # reporter | staff
    added_at: Mapped[datetime]
    added_by: Mapped[str] = mapped_column(String(80))
    removed_at: Mapped[datetime | None]
    removed_by: Mapped[str | None] = mapped_column(String(80))
