"""The audit log page fits a 1280 px screen: entries can wrap, and the table scrolls inside
its own box, never the page (issue 21)."""

from __future__ import annotations

from flask import Flask

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from storage.repositories.audit import append_audit
from tests.factories import submit
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import page_at, signed_in_client
from triage.audit_views import readable_detail


def test_a_long_entry_is_shown_with_spaces_inside_a_scrolling_box(
    app: Flask, services: Services, staff: StaffFactory, establishment: int, clock: FixedClock
) -> None:
    report_id = submit(services, establishment).report_id
    stored = {"categories": ["physical", "psychological", "financial"], "reason": "a, b"}
    with services.db.transaction() as session:
        append_audit(
            session, at=clock.now(), actor="test", action="test.long", report_id=report_id,
            detail=stored,
        )  # fmt: skip
    auditor = signed_in_client(app, services, staff("auditor"), clock)
    page = page_at(auditor, "/triage/audit")
    details = [row["Detail"] for row in page.table("audit-table") if row["Action"] == "test.long"]
    shown = '{"categories": ["physical", "psychological", "financial"], "reason": "a, b"}'
    assert details == [shown]  # spaces after commas: the browser may break the line there
    assert page.by_id("audit-table").within("triage-scroll")


def test_readable_detail_keeps_what_was_stored() -> None:
    assert readable_detail('{"a":1,"b":[2,3]}') == '{"a": 1, "b": [2, 3]}'
    assert readable_detail("{}") == ""
    assert readable_detail("not json") == "not json"
