"""The audit log page fits a 1280 px screen: entries can wrap, and the table scrolls inside
its own box, never the page (issue 21)."""

from __future__ import annotations

import re

from flask import Flask

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from storage.repositories.audit import append_audit
from tests.factories import submit
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import signed_in_client
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
    html = auditor.get("/triage/audit").get_data(as_text=True)
    shown = "{&#34;categories&#34;: [&#34;physical&#34;, &#34;psychological&#34;, "
    assert shown in html, re.findall(r'triage-audit-detail">([^<]*)<', html)[:3]
    wrapper = html.index('<div class="triage-scroll"')
    assert wrapper < html.index('<table class="govuk-table" id="audit-table">')
    assert html.index("</table>") < html.index("</div>", html.index("</table>"))


def test_readable_detail_keeps_what_was_stored() -> None:
    assert readable_detail('{"a":1,"b":[2,3]}') == '{"a": 1, "b": [2, 3]}'
    assert readable_detail("{}") == ""
    assert readable_detail("not json") == "not json"
