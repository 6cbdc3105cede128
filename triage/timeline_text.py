"""The words the case timeline shows for each event, in the reader's language.

The core stores ids and facts (safeguarding/timeline_facts.py), never sentences, so that a
lead reading in Welsh sees Welsh.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from safeguarding import timeline_facts as facts
from safeguarding.access import StaffPrincipal, may_see_report
from safeguarding.capacity import EVENT_CAPACITY
from safeguarding.case_tasks import EVENT_TASK_ADDED, EVENT_TASK_FINISHED
from safeguarding.checkins import EVENT_CHECKIN
from safeguarding.draft_leaving import EXPIRED, LEFT_BEFORE_SENDING_KIND
from safeguarding.evidence import EVENT_EVIDENCE
from safeguarding.followup import ADDED_INFORMATION_KIND, MESSAGE_EVENT_KIND
from safeguarding.kiosk_voice import ADDED as VOICE_ADDED
from safeguarding.kiosk_voice import KIOSK_VOICE_KIND
from safeguarding.kiosk_voice import LEFT as VOICE_LEFT
from safeguarding.new_information import DANGER_AGAIN_KIND, REOPENED_KIND
from safeguarding.protection_plans import EVENT_PLAN_REVIEWED, EVENT_PLAN_SET
from safeguarding.recategorise import EVENT_RECATEGORISED
from safeguarding.referrals import EVENT_REFERRAL_ANSWERED, EVENT_REFERRAL_SENT
from safeguarding.staff_reports import ENTERED_EVENT_KIND
from safeguarding.statutory import EVENT_DUTY_TO_NOTIFY
from safeguarding.wishes import FEELINGS_KIND, WISHES_KIND
from storage.models import Report, TimelineEvent
from translations.i18n import _
from triage.cumulative_text import cumulative_concern_text
from triage.labels import label, message_text
from triage.person_labels import person_fact_text


def event_title(kind: str) -> str:
    titles = {
        # Translators: case timeline entry title.
        "received": _("Report received"),
        # Translators: case timeline entry title.
        "acknowledged": _("Acknowledged"),
        # Translators: case timeline entry title.
        "assigned": _("Assigned"),
        # Translators: case timeline entry title.
        "note": _("Note"),
        # Translators: case timeline entry title.
        "status_changed": _("Status changed"),
        # Translators: case timeline entry title.
        "escalated": _("Escalated to the governor"),
        # Translators: case timeline entry title.
        "external_referral": _("Referral decision"),
        # Translators: case timeline entry title: a referral to another agency was sent.
        EVENT_REFERRAL_SENT: _("Referral sent"),
        # Translators: case timeline entry title: what another agency answered to a referral,
        # or that they have not answered yet and will be chased again.
        EVENT_REFERRAL_ANSWERED: _("Referral followed up"),
        # Translators: case timeline entry title: evidence (CCTV, photographs of injuries, a
        # forensic examination) was recorded as secured or not possible.
        EVENT_EVIDENCE: _("Evidence"),
        # Translators: case timeline entry title: the modern slavery duty to notify decision.
        EVENT_DUTY_TO_NOTIFY: _("Duty to notify decision recorded"),
        # Translators: case timeline entry title: staff checked on the person who reported,
        # weeks later, for retaliation.
        EVENT_CHECKIN: _("Check-in after the report"),
        # Translators: case timeline entry title.
        EVENT_TASK_ADDED: _("Task added"),
        # Translators: case timeline entry title.
        EVENT_TASK_FINISHED: _("Task finished"),
        # Translators: case timeline entry title: the protection plan was written or rewritten.
        EVENT_PLAN_SET: _("Protection plan written"),
        # Translators: case timeline entry title.
        EVENT_PLAN_REVIEWED: _("Protection plan reviewed"),
        # Translators: case timeline entry title: a Mental Capacity Act record for one decision.
        EVENT_CAPACITY: _("Capacity decision recorded"),
        # Translators: case timeline entry title.
        MESSAGE_EVENT_KIND: _("Message sent to the reporter"),
        # Translators: case timeline entry title.
        "linked": _("Linked to another report"),
        # Translators: case timeline entry title: the reporter lost their follow-up code and
        # was given a new one by staff; the old code no longer works.
        "code_reissued": _("New follow-up code given"),
        # Translators: case timeline entry title.
        "closed": _("Closed"),
        # Translators: case timeline entry title: the reporter came back and added more.
        ADDED_INFORMATION_KIND: _("The reporter added information"),
        # Translators: case timeline entry title: the prisoner said what they want to happen.
        WISHES_KIND: _("The reporter said what they want to happen"),
        # Translators: case timeline entry title: the prisoner came back and said whether we
        # did what they wanted and whether they feel safer.
        FEELINGS_KIND: _("The reporter said how things are now"),
        # Translators: case timeline entry title: a prisoner told staff, who entered the report.
        ENTERED_EVENT_KIND: _("Entered by staff for the reporter"),
        # Translators: case timeline entry title: someone on call was alerted to the report.
        "alert_sent": _("On-call alert sent"),
        # Translators: case timeline entry title: nobody could be alerted to the report.
        "alert_failed": _("On-call alert not sent"),
        # Translators: case timeline entry title: the caller's answers made the report urgent.
        "priority_raised": _("Priority raised"),
        # Translators: case timeline entry title: several reports together met a policy rule
        # (for example, the same person named as causing harm three times in 30 days).
        "cumulative_concern": _("Concerns are adding up"),
        # Translators: case timeline entry title: the caller left a recorded message.
        "voice_message": _("Voice message left on the phone line"),
        # Translators: case timeline entry title: after saying someone is in danger, the
        # caller recorded their name and cell.
        "name_recording": _("Name and cell recorded on the phone line"),
        # Translators: case timeline entry title: the person at the kiosk recorded a voice
        # message with the kiosk's headset instead of typing.
        KIOSK_VOICE_KIND: _("Voice message recorded at the kiosk"),
        # Translators: case timeline entry title: the caller chose the wing to send help to.
        "wing_chosen": _("The caller chose the wing"),
        # Translators: case timeline entry title: staff changed the safeguarding categories.
        EVENT_RECATEGORISED: _("Categories changed"),
        # Translators: case timeline entry title: the caller hung up before the end.
        "call_ended_early": _("The call ended early"),
        # Translators: case timeline entry title: the person at the kiosk said someone is in
        # danger, then left the kiosk before pressing Send; the report was filed for them.
        LEFT_BEFORE_SENDING_KIND: _("Left the kiosk before sending"),
        # Translators: case timeline entry title: a closed case reopened by new information.
        REOPENED_KIND: _("Reopened: the reporter added information"),
        # Translators: case timeline entry title: the reporter said they are in danger now.
        DANGER_AGAIN_KIND: _("The reporter is in danger now"),
        # Translators: case timeline entry title: a due time passed with the work undone.
        "deadline_missed": _("Deadline missed"),
        # Translators: case timeline entry title: a person was named on the report (by staff,
        # or by the reporter after sending it).
        facts.PERSON_ADDED: _("Person added"),
        # Translators: case timeline entry title: staff took a person off the report.
        facts.PERSON_REMOVED: _("Person removed"),
        # Translators: case timeline entry title: the report moved to another queue.
        "queue_changed": _("Queue changed"),
    }
    return titles.get(kind, kind)


def event_text(
    event: TimelineEvent, names: dict[str, str], session: Session, principal: StaffPrincipal
) -> str:
    fact = facts.read_fact(event.summary)
    if fact is not None and fact.name in _STAFF_ACTIONS:
        return _staff_action_text(fact, names, session, principal)
    if fact is not None:
        return fact_text(fact)
    if event.kind == "call_ended_early":
        # Translators: case timeline: explains a report made on a call the caller left early.
        return _("The report holds what the caller gave before the call ended.")
    if event.kind == LEFT_BEFORE_SENDING_KIND:
        return _left_before_sending_text(event.summary)
    if event.kind == KIOSK_VOICE_KIND:
        return _kiosk_voice_text(event.summary)
    return _id_text(event)


def _kiosk_voice_text(origin: str) -> str:
    if origin == VOICE_ADDED:
        # Translators: case timeline: a voice message added at the kiosk with the follow-up code.
        return _("The reporter came back with their code and recorded it. Play it above.")
    if origin == VOICE_LEFT:
        # Translators: case timeline: a kiosk voice message kept when the person left the kiosk.
        return _("They recorded it before they left the kiosk. Play it above.")
    # Translators: case timeline: a voice message recorded at the kiosk and sent with the report.
    return _("They recorded it at the kiosk and sent it with the report. Play it above.")


def _left_before_sending_text(reason: str) -> str:
    if reason == EXPIRED:
        # Translators: case timeline: a kiosk report filed when the screen was left alone.
        return _(
            "The person said someone is in danger, then the kiosk was left without sending. "
            "The report holds the answers they gave. They have no follow-up code."
        )
    # Translators: case timeline: a kiosk report filed when the person pressed "Leave now"
    # or the screen cleared itself after a quiet spell.
    return _(
        "The person said someone is in danger, then left the kiosk (quick exit or the screen "
        "cleared itself) before sending. The report holds the answers they gave. They have no "
        "follow-up code."
    )


def fact_text(fact: facts.Fact) -> str:
    if fact.name == facts.PAGED:
        return _paged_text(fact)
    if fact.name == facts.CUMULATIVE_CONCERN:
        return cumulative_concern_text(fact)
    if fact.name == facts.NOBODY_ON_CALL:
        # Translators: case timeline: an urgent report could not be sent to anyone.
        return _(
            "Step %(step)d: nobody is on call, so nobody was alerted. "
            "An administrator must add someone to the on-call chain.",
            step=fact.number("step"),
        )
    if fact.name == facts.NO_DUTY_GOVERNOR:
        # Translators: case timeline: an escalation to the governor could not be sent.
        return _("No duty governor is on the on-call chain, so no governor was told.")
    if fact.name == facts.ALERT_ACKNOWLEDGED and fact.text("via") == facts.VIA_ALERT_CALL:
        # Translators: case timeline: how the person on call acknowledged the report.
        return _("Acknowledged by pressing 1 on the alert call.")
    if fact.name in (facts.NOTIFIED, facts.NOBODY_TO_NOTIFY, facts.DEADLINE_MISSED):
        return _notice_text(fact)
    if fact.name in (facts.REFERRAL_SENT, facts.REFERRAL_CHASED, facts.REFERRAL_ANSWERED):
        return _referral_text(fact)
    if fact.name == facts.EVIDENCE_RECORDED:
        # Translators: case timeline: what became of an item of evidence, e.g.
        # "CCTV and body-worn video: Secured".
        return _(
            "%(evidence)s: %(outcome)s",
            evidence=label("evidence", fact.text("kind")),
            outcome=label("evidence_outcome", fact.text("outcome")),
        )
    if fact.name == facts.DUTY_TO_NOTIFY:
        # Translators: case timeline: the modern slavery duty to notify decision, e.g.
        # "NRM referral made. Consent given."
        return _(
            "%(route)s. %(consent)s.",
            route=label("dtn_route", fact.text("route")),
            consent=label("consent", fact.text("consent")),
        )
    if fact.name == facts.CHECKIN_RECORDED:
        # Translators: case timeline: what staff found at a check-in weeks after the report,
        # e.g. "Check-in 2: Safe".
        return _(
            "Check-in %(number)d: %(outcome)s",
            number=fact.number("number"),
            outcome=label("checkin_outcome", fact.text("outcome")),
        )
    if fact.name == facts.TASK_FINISHED:
        # Translators: case timeline: how a task ended, e.g. "Cell or wing move: Done".
        return _(
            "%(task)s: %(outcome)s",
            task=label("task", fact.text("kind")),
            outcome=label("task_outcome", fact.text("outcome")),
        )
    if fact.name == facts.PLAN_REVIEWED:
        # Translators: case timeline: the protection plan was reviewed; what was found follows.
        return _("Next review by %(date)s.", date=fact.text("review_on"))
    if fact.name in (facts.PERSON_ADDED, facts.PERSON_REMOVED, facts.QUEUE_INDEPENDENT):
        return person_fact_text(fact)
    if fact.name == facts.PRIORITY_RAISED:
        # Translators: case timeline: the caller's answers raised the report's priority.
        return _(
            "The caller's answers raised the priority to %(priority)s.",
            priority=label("priority", fact.text("priority")),
        )
    return ""


def _notice_text(fact: facts.Fact) -> str:
    if fact.name == facts.NOBODY_TO_NOTIFY:
        # Translators: case timeline: a high priority report could not be sent to anyone.
        return _(
            "No lead or deputy is on the on-call chain, so nobody was told. "
            "An administrator must add someone to the on-call chain."
        )
    if fact.name == facts.DEADLINE_MISSED:
        return _missed_text(fact.text("due_kind"), told=fact.number("governors") > 0)
    if fact.text("role") == "assignee":
        # Translators: case timeline: the person working the case was told of new information.
        return _("%(name)s, who is working the case, was told by email.", name=fact.text("name"))
    values = {"name": fact.text("name"), "role": label("on_call_role", fact.text("role"))}
    if set(fact.words("channels")) == {"sms", "email"}:
        # Translators: case timeline: who was told of a high priority report, and how.
        return _("%(name)s (%(role)s) was told by text message and email.", **values)
    if fact.words("channels") == ["email"]:
        # Translators: case timeline: who was told of a high priority report, and how.
        return _("%(name)s (%(role)s) was told by email.", **values)
    # Translators: case timeline: who was told of a high priority report, and how.
    return _("%(name)s (%(role)s) was told by text message.", **values)


def _referral_text(fact: facts.Fact) -> str:
    agency = label("agency", fact.text("agency"))
    if fact.name == facts.REFERRAL_SENT:
        # Translators: case timeline: a referral was sent; the date is when to chase it.
        return _(
            "Sent to %(agency)s. Chase them by %(date)s if there is no answer.",
            agency=agency,
            date=fact.text("chase_on"),
        )
    if fact.name == facts.REFERRAL_CHASED:
        # Translators: case timeline: an agency has not answered a referral yet.
        return _(
            "%(agency)s has not answered yet. Chase them again by %(date)s.",
            agency=agency,
            date=fact.text("chase_on"),
        )
    # Translators: case timeline: what an agency answered to a referral.
    return _(
        "%(agency)s answered: %(response)s",
        agency=agency,
        response=label("referral_response", fact.text("response")),
    )


def _missed_text(due_kind: str, *, told: bool) -> str:
    if due_kind == "acknowledge" and told:
        # Translators: case timeline: the due time to acknowledge the report passed.
        return _("Not acknowledged in time. The duty governor was told.")
    if due_kind == "acknowledge":
        # Translators: case timeline: the due time to acknowledge the report passed.
        return _("Not acknowledged in time. No duty governor is on call, so no governor was told.")
    if told:
        # Translators: case timeline: the due time to triage the report passed.
        return _("Not triaged in time. The duty governor was told.")
    # Translators: case timeline: the due time to triage the report passed.
    return _("Not triaged in time. No duty governor is on call, so no governor was told.")


def _paged_text(fact: facts.Fact) -> str:
    """Whole sentences per set of channels: a contact with a phone gets a text and a call,
    one with an email address an email (safeguarding/alerts.py)."""
    values = {
        "step": fact.number("step"),
        "name": fact.text("name"),
        "role": label("on_call_role", fact.text("role")),
    }
    channels = set(fact.words("channels"))
    if channels == {"sms", "voice", "email"}:
        # Translators: case timeline: who was alerted to an urgent report, and how. E.g.
        # "Step 2: Dev Smith (Deputy) was alerted by text message, phone call and email."
        return _(
            "Step %(step)d: %(name)s (%(role)s) was alerted by text message, phone call and email.",
            **values,
        )
    if channels == {"sms", "voice"}:
        # Translators: case timeline: who was alerted to an urgent report, and how.
        return _(
            "Step %(step)d: %(name)s (%(role)s) was alerted by text message and phone call.",
            **values,
        )
    if channels == {"email"}:
        # Translators: case timeline: who was alerted to an urgent report, and how.
        return _("Step %(step)d: %(name)s (%(role)s) was alerted by email.", **values)
    # Translators: case timeline: who was alerted to an urgent report.
    return _("Step %(step)d: %(name)s (%(role)s) was alerted.", **values)


_STAFF_ACTIONS = frozenset(
    {facts.STATUS_CHANGED, facts.REFERRAL, facts.LINKED, facts.RECATEGORISED, *facts.NAMING_STAFF}
)


def _staff_action_text(
    fact: facts.Fact, names: dict[str, str], session: Session, principal: StaffPrincipal
) -> str:
    person = names.get(f"staff:{fact.number('staff_id')}", "")
    if fact.name == facts.ASSIGNED:
        return person
    if fact.name == facts.TASK_ADDED:
        # Translators: case timeline: a task was added, e.g. "Healthcare review, owned by
        # Sam Smith, due by 2026-12-01".
        return _(
            "%(task)s, owned by %(person)s, due by %(date)s",
            task=label("task", fact.text("kind")), person=person, date=fact.text("due_on"),
        )  # fmt: skip
    if fact.name == facts.PLAN_SET:
        # Translators: case timeline: a protection plan was written; its words follow.
        return _(
            "Owned by %(person)s. First review by %(date)s.",
            person=person, date=fact.text("review_on"),
        )  # fmt: skip
    if fact.name == facts.STATUS_CHANGED:
        before, after = label("status", fact.text("before")), label("status", fact.text("after"))
        # Translators: case timeline: a status change, e.g. "New to Investigating".
        return _("%(before)s to %(after)s", before=before, after=after)
    if fact.name == facts.REFERRAL:
        agency, decision = fact.text("agency"), fact.text("decision")
        return f"{label('agency', agency)}: {label('threshold', decision)}"
    if fact.name == facts.RECATEGORISED:
        now = ", ".join(label("category", c) for c in fact.words("categories"))
        # Translators: case timeline: the report's categories after staff changed them.
        return _("Now: %(categories)s", categories=now)
    other = session.get(Report, fact.number("report_id"))  # facts.LINKED
    if other is not None and may_see_report(principal, other):
        # Translators: case timeline: which report this one was linked to.
        return _("Report %(number)d", number=other.id)
    return ""


def _id_text(event: TimelineEvent) -> str:
    """Events whose summary is one id: a standard message, an outcome, a channel."""
    if event.kind == MESSAGE_EVENT_KIND:
        return message_text(event.summary)
    if event.kind == "closed":
        return label("outcome", event.summary)
    if event.kind == ENTERED_EVENT_KIND:
        return label("channel", event.summary)
    if event.kind == EVENT_CAPACITY:
        return label("capacity", event.summary)
    return ""
