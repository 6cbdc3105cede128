"""What the person wanted and whether they got it, and what became of the risk: recorded at
closing in the terms of the NHS Safeguarding Adults Collection (Making Safeguarding Personal),
so the Safeguarding Adults Board can set a prison's figures beside the community's.

Optional at closing (a case closed as a duplicate has nothing to say), but never guessed:
what was not recorded is counted as "not recorded" on the board's figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from safeguarding.i18n import N_

if TYPE_CHECKING:  # only a type here: safeguarding.wishes imports the closing rules
    from safeguarding.wishes import Wishes

ASKED_LABELS = {
    # Translators: at closing, Making Safeguarding Personal: was the person asked what they
    # wanted to happen? Answer: yes, and they said.
    "asked_expressed": N_("Yes, and they said what they wanted"),
    # Translators: at closing: the person was asked what they wanted but did not say.
    "asked_not_expressed": N_("Yes, but they did not say"),
    # Translators: at closing: the person was not asked what they wanted.
    "not_asked": N_("No"),
}
ACHIEVED_LABELS = {
    # Translators: at closing: what the person wanted was fully achieved.
    "fully": N_("Fully achieved"),
    # Translators: at closing: what the person wanted was partly achieved.
    "partly": N_("Partly achieved"),
    # Translators: at closing: what the person wanted was not achieved.
    "not": N_("Not achieved"),
}
RISK_LABELS = {
    # Translators: at closing: the risk to the person was removed.
    "removed": N_("Risk removed"),
    # Translators: at closing: the risk to the person was reduced.
    "reduced": N_("Risk reduced"),
    # Translators: at closing: the risk to the person remains.
    "remains": N_("Risk remains"),
}


def asked_at_first(wishes: Wishes | None) -> str:
    """What "Were they asked what they wanted to happen?" starts as on the closing form:
    yes, and they said, when the person chose what they wanted at the kiosk or on the
    phone; otherwise not guessed, left for staff to answer."""
    return "asked_expressed" if wishes is not None and wishes.wants else ""


@dataclass(frozen=True)
class PersonalOutcomes:
    asked: str = ""  # ASKED_LABELS, or "" for not recorded
    achieved: str = ""  # ACHIEVED_LABELS: only, and then needed, when they said what they wanted
    risk: str = ""  # RISK_LABELS, or ""


def outcomes_problem(outcomes: PersonalOutcomes) -> str | None:
    """The refusal code for outcomes that do not fit together, or None."""
    if outcomes.asked and outcomes.asked not in ASKED_LABELS:
        return "outcomes_asked:invalid"
    if outcomes.asked == "asked_expressed" and outcomes.achieved not in ACHIEVED_LABELS:
        return "outcomes_achieved:required"
    if outcomes.asked != "asked_expressed" and outcomes.achieved:
        return "outcomes_achieved:not_expressed"
    if outcomes.risk and outcomes.risk not in RISK_LABELS:
        return "risk_outcome:invalid"
    return None
