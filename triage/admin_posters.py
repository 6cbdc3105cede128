"""An establishment's posters and leaflets, downloaded from its settings page.

Administrators of that establishment only; no report data is involved. The words and the
layout are the posters package's; this is only the door to it.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app
from flask.typing import ResponseReturnValue

from posters.facts import PHONE_MENU_EXTENSION, gather_facts
from triage.admin_common import managed_establishment
from triage.guard import services


def register(bp: Blueprint) -> None:
    bp.add_url_rule(
        "/admin/establishments/<int:establishment_id>/posters/<language>-<size>.pdf",
        "admin_poster",
        poster,
    )


def poster(establishment_id: int, language: str, size: str) -> ResponseReturnValue:
    # Imported here, not at the top: WeasyPrint costs every worker ~26 MB, and only this
    # download (rare, administrators only) renders a poster in a web process.
    from posters.render import Size, file_name, poster_pdf

    with services().db.transaction() as session:
        establishment = managed_establishment(session, establishment_id)
        facts = gather_facts(
            session,
            code=establishment.code,
            phone_menu=current_app.extensions[PHONE_MENU_EXTENSION],
        )
    if language not in facts.languages or size not in {each.value for each in Size}:
        abort(404)
    # Rendered after the transaction: on SQLite it would hold the write lock meanwhile.
    pdf = poster_pdf(facts, language, Size(size))
    disposition = f'attachment; filename="{file_name(facts, language, Size(size))}"'
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": disposition})
