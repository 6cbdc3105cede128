""" "Your work": the open tasks a member of staff owns and the protection plans whose reviews
are theirs, soonest first, on the cases they may still read (issue 15.4)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue

from safeguarding.access import Permission, allows
from safeguarding.case_tasks import open_tasks_owned_by
from safeguarding.protection_plans import plans_owned_by
from triage.guard import current_principal, services


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/my-work", "my_work", my_work)


def my_work() -> ResponseReturnValue:
    principal = current_principal()
    if not allows(principal.role, Permission.BE_ASSIGNED):
        abort(403)
    svc = services()
    with svc.db.transaction() as session:
        tasks = open_tasks_owned_by(session, principal)
        plans = plans_owned_by(session, principal)
    return render_template(
        "triage/my_work.html", tasks=tasks, plans=plans, today=svc.clock.now().date()
    )
