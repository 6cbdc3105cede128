"""A new follow-up code for a named reporter who has lost theirs (issue 17.3).

The reporter asks a member of staff, who checks who they are (the name and prison number
on the report, seen on the case page) and gives a reason. Only the lead and deputies may
do it (Permission.REISSUE_CODE), only for a report with a named reporter (an anonymous
reporter cannot be checked), and every reissue is on the timeline (the reason sealed) and
in the audit log (no reason, no code). The old code stops working at once, and with it
any pictures or PIN it was kept safe with; the new code is returned once, for the door to
show once, and only its keyed hash is kept.
"""

from __future__ import annotations

import secrets

from safeguarding.access import Permission, require
from safeguarding.actions import ActionContext, ActionRefused, record_action, required_text
from safeguarding.codes import code_hash, derive_code
from storage.models import Report
from storage.repositories.reports import find_report_by_code_hash

EVENT_CODE_REISSUED = "code_reissued"
_MAX_TRIES = 5


def reissue_code(ctx: ActionContext, report: Report, *, reason: str, pepper: bytes) -> str:
    """Give ``report`` a new follow-up code and return it; the old one no longer opens it.

    Raises AccessDenied for a role without REISSUE_CODE, ActionRefused("anonymous") for a
    report without a named reporter and ActionRefused("text_required") without a reason."""
    require(ctx.principal, Permission.REISSUE_CODE, report)
    if report.reporter_identity_sealed is None:
        raise ActionRefused("anonymous")
    why = required_text(reason)
    code = _unused_code(ctx, pepper)
    report.code_hash = code_hash(pepper, code)
    report.code_secret_kind = None
    report.code_secret_hash = None
    record_action(ctx, report, EVENT_CODE_REISSUED, "report.code_reissued", body=why)
    return code


def _unused_code(ctx: ActionContext, pepper: bytes) -> str:
    """A fresh code from 128 random bits that no report has (a clash is one in 10^11)."""
    for _ in range(_MAX_TRIES):
        code = derive_code(pepper, secrets.token_hex(16), 0)
        if find_report_by_code_hash(ctx.session, code_hash(pepper, code)) is None:
            return code
    raise RuntimeError("could not issue a unique follow-up code")
