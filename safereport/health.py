"""Health endpoints for load balancers and orchestrators.

- ``/healthz/live``: the process answers (no database): restart it if this fails.
- ``/healthz/ready``: the database answers and its migrations are current: send traffic
  only while this is 200. A server started before `db upgrade` finished is not ready.
- ``/healthz``: kept for existing monitors; a database round trip, as before.
"""

from __future__ import annotations

import logging
from functools import cache

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import SQLAlchemyError

from storage.migrate import current_heads, script_heads

health = Blueprint("health", __name__)
log = logging.getLogger("safereport.health")


@cache
def _release_heads() -> frozenset[str]:
    return frozenset(script_heads())


@health.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Liveness with a database round trip: 503 when the database cannot be reached."""
    try:
        current_app.extensions["safereport"].db.ping()
    except SQLAlchemyError as exc:
        log.warning("health check: database unreachable (%s)", type(exc).__name__)
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@health.get("/healthz/live")
def live() -> ResponseReturnValue:
    return jsonify(status="ok")


@health.get("/healthz/ready")
def ready() -> ResponseReturnValue:
    try:
        applied = set(current_heads(current_app.extensions["safereport"].db.engine))
    except SQLAlchemyError as exc:
        log.warning("readiness: database unreachable (%s)", type(exc).__name__)
        return jsonify(status="unavailable", database="unreachable"), 503
    if not _release_heads() <= applied:
        return jsonify(status="unavailable", database="ok", migrations="behind"), 503
    return jsonify(status="ok", database="ok", migrations="current")
