"""Standard messages the safeguarding team can send a reporter.

Staff pick one of these rather than typing, so the reporter reads or hears it in their own
language at the kiosk or on the phone line. The ids are stored; the text is translated
by the door that shows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from safeguarding.i18n import N_

# The help every prisoner can reach without going through us, named on every door.
SAMARITANS_NUMBER = "116 123"  # free from prison phones, day and night


@dataclass(frozen=True)
class StandardMessage:
    id: str
    text: str  # English msgid, at most 15 words a sentence


STANDARD_MESSAGES: tuple[StandardMessage, ...] = (
    StandardMessage(
        "received",
        # Translators: a message from the safeguarding team, read by the prisoner who reported.
        N_("We have read your report. We are looking into it."),
    ),
    StandardMessage(
        "will_speak",
        # Translators: a message from the safeguarding team, read by the prisoner who reported.
        N_("Someone from the safeguarding team will come to speak to you soon."),
    ),
    StandardMessage(
        "need_more",
        # Translators: a message from the safeguarding team, read by the prisoner who reported.
        N_("We need more information. Please add more using your code."),
    ),
    StandardMessage(
        "acting",
        # Translators: a message from the safeguarding team, read by the prisoner who reported.
        N_("We are taking action. We cannot tell you everything yet."),
    ),
    StandardMessage(
        "outside_help",
        # Translators: a message from the safeguarding team, read by the prisoner who reported.
        N_("We have asked people outside the prison to help."),
    ),
    StandardMessage(
        "closed",
        # Translators: a message from the safeguarding team, read by the prisoner who reported.
        N_("We have finished looking into your report. Thank you for telling us."),
    ),
    StandardMessage(
        "support",
        # Translators: a message from the safeguarding team, read by the prisoner who reported.
        N_("You can talk to a Listener or call Samaritans free on 116 123."),
    ),
)

STANDARD_MESSAGES_BY_ID = {message.id: message for message in STANDARD_MESSAGES}
