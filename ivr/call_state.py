"""A call's state as the state machine (ivr.flow) sees it, and what a key leads to."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ivr.prompts import WING_PAGE_SIZE
from ivr.steps import Effect, Step
from safeguarding.calls import CallAnswers


@dataclass
class CallState:
    step: Step
    language: str | None
    answers: CallAnswers
    mode: str = "report"  # report | follow_up
    has_report: bool = False
    nav: dict[str, Any] = field(default_factory=dict)  # menu page and the like

    @property
    def page(self) -> int:
        return int(self.nav.get("page", 0))

    @property
    def wings(self) -> list[int]:
        """The establishment's wings (location ids) as the call first found them."""
        return [int(w) for w in self.nav.get("wings", [])]

    @property
    def wing_page(self) -> list[int]:
        start = int(self.nav.get("wing_page", 0)) * WING_PAGE_SIZE
        return self.wings[start : start + WING_PAGE_SIZE]

    def navigation_json(self) -> str:
        return json.dumps(self.nav, sort_keys=True)


@dataclass
class Outcome:
    step: Step
    effect: Effect = Effect.NONE
    preface: list[str] = field(default_factory=list)  # names of prompts said first
    chosen_language: str | None = None
    entered_code: str | None = None
    answer: str | None = None  # for Effect.SAVE_WISH: the answer to the step just left


Action = Callable[[CallState], Outcome]
