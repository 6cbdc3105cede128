"""Emails to an establishment's administrators and lead when what its callers hear changed:
a recorded prompt added, replaced or removed (safeguarding.prompt_recordings)."""

from __future__ import annotations

from typing import Any

from safeguarding.prompt_recordings import PROMPT_NOTICE
from safeguarding.services import Services
from safereport.notify.transport import Sender
from safereport.worker import Handler
from storage.models import Establishment, StaffUser
from storage.repositories.staff import account_state
from translations.catalog import translator
from translations.languages import BY_CODE


def make_prompt_mail_handlers(*, sender: Sender, base_url: str) -> dict[str, Handler]:
    def prompt_notice(services: Services, payload: dict[str, Any]) -> None:
        with services.db.transaction() as session:
            recipient = session.get(StaffUser, payload["to_staff_id"])
            if recipient is None or not recipient.active:
                return
            place_id = payload["establishment_id"]
            place = session.get(Establishment, place_id) if place_id is not None else None
            to, language = recipient.email, account_state(session, recipient.id).language
            place_name = place.name if place is not None else None
        gettext = translator(language).gettext
        known = BY_CODE.get(payload["language"])
        values = {
            "language": known.native_name if known is not None else payload["language"],
            # Translators: in an email, where the installation's default recordings changed.
            "establishment": place_name or gettext("every establishment"),
        }
        # Translators: subject of the email telling administrators and the lead that a
        # recorded phone prompt changed.
        subject = gettext("A change to what callers hear")
        if payload["event"] == "removed":
            # Translators: email body; %(language)s is a language name, %(establishment)s a
            # prison's name (or "every establishment").
            text = gettext(
                "What callers hear in %(language)s at %(establishment)s has changed: a "
                "recording was removed. Check the phone prompts page."
            )
        else:
            # Translators: email body; %(language)s is a language name, %(establishment)s a
            # prison's name (or "every establishment").
            text = gettext(
                "What callers hear in %(language)s at %(establishment)s has changed: new "
                "recordings were added. Listen to them on the phone prompts page."
            )
        body = text % values + f"\n\n{base_url.rstrip('/')}/triage/admin/phone-prompts"
        sender.email(to=to, subject=subject, body=body)

    return {PROMPT_NOTICE: prompt_notice}
