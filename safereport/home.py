"""``/``: where to go from the service's own address, and the favicon browsers ask for.

In the demo it points to the three doors (kiosk, phone simulator, triage); in production
only to the staff sign-in: an outsider learns nothing about kiosks or phone lines here.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, send_from_directory
from flask.typing import ResponseReturnValue

home = Blueprint("home", __name__, template_folder="templates")

# GOV.UK Frontend's own icon, as the staff pages already use.
_FAVICON_FOLDER = "vendor/govuk-frontend/assets/images"


@home.get("/")
def start() -> ResponseReturnValue:
    demo = bool(current_app.extensions["safereport.config"].demo)
    simulator = "ivr_simulator" in current_app.blueprints
    return render_template("home/start.html", demo=demo, simulator=simulator)


@home.get("/favicon.ico")
def favicon() -> ResponseReturnValue:
    folder = f"{current_app.static_folder}/{_FAVICON_FOLDER}"
    return send_from_directory(folder, "favicon.ico", mimetype="image/x-icon")
