"""The quality dashboard and its export: the right numbers, only the reports the reader may
see, charts as SVG with tables, and a CSV no spreadsheet can run as a formula."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from safeguarding import actions
from safeguarding.access import Role, StaffPrincipal
from safeguarding.actions import ActionContext
from safeguarding.clock import FixedClock
from safeguarding.policy import load_policy
from safeguarding.quality import TRIAGE_EVENTS, shown_count, timeliness
from safeguarding.services import Services
from safereport.cli import main
from safereport.config import Config
from storage.models import AuditEvent, Establishment, Location, Report
from storage.repositories.stats import StatsScope, StepSummary, step_summaries
from tests.factories import submit
from tests.support.pages import parse
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import StaffLogin, page_at, signed_in_client
from triage.quality_data import month_window

M = timedelta(minutes=1)


def act(
    services: Services, login: StaffLogin, establishment: int, report_id: int, step: str
) -> None:
    with services.db.transaction() as session:
        principal = StaffPrincipal(login.id, Role(login.role), frozenset({establishment}))
        ctx = ActionContext(session, principal, services.clock, services.secrets.vault)
        report = session.get(Report, report_id)
        assert report is not None
        if step == "acknowledge":
            actions.acknowledge(ctx, report)
        elif step == "investigate":
            actions.change_status(ctx, report, status="investigating")
        elif step == "refer":
            actions.record_referral(ctx, report, agency="police", decision="met", reason="Assault.")
        else:
            actions.close(ctx, report, outcome="resolved_internally")


def move_to(services: Services, report_id: int, when: datetime) -> None:
    with services.db.transaction() as session:
        session.execute(update(Report).where(Report.id == report_id).values(created_at=when))


def wing(services: Services, establishment: int, name: str = "A Wing") -> int:
    with services.db.transaction() as session:
        found = session.scalars(
            select(Location.id).where(
                Location.establishment_id == establishment, Location.name == name
            )
        ).one()
        return found


def rows_of(client: FlaskClient, path: str) -> list[dict[str, str]]:
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_the_dashboard_counts_by_month_category_channel_language_and_location(
    lead_client: FlaskClient, services: Services, establishment: int, lead: StaffLogin
) -> None:
    a_wing = wing(services, establishment)
    submit(services, establishment, concerns=["bullied"], channel="kiosk", location_id=a_wing)
    submit(services, establishment, concerns=["made_to_pay"], channel="phone", language="cy")
    earlier = submit(services, establishment, concerns=["bullied"], channel="paper").report_id
    move_to(services, earlier, datetime(2026, 9, 14, 10, 0, tzinfo=UTC))
    too_old = submit(services, establishment).report_id
    move_to(services, too_old, datetime(2025, 11, 30, 23, 0, tzinfo=UTC))  # before 12 months

    response = lead_client.get("/triage/quality")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = parse(response)
    # A strict CSP: classes only, no style attribute and no script written in the page.
    assert [e.tag for e in page.elements if "style" in e.attrs] == []
    assert [e for e in page.all("script") if "src" not in e.attrs] == []
    # Every chart an image with a title and description.
    assert len([e for e in page.elements if e.attrs.get("role") == "img"]) == 9
    labelled = {"aria-labelledby": "chart-reports-title chart-reports-desc"}
    assert len(page.all("svg", **labelled)) == 1

    board = {
        (row["section"], row["item"], row["period"]): row["value"]
        for row in rows_of(lead_client, "/triage/quality/export.csv?exact=1")
    }
    assert board[("reports", "all", "2026-11")] == "2"
    assert board[("reports", "all", "2026-09")] == "1"
    assert board[("reports", "all", "2025-12")] == "0"
    assert ("reports", "all", "2025-11") not in board
    assert board[("reports_by_category", "bullying_debt", "2026-11")] == "2"
    assert board[("reports_by_category", "financial", "2026-11")] == "1"
    assert board[("reports_by_channel", "phone", "2026-11")] == "1"
    assert board[("reports_by_channel", "paper", "2026-09")] == "1"
    assert board[("reports_by_language", "cy", "2026-11")] == "1"
    assert board[("reports_by_location", "A Wing", "2026-11")] == "1"
    assert "Phone line" in [row[""] for row in page.table("table-channel")]
    with services.db.transaction() as session:
        viewed = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "quality.viewed")
        ).one()
        assert viewed.actor == f"staff:{lead.id}" and '"months":12' in viewed.detail


def test_response_times_against_the_policy(
    lead_client: FlaskClient,
    services: Services,
    establishment: int,
    lead: StaffLogin,
    clock: FixedClock,
) -> None:
    quick = submit(services, establishment, concerns=["hurting_myself"]).report_id
    slow = submit(services, establishment, concerns=["hurting_myself"]).report_id
    never = submit(services, establishment, concerns=["hurting_myself"]).report_id
    clock.advance(10 * M)
    act(services, lead, establishment, quick, "acknowledge")
    clock.advance(10 * M)
    act(services, lead, establishment, slow, "acknowledge")
    act(services, lead, establishment, quick, "investigate")
    waiting = submit(services, establishment, concerns=["sexual"]).report_id  # high, in time
    assert waiting
    clock.advance(5 * M)  # 25 minutes: "never" is now late to acknowledge

    board = {
        (row["section"], row["item"]): row["value"]
        for row in rows_of(lead_client, "/triage/quality/export.csv?exact=1")
    }
    assert board[("acknowledge_target_hours", "immediate")] == "0.25"
    assert board[("acknowledge_median_hours", "immediate")] == "0.25"  # 10 and 20 minutes
    assert board[("acknowledge_p90_hours", "immediate")] == "0.33"  # the slower: 20 minutes
    assert board[("acknowledge_in_time_percent", "immediate")] == "33.3"  # 1 of 3 judged
    assert board[("triage_median_hours", "immediate")] == "0.33"  # investigating at 20 min
    assert board[("acknowledge_in_time_percent", "high")] == ""  # only one, still waiting
    assert board[("overdue_now", "immediate")] == "1"  # "never" (the others are acknowledged)
    assert ("acknowledge_target_hours", "standard") not in board  # no such clock
    rows = page_at(lead_client, "/triage/quality").table("table-acknowledge")
    [immediate] = [row for row in rows if row["Priority"] == "Immediate"]
    assert (immediate["Policy"], immediate["In time"]) == ("15 min", "1 (33%)")
    assert never and slow


def test_referrals_made_are_counted_by_agency(
    lead_client: FlaskClient, services: Services, establishment: int, lead: StaffLogin
) -> None:
    report_id = submit(services, establishment, concerns=["hurting_me"]).report_id
    act(services, lead, establishment, report_id, "refer")
    board = {
        (row["section"], row["item"]): row["value"]
        for row in rows_of(lead_client, "/triage/quality/export.csv?exact=1")
    }
    assert board[("referrals_met", "police")] == "1"
    rows = page_at(lead_client, "/triage/quality").table("table-referrals")
    assert {row["Agency or process"]: row["Made"] for row in rows}["Police"] == "1"


def test_restricted_reports_are_counted_only_for_lead_and_governor(
    app: Flask, services: Services, staff: StaffFactory, establishment: int, clock: FixedClock
) -> None:
    submit(services, establishment, concerns=["bullied"])
    submit(services, establishment, concerns=["staff_bad"])
    seen = {}
    for role in ("lead", "governor", "deputy", "auditor"):
        client = signed_in_client(app, services, staff(role), clock)
        rows = rows_of(client, "/triage/quality/export.csv?exact=1")
        seen[role] = next(r["value"] for r in rows if (r["section"], r["period"]) == (
            "reports", "2026-11"))  # fmt: skip
    assert seen == {"lead": "2", "governor": "2", "deputy": "1", "auditor": "1"}


def test_the_board_export_hides_small_numbers_and_neutralises_formulas(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    a_wing, b_wing = wing(services, establishment), wing(services, establishment, "B Wing")
    with services.db.transaction() as session:
        session.execute(
            update(Location)
            .where(Location.id == a_wing)
            .values(name='=HYPERLINK("http://evil.example","x")')
        )
    for _ in range(6):
        submit(services, establishment, location_id=b_wing)
    submit(services, establishment, location_id=a_wing)
    rows = rows_of(lead_client, "/triage/quality/export.csv")
    by_item = {(r["section"], r["item"], r["period"]): r["value"] for r in rows}
    assert by_item[("reports", "all", "2026-11")] == "7"
    assert by_item[("reports_by_location", "B Wing", "2026-11")] == "6"
    evil = '\'=HYPERLINK("http://evil.example","x")'
    assert by_item[("reports_by_location", evil, "2026-11")] == "<5"
    assert by_item[("reports_by_location", evil, "2026-10")] == "0"
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    with services.db.transaction() as session:
        exported = session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "quality.exported")
        ).one()
        assert '"exact":false' in exported


@pytest.mark.parametrize("role", ["admin"])
def test_those_without_the_dashboard_are_refused(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock, role: str
) -> None:
    client = signed_in_client(app, services, staff(role), clock)
    for path in ("/triage/quality", "/triage/quality/export.csv", "/triage/quality/audits"):
        assert client.get(path).status_code == 403, path


def test_the_numbers_behind_the_rules() -> None:
    assert [shown_count(n, exact=False) for n in (0, 1, 4, 5)] == ["0", "<5", "<5", "5"]
    assert shown_count(3, exact=True) == "3"
    start = datetime(2026, 1, 10, tzinfo=UTC)
    names, since, until = month_window(start, 3)
    assert names == ["2025-11", "2025-12", "2026-01"]
    assert (since, until) == (datetime(2025, 11, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC))
    # Immediate: 3 with an acknowledge clock, 2 done (1 in time), 1 not done and past due.
    summaries = {
        ("acknowledge", "immediate"): StepSummary(3, 2, 1, 1, 600.0, 1200.0),
        ("triage", "standard"): StepSummary(4, 1, 1, 0, 3600.0, 3600.0),
    }
    (immediate, high) = timeliness(summaries, step="acknowledge", policy=load_policy())
    assert (immediate.in_time, immediate.late, immediate.waiting) == (1, 2, 0)
    assert immediate.in_time_percent == pytest.approx(100 / 3)
    assert (immediate.median, immediate.p90) == (timedelta(minutes=10), timedelta(minutes=20))
    assert immediate.target == timedelta(minutes=15)
    assert (high.priority, high.done, high.in_time_percent) == ("high", 0, None)
    triage = timeliness(summaries, step="triage", policy=load_policy())
    assert [(t.priority, t.in_time, t.late, t.waiting) for t in triage] == [
        ("immediate", 0, 0, 0), ("high", 0, 0, 0), ("standard", 1, 0, 3),
    ]  # fmt: skip


def test_median_and_90th_percentile_are_worked_out_in_the_database(
    services: Services, establishment: int, lead: StaffLogin, clock: FixedClock
) -> None:
    """Five immediate reports acknowledged after 1, 2, 3, 4 and 10 minutes: the median is
    the middle one (3), the nearest-rank 90th percentile the 5th of 5 (10)."""
    reports = [
        submit(services, establishment, concerns=["hurting_myself"]).report_id for _ in range(5)
    ]
    for report_id, minutes in zip(reports, (1, 1, 1, 1, 6), strict=True):
        clock.advance(minutes * M)
        act(services, lead, establishment, report_id, "acknowledge")
    names, since, until = month_window(clock.now(), 1)
    scope = StatsScope(frozenset({establishment}), ("general", "restricted"), since, until)
    with services.db.transaction() as session:
        found = step_summaries(session, scope=scope, events=TRIAGE_EVENTS, now=clock.now())
    immediate = found[("acknowledge", "immediate")]
    assert (immediate.clocks, immediate.done, immediate.done_in_time) == (5, 5, 5)
    assert immediate.median_seconds == pytest.approx(180, abs=0.01)
    assert immediate.p90_seconds == pytest.approx(600, abs=0.01)
    triage = found[("triage", "immediate")]
    assert (triage.done, triage.not_done_past_due, triage.median_seconds) == (0, 0, None)
    assert names == ["2026-11"]


def test_safereport_export_writes_the_board_csv(
    config: Config, services: Services, establishment: int
) -> None:
    with services.db.transaction() as session:
        found = session.get(Establishment, establishment)
        assert found is not None
        code = found.code
    for concerns in (["bullied"], ["staff_bad"], ["bullied"]):
        submit(services, establishment, concerns=concerns)
    real_now = datetime.now(UTC)  # the command runs on the real clock
    with services.db.transaction() as session:
        session.execute(update(Report).values(created_at=real_now))
    env = {
        "SAFEREPORT_DATABASE_URL": config.database_url,
        "SAFEREPORT_INSTANCE_PATH": str(config.instance_path),
    }
    result = CliRunner().invoke(main, ["export", "--establishment", code, "--exact"], env=env)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows[0].keys() == {"establishments", "section", "item", "period", "value"}
    month = real_now.strftime("%Y-%m")
    totals = {r["period"]: r["value"] for r in rows if r["section"] == "reports"}
    assert totals.get(month) == "3"  # restricted reports count for the board
    hidden = CliRunner().invoke(main, ["export", "--establishment", code], env=env)
    assert "reports,all," + month + ",<5" in hidden.output.replace(f"{code},", "", 1)
    unknown = CliRunner().invoke(main, ["export", "--establishment", "NOPE"], env=env)
    assert unknown.exit_code == 2
    with services.db.transaction() as session:
        audited = session.scalars(
            select(AuditEvent.actor).where(AuditEvent.action == "quality.exported")
        ).all()
        assert audited == ["system:cli", "system:cli"]
