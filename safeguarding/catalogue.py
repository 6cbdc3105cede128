"""What a prisoner can say, in plain words, and what it means to safeguarding staff.

Prisoners choose from plain-language concerns; each maps onto Care Act 2014 abuse types
and the prison's own categories. Staff may re-categorise later.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from safeguarding.i18n import N_


class Category(StrEnum):
    PHYSICAL = "physical"
    DOMESTIC = "domestic"
    SEXUAL = "sexual"
    PSYCHOLOGICAL = "psychological"
    FINANCIAL = "financial"
    MODERN_SLAVERY = "modern_slavery"
    DISCRIMINATORY = "discriminatory"
    ORGANISATIONAL = "organisational"
    NEGLECT = "neglect"
    SELF_NEGLECT = "self_neglect"
    BULLYING_DEBT = "bullying_debt"
    EXPLOITATION_GROOMING = "exploitation_grooming"
    THREATS_VIOLENCE = "threats_violence"
    SELF_HARM = "self_harm"
    STAFF_MISCONDUCT = "staff_misconduct"
    OTHER = "other"


@dataclass(frozen=True)
class Concern:
    id: str
    label: str  # an English msgid; translate at the door
    categories: tuple[Category, ...]
    self_harm_risk: bool = False
    names_staff: bool = False
    about_someone_else: bool = False


C = Category

CONCERNS: tuple[Concern, ...] = (
    Concern(
        "hurting_me",
        # Translators: a choice on the kiosk and phone line; the prisoner is speaking.
        N_("Someone is hurting me."),
        (C.PHYSICAL, C.THREATS_VIOLENCE),
    ),
    Concern(
        "threatening_me",
        # Translators: a choice the prisoner picks; "threatening" means saying they will hurt them.
        N_("Someone is threatening me."),
        (C.THREATS_VIOLENCE, C.PSYCHOLOGICAL),
    ),
    Concern(
        "sexual",
        # Translators: a choice the prisoner picks about unwanted sexual contact; keep it plain.
        N_("Someone is doing sexual things to me that I do not want."),
        (C.SEXUAL,),
    ),
    Concern(
        "made_to_pay",
        # Translators: a choice about debt, taxing or extortion between prisoners.
        N_("I am being made to pay or give things."),
        (C.BULLYING_DEBT, C.FINANCIAL),
    ),
    Concern(
        "made_to_work",
        # Translators: a choice about forced work or being used by others (modern slavery).
        N_("Someone is forcing me to work or do things for them."),
        (C.MODERN_SLAVERY, C.EXPLOITATION_GROOMING),
    ),
    Concern(
        "fake_friend",
        # Translators: a choice about grooming: someone pretending to be a friend to use them.
        N_("Someone acts like a friend but is using me."),
        (C.EXPLOITATION_GROOMING,),
    ),
    Concern(
        "bullied",
        # Translators: a choice about bullying and name-calling.
        N_("I am being bullied or called names."),
        (C.BULLYING_DEBT, C.PSYCHOLOGICAL),
    ),
    Concern(
        "picked_on",
        # Translators: a choice about discrimination (race, religion, disability, sexuality).
        N_("I am picked on because of who I am."),
        (C.DISCRIMINATORY,),
    ),
    Concern(
        "no_care",
        # Translators: a choice about not getting care, medicine or help they need.
        N_("I am not getting the care or medicine I need."),
        (C.NEGLECT,),
    ),
    Concern(
        "cannot_cope",
        # Translators: a choice meaning the person cannot wash, eat or look after themselves.
        N_("I cannot look after myself."),
        (C.SELF_NEGLECT,),
    ),
    Concern(
        "hurting_myself",
        # Translators: a choice about self-harm or suicide; keep the wording gentle and plain.
        N_("I am thinking of hurting myself."),
        (C.SELF_HARM,),
        self_harm_risk=True,
    ),
    Concern(
        "staff_bad",
        # Translators: a choice about a prison officer or other staff treating them badly.
        N_("A member of staff is treating me badly."),
        (C.STAFF_MISCONDUCT, C.ORGANISATIONAL),
        names_staff=True,
    ),
    Concern(
        "family_hurting",
        # Translators: a choice about a partner or family member hurting them.
        N_("Someone in my family or my partner is hurting me."),
        (C.DOMESTIC,),
    ),
    Concern(
        "worried_someone_else",
        # Translators: a choice for a witness: the report is about another prisoner, not them.
        N_("I am worried about someone else."),
        (C.OTHER,),
        about_someone_else=True,
    ),
    Concern(
        "something_else",
        # Translators: a choice for a worry that does not fit the other choices.
        N_("Something else is wrong."),
        (C.OTHER,),
    ),
)

CONCERNS_BY_ID = {concern.id: concern for concern in CONCERNS}

STAFF_INVOLVED_ANSWERS = ("yes", "no", "not_sure")
WHEN_ANSWERS = ("today", "this_week", "longer_ago", "keeps_happening")
# kiosk and phone are the prisoner's own doors; in_person and paper are reports that staff
# enter on a prisoner's behalf (told to an officer, a Listener or a chaplain, or on a form).
CHANNELS = ("kiosk", "phone", "in_person", "paper")

MAX_DETAILS_CHARS = 5000
MAX_IDENTITY_CHARS = 200


def categories_for(concern_ids: list[str]) -> list[Category]:
    found: list[Category] = []
    for concern_id in concern_ids:
        for category in CONCERNS_BY_ID[concern_id].categories:
            if category not in found:
                found.append(category)
    return found
