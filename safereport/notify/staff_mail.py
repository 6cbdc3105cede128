"""Emails about staff accounts: the setup link (made at delivery, so no token is ever
stored), and notices to leads and governors whenever who can read reports changes."""

from __future__ import annotations

from typing import Any

from safeguarding.access import Role
from safeguarding.enrolment import reissue_staff_setup
from safeguarding.services import Services
from safeguarding.staff_accounts import ACCESS_NOTICE, SETUP_EMAIL
from safereport.notify.transport import Sender
from safereport.worker import Handler
from storage.models import StaffUser
from storage.repositories.staff import account_state
from translations.catalog import translator

_WORKER = "system:worker"


def make_staff_mail_handlers(*, sender: Sender, base_url: str) -> dict[str, Handler]:
    def setup_email(services: Services, payload: dict[str, Any]) -> None:
        with services.db.transaction() as session:
            user = session.get(StaffUser, payload["staff_id"])
            if user is None or not user.active:
                return  # turned off meanwhile: no link
            # A fresh link each delivery: a retried email's earlier link stops working.
            token = reissue_staff_setup(
                session, user=user, pepper=services.secrets.code_pepper, clock=services.clock,
                actor=_WORKER,
            )  # fmt: skip
            to, language = user.email, account_state(session, user.id).language
        gettext = translator(language).gettext
        # Translators: subject of the email that brings a member of staff their setup link.
        subject = gettext("Set up your SafeReport account")
        # Translators: body of the setup email; %(link)s is the one-time link.
        body = gettext(
            "Follow this link to set up your account. It works once, for 24 hours, and "
            "only for you: do not forward it.\n\n%(link)s"
        ) % {"link": f"{base_url.rstrip('/')}/triage/setup#{token}"}
        sender.email(to=to, subject=subject, body=body)

    def access_notice(services: Services, payload: dict[str, Any]) -> None:
        with services.db.transaction() as session:
            recipient = session.get(StaffUser, payload["to_staff_id"])
            if recipient is None or not recipient.active:
                return
            about = session.get(StaffUser, payload["staff_id"]) if payload["staff_id"] else None
            to, language = recipient.email, account_state(session, recipient.id).language
            name = about.display_name if about is not None else ""
        gettext = translator(language).gettext
        # Translators: subject of the email to leads and governors: who can read reports changed.
        subject = gettext("A change to who can read safeguarding reports")
        body = _notice_body(gettext, payload, name) + f"\n\n{base_url.rstrip('/')}/triage/"
        sender.email(to=to, subject=subject, body=body)

    return {SETUP_EMAIL: setup_email, ACCESS_NOTICE: access_notice}


def _notice_body(gettext: Any, payload: dict[str, Any], name: str) -> str:
    values = {"name": name or "-", "role": _role_word(gettext, payload["role"])}
    event = payload["event"]
    if event == "requested":
        # Translators: email to leads and governors; an administrator asked for a change.
        text = gettext(
            "An administrator asked to give %(name)s the role %(role)s, which can read "
            "reports. Approve or refuse it under Access requests. If you did not expect "
            "it, refuse it."
        )
    elif event == "approved":
        # Translators: email to leads and governors after a request was approved.
        text = gettext("A request about %(name)s (%(role)s) was approved.")
    elif event == "refused":
        # Translators: email to leads and governors after a request was refused.
        text = gettext("A request about %(name)s (%(role)s) was refused. Nothing changed.")
    elif event == "deactivated":
        # Translators: email to leads and governors after a reading account was turned off.
        text = gettext("The account of %(name)s (%(role)s) was turned off.")
    else:
        # Translators: email to leads and governors after the server operator gave or reset
        # an account that can read reports.
        text = gettext(
            "The server operator gave or reset the account of %(name)s (%(role)s), which "
            "can read reports."
        )
    return str(text % values)


def _role_word(gettext: Any, role: str) -> str:
    words = {
        # Translators: a staff role, in an email.
        Role.LEAD.value: gettext("safeguarding lead"),
        # Translators: a staff role, in an email.
        Role.DEPUTY.value: gettext("deputy"),
        # Translators: a staff role, in an email.
        Role.GOVERNOR.value: gettext("governor"),
        # Translators: a staff role, in an email.
        Role.AUDITOR.value: gettext("auditor"),
        # Translators: a staff role, in an email.
        Role.ADMIN.value: gettext("administrator"),
    }
    return str(words.get(role, role))
