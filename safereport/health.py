from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import SQLAlchemyError

health = Blueprint("health", __name__)
log = logging.getLogger("safereport.health")


@health.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Liveness with a database round trip: 503 when the database cannot be reached."""
    try:
        current_app.extensions["safereport"].db.ping()
    except SQLAlchemyError as exc:
        log.warning("health check: database unreachable (%s)", type(exc).__name__)
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
