"""The kiosk's way into safeguarding.wishes (issue 15.1): by the report's id, as the kiosk's
sealed draft keeps it, so kiosk/ never reads a report row itself (docs/architecture.md)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from safeguarding.clock import Clock
from safeguarding.policy import Policy
from safeguarding.wishes import record_feelings, record_wishes
from storage.crypto import Vault
from storage.models import Report

KIOSK = "kiosk"


def save_kiosk_wishes(
    session: Session,
    *,
    report_id: int,
    wants: list[str],
    sharing: str | None,
    vault: Vault,
    clock: Clock,
) -> bool:
    """What the person wants, for the report sent in this turn. False when it is gone."""
    report = session.get(Report, report_id)
    if report is None:
        return False
    record_wishes(
        session,
        report=report,
        wants=wants,
        sharing=sharing,
        channel=KIOSK,
        vault=vault,
        clock=clock,
    )
    return True


def save_kiosk_feelings(
    session: Session,
    *,
    report_id: int,
    did_we: str | None,
    safer: str | None,
    vault: Vault,
    policy: Policy,
    clock: Clock,
) -> bool:
    """Whether we did what they wanted and whether they feel safer, for the report opened
    with its code. False when it is gone."""
    report = session.get(Report, report_id)
    if report is None:
        return False
    record_feelings(
        session,
        report=report,
        did_we=did_we,
        safer=safer,
        channel=KIOSK,
        vault=vault,
        policy=policy,
        clock=clock,
    )
    return True
