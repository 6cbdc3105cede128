"""The words of each alert, in the staff member's language (English until staff choose)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safereport.notify.casework_text import casework_reminder
from safereport.notify.chase_text import chase_reminder
from safereport.notify.digest_deadlines import deadline_lines
from safereport.notify.digest_patterns import pattern_lines
from safereport.notify.people_text import (
    cross_site_answer_text,
    cross_site_text,
    cumulative_text,
)
from storage.models import Establishment, Location, OnCallContact, Report, StaffUser
from translations.catalog import translator


@dataclass(frozen=True)
class Recipient:
    """Someone on call, or a member of staff (who has an email address only)."""

    label: str  # for error messages: which row, never an address
    email: str | None
    phone: str | None


@dataclass(frozen=True)
class AlertText:
    subject: str
    body: str  # email
    sms: str
    voice: str


def case_number(establishment: Establishment, report_id: int) -> str:
    return f"{establishment.code}-{report_id}"


def recipient_of(session: Session, payload: dict[str, Any]) -> Recipient:
    if "staff_id" in payload:
        staff = session.get(StaffUser, payload["staff_id"])
        if staff is None:
            raise LookupError(f"member of staff {payload['staff_id']} no longer exists")
        return Recipient(f"member of staff {staff.id}", staff.email, None)
    contact = session.get(OnCallContact, payload["contact_id"])
    if contact is None:
        raise LookupError(f"on-call contact {payload['contact_id']} no longer exists")
    return Recipient(f"on-call contact {contact.id}", contact.email, contact.phone)


def compose(
    session: Session, payload: dict[str, Any], *, base_url: str, language: str = "en"
) -> tuple[Recipient, AlertText]:
    contact = recipient_of(session, payload)
    template = payload["template"]
    t = translator(language)
    if template == "daily_digest":
        establishment = session.get(Establishment, payload["establishment_id"])
        assert establishment is not None
        digest = _digest(session, t.gettext, establishment, payload["day"], base_url)
        if "at" in payload:  # digests queued before 2026-12-06 carry counts only
            at = datetime.fromisoformat(payload["at"])
            cases = deadline_lines(session, t.gettext, establishment, at)
            patterns = pattern_lines(
                session, t.gettext, establishment.id, payload["contact_id"], at
            )
            body = f"{digest.body}\n\n{cases}\n\n{patterns}"
            digest = AlertText(digest.subject, body, digest.sms, digest.voice)
        return contact, _with_audit_head(digest, t.gettext, payload.get("audit_head"))
    if template == "lookup_burst":
        establishment = session.get(Establishment, payload["establishment_id"])
        assert establishment is not None
        return contact, _lookup_burst(t.gettext, establishment, payload)
    if template == "cross_site_request":
        subject, text = cross_site_text(session, t.gettext, payload, base_url)
        return contact, AlertText(subject, text, text, text)
    if template == "cross_site_answer":
        subject, text = cross_site_answer_text(session, t.gettext, payload, base_url)
        return contact, AlertText(subject, text, text, text)
    report = session.get(Report, payload["report_id"])
    if report is None:
        raise LookupError(f"report {payload['report_id']} no longer exists")
    establishment = session.get(Establishment, report.establishment_id)
    assert establishment is not None
    values = {
        "establishment": establishment.name,
        "case": case_number(establishment, report.id),
        "link": f"{base_url}/triage/reports/{report.id}",
    }
    if template == "immediate_report":
        wing = _help_wing(session, establishment, report)
        return contact, _immediate(t.gettext, values, report.id, wing)
    if template == "immediate_wing":
        wing = _help_wing(session, establishment, report)
        return contact, _immediate_wing(t.gettext, {**values, "wing": wing or ""})
    if template == "escalated":
        return contact, _escalated(t.gettext, values)
    if template == "breach_warning":
        return contact, _breach(t.gettext, values, payload["due_kind"], report)
    if template == "new_information":
        return contact, _new_information(t.gettext, values)
    if template == "referral_chase":
        subject, text = chase_reminder(session, t.gettext, values, payload["referral_id"])
        return contact, AlertText(subject, text, text, text)
    if template in ("task_overdue", "plan_review_overdue", "checkin_due"):
        subject, text = casework_reminder(session, t.gettext, values, payload)
        return contact, AlertText(subject, text, text, text)
    if template == "cumulative_concern":
        subject, text = cumulative_text(t.gettext, values, payload)
        return contact, AlertText(subject, text, text, text)
    if template == "high_report":
        return contact, _high(t.gettext, values, _wing(session, establishment, report))
    if template == "deadline_missed":
        due = datetime.fromisoformat(payload["due_at"])
        return contact, _missed(t.gettext, values, payload["due_kind"], due, report.priority)
    raise ValueError(f"unknown alert template {template!r}")


def _immediate(gettext: Any, values: dict[str, str], report_id: int, wing: str | None) -> AlertText:
    spoken_case = " ".join(str(report_id))
    filled = {**values, "spoken_case": spoken_case, "wing": wing or ""}
    # Translators: email subject of an alert to staff on call. Never add report content.
    subject = gettext("Immediate safeguarding report at %(establishment)s, case %(case)s")
    if wing is None:
        # Translators: email body of an alert to staff on call. Never add report content.
        body = gettext(
            "An immediate safeguarding report has been made at %(establishment)s.\n\n"
            "Case: %(case)s\n\nPlease acknowledge it now: %(link)s\n\n"
            "This message does not say what was reported. Sign in to read it."
        )
        # Translators: text message to staff on call. Keep it short. Never add report content.
        sms = gettext(
            "SafeReport: immediate safeguarding report at %(establishment)s, case %(case)s. "
            "Acknowledge now: %(link)s"
        )
        # Translators: spoken on an alert call to staff on call; the case is read digit by digit.
        voice = gettext(
            "This is SafeReport. There is an immediate safeguarding report at "
            "%(establishment)s. Case number %(spoken_case)s. Press 1 to acknowledge it."
        )
    else:
        # Translators: email body of an alert to staff on call; %(wing)s is where help is
        # needed (the establishment's own name for a wing). Never add report content.
        body = gettext(
            "An immediate safeguarding report has been made at %(establishment)s.\n\n"
            "Case: %(case)s\nWing: %(wing)s\n\nPlease acknowledge it now: %(link)s\n\n"
            "This message does not say what was reported. Sign in to read it."
        )
        # Translators: text message to staff on call; %(wing)s is where help is needed.
        # Keep it short. Never add report content.
        sms = gettext(
            "SafeReport: immediate safeguarding report at %(establishment)s, case %(case)s, "
            "%(wing)s. Acknowledge now: %(link)s"
        )
        # Translators: spoken on an alert call to staff on call; the case is read digit by
        # digit; %(wing)s is where help is needed.
        voice = gettext(
            "This is SafeReport. There is an immediate safeguarding report at "
            "%(establishment)s, %(wing)s. Case number %(spoken_case)s. "
            "Press 1 to acknowledge it."
        )
    return AlertText(subject % filled, body % filled, sms % filled, voice % filled)


def _immediate_wing(gettext: Any, values: dict[str, str]) -> AlertText:
    """The caller chose their wing after the first page went: say where, nothing more."""
    # Translators: email subject to staff on call: where help is needed for a case they
    # were paged about. %(wing)s is the establishment's own name for a wing.
    subject = gettext("Case %(case)s at %(establishment)s: %(wing)s") % values
    # Translators: text message to staff on call, after the page about an immediate case:
    # the reporter has said which wing. Never add report content.
    line = gettext("SafeReport: immediate case %(case)s is on %(wing)s. Open it: %(link)s")
    text = line % values
    return AlertText(subject, text, text, text)


def _help_wing(session: Session, establishment: Establishment, report: Report) -> str | None:
    """Where help is needed for an immediate report, where the establishment names it
    (on by default): a reporter in danger at a kiosk is where the kiosk stands; otherwise
    the wing the reporter chose (on the phone: the wing question), else the kiosk's."""
    if not establishment.immediate_alert_names_wing:
        return None
    places = [report.location_id, report.sent_from_location_id]
    if report.in_danger_now and report.sent_from_location_id is not None:
        places.reverse()
    for location_id in places:
        location = session.get(Location, location_id) if location_id is not None else None
        if location is not None and location.establishment_id == report.establishment_id:
            return location.name
    return None


def _wing(session: Session, establishment: Establishment, report: Report) -> str | None:
    """The wing, only where the establishment chose to name it in a high report's alert."""
    if not establishment.high_alert_names_wing or report.location_id is None:
        return None
    location = session.get(Location, report.location_id)
    return location.name if location is not None else None


def _high(gettext: Any, values: dict[str, str], wing: str | None) -> AlertText:
    # Translators: email subject of an alert to the safeguarding lead and deputy. Never add
    # report content.
    subject = gettext("High priority safeguarding report at %(establishment)s, case %(case)s")
    if wing is None:
        # Translators: text message to the safeguarding lead and deputy. Keep it short.
        sms = gettext(
            "SafeReport: high priority safeguarding report at %(establishment)s, "
            "case %(case)s. Open it: %(link)s"
        )
        # Translators: email body to the safeguarding lead and deputy. Never add report content.
        body = gettext(
            "A high priority safeguarding report has been made at %(establishment)s.\n\n"
            "Case: %(case)s\n\nPlease acknowledge it: %(link)s\n\n"
            "This message does not say what was reported. Sign in to read it."
        )
    else:
        # Translators: text message to the safeguarding lead and deputy; %(wing)s is the
        # wing the report came from. Keep it short.
        sms = gettext(
            "SafeReport: high priority safeguarding report at %(establishment)s, "
            "case %(case)s, %(wing)s. Open it: %(link)s"
        )
        # Translators: email body to the safeguarding lead and deputy; %(wing)s is the wing.
        body = gettext(
            "A high priority safeguarding report has been made at %(establishment)s.\n\n"
            "Case: %(case)s\nWing: %(wing)s\n\nPlease acknowledge it: %(link)s\n\n"
            "This message does not say what was reported. Sign in to read it."
        )
    filled = {**values, "wing": wing or ""}
    return AlertText(subject % filled, body % filled, sms % filled, sms % filled)


def _missed(
    gettext: Any, values: dict[str, str], due_kind: str, due: datetime, priority: str
) -> AlertText:
    names = {
        # Translators: a report's priority, in an alert to the governor.
        "immediate": gettext("immediate"),
        # Translators: a report's priority, in an alert to the governor.
        "high": gettext("high"),
        # Translators: a report's priority, in an alert to the governor.
        "standard": gettext("standard"),
    }
    filled = {
        **values,
        "due": due.strftime("%d %b %Y %H:%M UTC"),
        "priority": names.get(priority, priority),
    }
    if due_kind == "acknowledge":
        # Translators: alert to the duty governor; %(priority)s is e.g. "high", %(due)s a time.
        line = gettext(
            "SafeReport: case %(case)s (%(priority)s) was not acknowledged by %(due)s. "
            "Open it: %(link)s"
        )
    else:
        # Translators: alert to the duty governor; %(priority)s is e.g. "high", %(due)s a time.
        line = gettext(
            "SafeReport: case %(case)s (%(priority)s) was not triaged by %(due)s. Open it: %(link)s"
        )
    # Translators: email subject to the duty governor: a case has passed its due time.
    subject = gettext("Case %(case)s at %(establishment)s is overdue") % filled
    text = line % filled
    return AlertText(subject, text, text, text)


def _new_information(gettext: Any, values: dict[str, str]) -> AlertText:
    # Translators: email subject to staff: the reporter added to a case. Never add content.
    subject = gettext("New information on case %(case)s at %(establishment)s") % values
    # Translators: text message and email to staff: the reporter added to a case.
    line = gettext(
        "SafeReport: the reporter added new information to case %(case)s. Open it: %(link)s"
    )
    text = line % values
    return AlertText(subject, text, text, text)


def _escalated(gettext: Any, values: dict[str, str]) -> AlertText:
    # Translators: email subject to the duty governor. Never add report content.
    subject = gettext("Case %(case)s at %(establishment)s has been escalated to you") % values
    # Translators: text message and email to the duty governor. Never add report content.
    line = gettext(
        "SafeReport: case %(case)s has been escalated to the governor. Open it: %(link)s"
    )
    text = line % values
    return AlertText(subject, text, text, text)


def _breach(gettext: Any, values: dict[str, str], due_kind: str, report: Report) -> AlertText:
    due: datetime | None = (
        report.acknowledge_due_at if due_kind == "acknowledge" else report.triage_due_at
    )
    values = {**values, "due": due.strftime("%d %b %Y %H:%M UTC") if due else ""}
    if due_kind == "acknowledge":
        # Translators: alert to the safeguarding lead; %(due)s is a date and time.
        line = gettext("Case %(case)s must be acknowledged by %(due)s.") % values
    else:
        # Translators: alert to the safeguarding lead; %(due)s is a date and time.
        line = gettext("Case %(case)s must be triaged by %(due)s.") % values
    # Translators: email subject warning the safeguarding lead that a case is nearly overdue.
    subject = gettext("Case %(case)s at %(establishment)s is nearly overdue") % values
    # Translators: the link at the end of an email to the safeguarding lead.
    link_line = gettext("Open the case: %(link)s") % values
    return AlertText(subject, f"{line}\n\n{link_line}", f"{line} {values['link']}", line)


def _lookup_burst(gettext: Any, establishment: Establishment, payload: dict[str, Any]) -> AlertText:
    values = {
        "establishment": establishment.name,
        "failures": payload["failures"],
        "minutes": payload["window_minutes"],
    }
    # Translators: email subject to the safeguarding lead: someone may be guessing the
    # follow-up codes prisoners use to come back to their reports.
    subject = gettext("Possible code guessing at %(establishment)s") % values
    # Translators: alert to the safeguarding lead. %(failures)s wrong follow-up codes were
    # typed at the kiosks and phone lines of %(establishment)s within %(minutes)s minutes.
    template = gettext(
        "SafeReport: %(failures)s wrong follow-up codes were tried at %(establishment)s "
        "within %(minutes)s minutes. Someone may be guessing codes. Kiosks or phone lines "
        "that reach their limit refuse codes for a while."
    )
    line = template % values
    return AlertText(subject, line, line, line)


def _with_audit_head(text: AlertText, gettext: Any, head: Any) -> AlertText:
    """The email (not the text message) carries the head of the establishment's audit chain."""
    if not isinstance(head, dict):
        return text
    # Translators: last lines of the daily summary email to the safeguarding lead.
    # %(length)s is a number of events, %(hash)s a long code of letters and digits.
    line = gettext(
        "Audit log check: %(length)s events, last code %(hash)s. Keep this email: "
        "the administrator compares it with the audit log."
    ) % {"length": head.get("length", 0), "hash": head.get("hash", "")}
    return AlertText(text.subject, f"{text.body}\n\n{line}", text.sms, text.voice)


def _digest(
    session: Session, gettext: Any, establishment: Establishment, day: str, base_url: str
) -> AlertText:
    open_reports = select(Report.priority, func.count()).where(
        Report.establishment_id == establishment.id, Report.status != "closed"
    )
    counts = {
        priority: count
        for priority, count in session.execute(open_reports.group_by(Report.priority))
    }
    values = {
        "establishment": establishment.name,
        "day": day,
        "immediate": counts.get("immediate", 0),
        "high": counts.get("high", 0),
        "standard": counts.get("standard", 0),
        "link": f"{base_url}/triage/",
    }
    # Translators: subject of the daily summary email to the safeguarding lead.
    subject = gettext("Daily safeguarding summary for %(establishment)s, %(day)s") % values
    # Translators: body of the daily summary email; the numbers are counts of open reports.
    template = gettext(
        "Open reports: %(immediate)s immediate, %(high)s high, %(standard)s standard.\n\n"
        "Open the queue: %(link)s"
    )
    body = template % values
    return AlertText(subject, body, body, body)
