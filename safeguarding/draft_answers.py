"""The kiosk's questions and how a screen's form values become a clean answer.

Split from safeguarding.drafts (which re-exports these names) to keep each module short.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from safeguarding.catalogue import (
    CONCERNS_BY_ID,
    MAX_DETAILS_CHARS,
    STAFF_INVOLVED_ANSWERS,
    WHEN_ANSWERS,
)
from safeguarding.errors import FieldProblem, InvalidSubmission

# The questions, in the order the kiosk asks them. "identity" only follows "contact_me".
QUESTIONS = (
    "danger",
    "what",
    "hurt",
    "who",
    "staff",
    "where",
    "when",
    "more",
    "contact",
    "identity",
)
# "Is anyone in danger right now?": the reporter ("yes"), someone else, or nobody ("no").
DANGER_ANSWERS = ("yes", "someone_else", "no")
SOMEONE_IN_DANGER = frozenset({"yes", "someone_else"})
HURT_ANSWERS = ("yes", "no")  # "Is anyone hurt?": the policy's injured flag
WHO_ANSWERS = ("me", "someone_else")
CONTACT_ANSWERS = ("anonymous", "contact_me")
ELSEWHERE = "elsewhere"  # "somewhere else, or I am not sure" for where it happened
MAX_NAME_CHARS = 100
MAX_PRISON_NUMBER_CHARS = 20

Answer = str | list[str] | dict[str, str]
FormValues = Mapping[str, Sequence[str]]


def clean_answer(question: str, values: FormValues, *, location_ids: Sequence[int]) -> Answer:
    """The answer to ``question`` from submitted form values, or InvalidSubmission naming
    the problem. Choice questions submit ``answer``; "more" submits ``details``; "identity"
    submits ``name`` and ``prison_number``."""
    choices = [v for v in values.get("answer", []) if v]
    if question == "what":
        if not choices:
            raise answer_problem(question, "required")
        if not all(c in CONCERNS_BY_ID for c in choices):
            raise answer_problem(question, "unknown_choice")
        return list(dict.fromkeys(choices))
    if question == "more":
        details = _text(values, "details")
        if len(details) > MAX_DETAILS_CHARS:
            raise answer_problem(question, "too_long")
        return details
    if question == "identity":
        return _clean_identity(values)
    allowed = _choices_for(question, location_ids)
    if not choices:
        raise answer_problem(question, "required")
    if len(choices) != 1 or choices[0] not in allowed:
        raise answer_problem(question, "unknown_choice")
    return choices[0]


def _choices_for(question: str, location_ids: Sequence[int]) -> tuple[str, ...]:
    by_question: dict[str, tuple[str, ...]] = {
        "danger": DANGER_ANSWERS,
        "hurt": HURT_ANSWERS,
        "who": WHO_ANSWERS,
        "staff": STAFF_INVOLVED_ANSWERS,
        "where": (*(str(i) for i in location_ids), ELSEWHERE),
        "when": WHEN_ANSWERS,
        "contact": CONTACT_ANSWERS,
    }
    if question not in by_question:
        raise answer_problem(question, "unknown_question")
    return by_question[question]


def _clean_identity(values: FormValues) -> dict[str, str]:
    name = " ".join(_text(values, "name").split())
    number = "".join(_text(values, "prison_number").split()).upper()
    problems = []
    if not name:
        problems.append(FieldProblem("name", "required"))
    elif len(name) > MAX_NAME_CHARS:
        problems.append(FieldProblem("name", "too_long"))
    if len(number) > MAX_PRISON_NUMBER_CHARS:
        problems.append(FieldProblem("prison_number", "too_long"))
    if problems:
        raise InvalidSubmission(problems)
    return {"name": name, "prison_number": number}


def _text(values: FormValues, name: str) -> str:
    given = values.get(name, [])
    return given[0].strip() if given else ""


def answer_problem(question: str, code: str) -> InvalidSubmission:
    return InvalidSubmission([FieldProblem(question, code)])
