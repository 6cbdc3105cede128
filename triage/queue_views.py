"""The queue: the reports this person may see, most urgent first, with filters and counts."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from safeguarding.access import Permission, allows
from safeguarding.actions import DEADLINE_RULES, OPEN_STATUSES, STATUSES
from safeguarding.catalogue import Category
from safeguarding.conflicts import reading_scope
from safeguarding.handover import HANDOVER_HORIZON, handover_for
from safeguarding.handover_notes import may_write_notes, notes_for
from safeguarding.policy import PRIORITIES
from safeguarding.reads import record_read
from storage.ids import parse_row_id
from storage.models import Establishment, Location
from storage.repositories.queue import (
    PAGE_SIZE,
    QueueFilters,
    fetch_queue,
    queue_counts,
)
from translations.languages import BY_CODE
from triage.guard import current_principal, current_staff, services
from triage.labels import CHANNEL_LABELS, label, language_name

_CATEGORIES = tuple(category.value for category in Category)


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/queue", "queue", queue)


def _chosen(name: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(value for value in request.args.getlist(name) if value in allowed)


def _filters(staff_id: int) -> QueueFilters:
    chosen = (parse_row_id(value) for value in request.args.getlist("location"))
    location_ids = tuple(location_id for location_id in chosen if location_id is not None)
    return QueueFilters(
        statuses=_chosen("status", STATUSES),
        priorities=_chosen("priority", PRIORITIES),
        categories=_chosen("category", _CATEGORIES),
        channels=_chosen("channel", tuple(CHANNEL_LABELS)),
        languages=_chosen("language", tuple(BY_CODE)),
        location_ids=location_ids,
        assigned_to=staff_id if request.args.get("mine") == "1" else None,
        overdue_only=request.args.get("overdue") == "1",
    )


def _page_number() -> int:
    value = request.args.get("page", "1")
    number = parse_row_id(value)
    return min(number, 10_000) if number is not None else 1


def queue() -> ResponseReturnValue:
    principal = current_principal()
    if not allows(principal.role, Permission.VIEW_QUEUE):
        abort(403)
    scope = reading_scope(principal)
    filters = _filters(principal.staff_id)
    page_number = _page_number()
    svc = services()
    now = svc.clock.now()
    with svc.db.transaction() as session:
        counts = queue_counts(
            session, scope=scope, rules=DEADLINE_RULES, now=now, staff_id=principal.staff_id
        )
        page = fetch_queue(
            session,
            scope=scope,
            filters=filters,
            rules=DEADLINE_RULES,
            now=now,
            offset=(page_number - 1) * PAGE_SIZE,
            counts=counts,  # the total, when the counts by status already give it
        )
        options = _filter_options(session, principal.establishment_ids)
        handover = handover_for(
            session, principal, signed_in_at=current_staff().signed_in_at, now=now
        )
        notes = notes_for(session, principal=principal, vault=svc.secrets.vault, clock=svc.clock)
        record_read(
            session,
            at=now,
            actor=principal.actor,
            action="queue.viewed",
            detail={"filters": _described(filters), "page": page_number, "shown": len(page.rows)},
        )
    return render_template(
        "triage/queue.html",
        page=page,
        counts=counts,
        filters=filters,
        options=options,
        page_number=page_number,
        page_size=PAGE_SIZE,
        open_statuses=OPEN_STATUSES,
        shows_restricted="restricted" in scope.queues,
        errors={},
        page_url=_page_url,
        handover=handover,
        handover_notes=notes,
        may_write_notes=may_write_notes(principal),
        handover_hours=int(HANDOVER_HORIZON.total_seconds() // 3600),
    )


def _page_url(number: int) -> str:
    pairs = [(key, value) for key, value in request.args.items(multi=True) if key != "page"]
    return url_for("triage.queue") + "?" + urlencode([*pairs, ("page", str(number))])


def _described(filters: QueueFilters) -> dict[str, Any]:
    return {key: value for key, value in vars(filters).items() if value not in ((), None, False)}


def _filter_options(session: Any, establishment_ids: frozenset[int]) -> dict[str, Any]:
    locations = session.execute(
        select(Location.id, Location.name, Establishment.code)
        .join(Establishment, Establishment.id == Location.establishment_id)
        .where(Location.establishment_id.in_(sorted(establishment_ids)))
        .order_by(Establishment.code, Location.position)
    ).all()
    languages: list[str] = []
    for codes in session.scalars(
        select(Establishment.languages).where(Establishment.id.in_(sorted(establishment_ids)))
    ):
        languages += [code for code in codes.split(",") if code and code not in languages]
    several = len(establishment_ids) > 1
    return {
        "statuses": STATUSES,
        "priorities": PRIORITIES,
        "categories": [(value, label("category", value)) for value in _CATEGORIES],
        "channels": [(value, label("channel", value)) for value in CHANNEL_LABELS],
        "languages": [(code, language_name(code)) for code in languages],
        "locations": [
            (location_id, f"{code}: {name}" if several else name)
            for location_id, name, code in locations
        ],
    }
