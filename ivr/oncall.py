"""The alert call to the person on call: pressing 1 acknowledges the immediate report.

The call itself is placed by the worker (safereport.notify); this is its Gather's action.
It sits under /ivr so the same Twilio signature check guards it: nobody can acknowledge
a report by forging this request.
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from flask_babel import force_locale
from twilio.twiml.voice_response import VoiceResponse

from ivr.calls import services
from ivr.twiml import twiml
from safeguarding.alerts import acknowledge_by_alert_call, escalation_of_alert_call
from safeguarding.timeline_facts import VIA_ALERT_CALL
from translations.i18n import _

STAFF_SAY_LANGUAGE = "en-GB"


def register_oncall_views(bp: Blueprint) -> None:
    bp.add_url_rule("/oncall/ack", "oncall_ack", oncall_ack, methods=["POST"])


def oncall_ack() -> Response:
    response = VoiceResponse()
    escalation_id = escalation_of_alert_call(request.args.get("escalation", ""))
    step = request.args.get("step", type=int)
    if request.form.get("Digits") != "1" or escalation_id is None or step is None:
        with force_locale("en"):
            # Translators: spoken on the alert call to staff when they did not press 1.
            response.say(_("Not acknowledged. Goodbye."), language=STAFF_SAY_LANGUAGE)
        return twiml(response)
    core = services()
    with core.db.transaction() as session:
        acknowledge_by_alert_call(
            session, escalation_id=escalation_id, step=step, via=VIA_ALERT_CALL, clock=core.clock
        )
    with force_locale("en"):
        # Translators: spoken on the alert call to staff after they pressed 1.
        thanks = _("Thank you. The report is acknowledged. Please open it in SafeReport now.")
        response.say(thanks, language=STAFF_SAY_LANGUAGE)
    response.hangup()
    return twiml(response)
