"""The steps of a call and the effects a key can have (the state machine is ivr.flow)."""

from __future__ import annotations

from enum import StrEnum


class Step(StrEnum):
    LANGUAGE = "language"
    MORE_LANGUAGES = "more-languages"
    START = "start"
    DANGER_WHO = "danger-who"
    WING = "wing"  # where to send help: the establishment's own wings, by key
    NAME = "name"  # the caller may say their name and cell (a short recording)
    CONCERN = "concern"
    ANOTHER = "another"
    ABOUT = "about"
    INJURED = "injured"
    STAFF = "staff"
    MESSAGE = "message"
    REVIEW = "review"
    CODE = "code"
    CODE_ENTRY = "code-entry"
    PIN_ENTRY = "pin-entry"  # a code kept safe with a PIN at the kiosk (issue 17.3)
    # A caller with a code whose report has a retaliation check-in due (issue 15.5):
    # "Are you safe now?", before the status; 9 skips.
    SAFE_NOW = "safe-now"
    FOLLOW_UP = "follow-up"
    DANGER_AGAIN = "danger-again"  # after a follow-up message: "Are you in danger now?"
    WISHES = "wishes"  # after the code: what the caller wants to happen (issue 15.1)
    SHARING = "sharing"  # then: may we tell other people if we need to?
    DOING = "doing"  # then: who is doing it? (issue 14; a kind of person, never a name)
    DID_WE = "did-we"  # a caller with a code: did we do what you wanted?
    SAFER = "safer"  # then: do you feel safer?
    GOODBYE = "goodbye"


# Asked only once the report is safe and its code read out (a call that made a report).
AFTER_CODE_STEPS = frozenset({Step.WISHES, Step.SHARING, Step.DOING})
# Asked only of a caller with a code, after they heard their report's status.
FEELINGS_STEPS = frozenset({Step.DID_WE, Step.SAFER, Step.SAFE_NOW})
# A caller who reached these has been given their code or heard their report's status.
FINISHED_STEPS = frozenset({Step.CODE, Step.GOODBYE, *AFTER_CODE_STEPS})


class Effect(StrEnum):
    NONE = "none"
    SAVE_ANSWERS = "save-answers"  # create or update the report
    LOOKUP = "lookup"  # find the report for the code typed
    CHECK_PIN = "check-pin"  # check the PIN typed for a code kept safe with one
    LISTEN = "listen"  # play the caller's recording back
    KEEP = "keep"  # the caller keeps their recording
    RECORD_AGAIN = "record-again"  # the caller replaces their recording
    IN_DANGER = "in-danger"  # a follow-up caller is in danger now: the report is immediate
    SAVE_WISH = "save-wish"  # one answer about what the caller wants, saved as it is given
    SAVE_PERSON = "save-person"  # who is doing it (issue 14), saved as it is given
    SAVE_SAFE_NOW = "save-safe-now"  # "Are you safe now?" (issue 15.5), saved as it is given
