"""The safeguarding team's door: staff sign-in, the queue, the case page and its actions.

Deny by default: ``triage.guard`` lets through only signed-in staff, apart from the
endpoints on its allowlist, and every report route checks the reader's access to that
exact report with ``safeguarding.access``.
"""

from __future__ import annotations

from flask import Blueprint, g, render_template
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from safeguarding.access import Permission, allows
from translations.i18n import _
from triage import (
    access_request_views,
    action_views,
    admin_bsl,
    admin_devices,
    admin_oncall,
    admin_places,
    admin_posters,
    admin_prompts,
    admin_views,
    audit_views,
    auth_views,
    case_suggestions,
    case_views,
    chronology,
    code_views,
    cross_site_views,
    enter_views,
    handover_views,
    officer_tally_views,
    patterns_views,
    practice_audit_views,
    quality_views,
    queue_views,
    work_views,
)
from triage.guard import guard, template_globals
from triage.labels import template_helpers

_NAVIGATION = (
    # Translators: main menu item on the staff pages: the queue of reports.
    ("triage.queue", Permission.VIEW_QUEUE, _l("Reports")),
    # Translators: main menu item on the staff pages: enter a report a prisoner told staff.
    ("triage.enter_report", Permission.ENTER_REPORT, _l("Enter a report")),
    # Translators: main menu item: the tasks and protection plan reviews this person owns.
    ("triage.my_work", Permission.BE_ASSIGNED, _l("Your work")),
    # Translators: main menu item on the staff pages: the quality assurance dashboard.
    ("triage.quality", Permission.VIEW_DASHBOARD, _l("Quality")),
    # Translators: main menu item on the staff pages: reports by wing, category and week.
    ("triage.patterns", Permission.VIEW_DASHBOARD, _l("Patterns")),
    # Translators: main menu item for leads and governors: how many reports name each
    # member of staff.
    ("triage.officer_tally", Permission.VIEW_OFFICER_TALLY, _l("Officer tally")),
    # Translators: main menu item on the staff pages: the audit log.
    ("triage.audit_log", Permission.VIEW_AUDIT, _l("Audit log")),
    # Translators: main menu item on the staff pages: staff accounts (administrators only).
    ("triage.staff_list", Permission.MANAGE_STAFF, _l("Staff")),
    # Translators: main menu item for leads and governors: requests to give someone access
    # to reports, which they approve or refuse.
    ("triage.access_requests", Permission.APPROVE_ACCESS, _l("Access requests")),
    # Translators: main menu item for leads and governors: other prisons' requests to share
    # case numbers about a person named at both, which they approve or refuse.
    ("triage.cross_site_requests", Permission.ANSWER_CROSS_SITE, _l("Other prisons")),
    # Translators: main menu item: establishments, wings, kiosks, phone lines (administrators).
    ("triage.admin_establishments", Permission.MANAGE_ESTABLISHMENTS, _l("Establishments")),
)


def make_blueprint() -> Blueprint:
    bp = Blueprint(
        "triage",
        __name__,
        url_prefix="/triage",
        template_folder="templates",
        static_folder="static",
    )
    bp.before_request(guard)
    bp.context_processor(_context)
    bp.register_error_handler(CSRFError, _form_expired)
    bp.register_error_handler(403, _forbidden)
    bp.register_error_handler(404, _not_found)
    for views in (
        auth_views,
        queue_views,
        case_views,
        case_suggestions,
        chronology,
        action_views,
        code_views,
        enter_views,
        quality_views,
        patterns_views,
        practice_audit_views,
        admin_views,
        access_request_views,
        admin_places,
        admin_posters,
        admin_devices,
        admin_oncall,
        admin_prompts,
        admin_bsl,
        audit_views,
        work_views,
        handover_views,
        officer_tally_views,
        cross_site_views,
    ):
        views.register(bp)
    return bp


def _form_expired(_error: Exception) -> ResponseReturnValue:
    # Translators: page title when a form was sent without a valid security token.
    title = _("This form has expired")
    # Translators: explanation when a form was too old or not from this service.
    text = _("Go back, reload the page and try again. Nothing was changed.")
    return render_template("triage/problem.html", title=title, text=text, errors={}), 400


def _forbidden(_error: Exception) -> ResponseReturnValue:
    # Translators: page title when the signed-in person may not use a page.
    title = _("You cannot use this page")
    # Translators: explanation on the page shown when a role may not use a page.
    text = _("Your role does not include this. Ask your safeguarding lead if you need it.")
    return render_template("triage/problem.html", title=title, text=text, errors={}), 403


def _not_found(_error: Exception) -> ResponseReturnValue:
    # Translators: page title when a page or report is not there (or not for this reader).
    title = _("Page not found")
    # Translators: explanation when a report does not exist or the reader may not see it.
    text = _("There is no such page or report that you can see.")
    return render_template("triage/problem.html", title=title, text=text, errors={}), 404


def _context() -> dict[str, object]:
    context = template_globals() | template_helpers()
    staff = g.get("staff")
    context["nav_items"] = (
        [
            (endpoint, str(text))
            for endpoint, needed, text in _NAVIGATION
            if allows(staff.principal.role, needed)
        ]
        if staff
        else []
    )
    context["done_message"] = _done_message
    return context


def _done_message(code: str) -> str:
    messages = {
        # Translators: green banner after acknowledging a report.
        "acknowledge": _("Report acknowledged."),
        # Translators: green banner after assigning a report.
        "assign": _("Report assigned."),
        # Translators: green banner after adding a note.
        "note": _("Note added."),
        # Translators: green banner after changing a report's status.
        "status": _("Status changed."),
        # Translators: green banner after escalating a report to the governor.
        "escalate": _(
            "Escalated to the governor. The duty governor on call is being sent a text and an "
            "email: the timeline says when they are."
        ),
        # Translators: green banner after recording a referral decision.
        "referral": _("Referral decision recorded."),
        # Translators: green banner after recording what an agency answered to a referral.
        "referral_response": _("Their answer is recorded."),
        # Translators: green banner after recording the modern slavery duty to notify decision.
        "duty_to_notify": _("Duty to notify decision recorded."),
        # Translators: green banner after recording evidence as secured or not possible.
        "evidence": _("Evidence recorded."),
        # Translators: green banner after recording a check-in on the person who reported.
        "checkin": _("Check-in recorded."),
        # Translators: green banner after adding a task to a case.
        "task": _("Task added."),
        # Translators: green banner after finishing a task on a case.
        "task_finish": _("Task finished."),
        # Translators: green banner after saving a case's protection plan.
        "plan": _("Protection plan saved."),
        # Translators: green banner after recording a review of the protection plan.
        "plan_review": _("Review recorded."),
        # Translators: green banner after recording a capacity decision on a case.
        "capacity": _("Capacity record added."),
        # Translators: green banner after changing a report's safeguarding categories.
        "recategorise": _("Categories changed."),
        # Translators: green banner after a report moved to the restricted queue (staff involved),
        # which the person who moved it may not see.
        "moved_to_restricted": _(
            "Categories changed. The report is now in the restricted queue, "
            "so only the safeguarding lead and the governor can see it."
        ),
        # Translators: green banner after naming a person on a report.
        "person_add": _("Person added. The reason is on the timeline."),
        # Translators: green banner after correcting a person named on a report.
        "person_correct": _("Person corrected. The reason is on the timeline."),
        # Translators: green banner after taking a person off a report.
        "person_remove": _("Person removed. The reason is on the timeline."),
        # Translators: green banner after a member of staff named themselves on a report:
        # a report that names someone is hidden from them.
        "person_hidden_names_you": _(
            "Saved. The report now names you, so you can no longer see it."
        ),
        # Translators: green banner after naming the safeguarding lead or a governor on a
        # report: it goes to the independent reviewer, and the person who did it cannot see it.
        "person_hidden_independent": _(
            "Saved. The report names a safeguarding lead or governor, so it has moved to the "
            "independent reviewer and you can no longer see it."
        ),
        # Translators: green banner after a change to the people on a report moved it out of
        # sight of the person who made it.
        "person_hidden_restricted": _("Saved. You can no longer see this report."),
        # Translators: green banner after sending the reporter a message.
        "message": _("Message sent. The reporter will see or hear it in their language."),
        # Translators: green banner after linking two reports.
        "link": _("Reports linked."),
        # Translators: green banner after dismissing a suggested link between two reports.
        "suggestion_dismissed": _("Suggestion dismissed. It will not be suggested again."),
        # Translators: green banner after asking another prison's safeguarding lead about
        # reports there that name the same person.
        "cross_site_asked": _("Request sent to that establishment's lead."),
        # Translators: green banner after approving another prison's request to share case
        # numbers, dates, categories and status about a person named at both.
        "cross_site_approved": _("Approved. The other lead can now see those case numbers."),
        # Translators: green banner after refusing another prison's request.
        "cross_site_refused": _("Refused. Nothing was shared."),
        # Translators: green banner after closing a report.
        "close": _("Report closed."),
        # Translators: green banner after signing out.
        "signed_out": _("You have signed out."),
        # Translators: green banner after saving the language choice.
        "language_saved": _("Your language choice is saved."),
        # Translators: green banner after writing a note for the next shift.
        "handover_note_saved": _("Handover note saved. Colleagues here will see it for 24 hours."),
        # Translators: green banner after inviting a member of staff.
        "invited": _("Invitation created. Give the person their setup link."),
        # Translators: green banner after turning off a staff account.
        "deactivated": _("Account turned off. The person has been signed out."),
        # Translators: green banner after an administrator asked for a change that a lead or
        # governor must approve (it lets someone read reports).
        "access_requested": _(
            "Request sent. A safeguarding lead or governor must approve it before it happens."
        ),
        # Translators: green banner after turning a staff account back on.
        "reactivated": _("Account turned on again."),
        # Translators: green banner after changing a staff account's role.
        "role_changed": _("Role changed. The person has been signed out."),
        # Translators: green banner after a lead or governor approved an access request.
        "access_approved": _("Approved. The person gets any setup link by email."),
        # Translators: green banner after a lead or governor refused an access request.
        "access_refused": _("Refused. Nothing was changed."),
        # Translators: green banner after saving a practice audit finding.
        "practice_audit": _("Finding saved."),
        # Translators: green banner after saving an establishment's settings.
        "settings_saved": _("Settings saved."),
        # Translators: green banner after adding a wing or place.
        "location_added": _("Place added."),
        # Translators: green banner after renaming a wing or place.
        "location_renamed": _("Place renamed."),
        # Translators: green banner after moving a wing or place in the list.
        "location_up": _("Order changed."),
        "location_down": _("Order changed."),
        # Translators: green banner after removing a wing or place.
        "location_removed": _("Place removed."),
        # Translators: green banner after revoking a kiosk.
        "kiosk_revoked": _("Kiosk revoked. It can no longer take reports."),
        # Translators: green banner after adding a phone line.
        "phone_line_added": _("Phone line added."),
        # Translators: green banner after removing a phone line.
        "phone_line_removed": _("Phone line removed."),
        # Translators: green banner after adding someone to the on-call chain.
        "oncall_added": _("Added to the on-call chain."),
        # Translators: green banner after reordering the on-call chain.
        "oncall_up": _("Order changed."),
        "oncall_down": _("Order changed."),
        # Translators: green banner after taking someone out of the on-call chain for now.
        "oncall_off": _("They will not be paged until turned on again."),
        # Translators: green banner after putting someone back in the on-call chain.
        "oncall_on": _("They will be paged again in their turn."),
        # Translators: green banner after uploading a recording of a phone prompt.
        "prompt_recorded": _("Recording saved. Callers hear it from now on."),
        # Translators: green banner after removing a recording of a phone prompt.
        "prompt_removed": _("Recording removed."),
        # Translators: green banner after uploading a British Sign Language video (kiosk).
        "bsl_uploaded": _("Video saved. People who choose BSL at the kiosk see it from now on."),
        # Translators: green banner after removing a British Sign Language video.
        "bsl_removed": _("Video removed."),
    }
    return messages.get(code, "")
