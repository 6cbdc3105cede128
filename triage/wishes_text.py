"""The person's wishes and feelings (issue 15.1) in the reader's language, for the case page."""

from __future__ import annotations

from dataclasses import dataclass

from safeguarding.wishes import DID_WE, SAFER, SHARING, WANTS, Feelings, Wishes
from translations.i18n import _


@dataclass(frozen=True)
class WishesPanel:
    wants: list[str]  # the person's own choices, in the reader's language
    sharing: str | None
    did_we: str | None
    safer: str | None
    asked: bool  # the person answered at least once


def wishes_panel(wishes: Wishes | None, feelings: Feelings | None) -> WishesPanel:
    return WishesPanel(
        wants=[_(WANTS[key]) for key in wishes.wants] if wishes else [],
        sharing=_(SHARING[wishes.sharing]) if wishes and wishes.sharing else None,
        did_we=_(DID_WE[feelings.did_we]) if feelings and feelings.did_we else None,
        safer=_(SAFER[feelings.safer]) if feelings and feelings.safer else None,
        asked=wishes is not None or feelings is not None,
    )


def wishes_sentence(opened: Wishes | Feelings) -> str:
    """One timeline entry: what the person chose, quoted in the reader's language."""
    # Translators: on a case timeline: the prisoner skipped this question.
    not_said = _("not answered")
    if isinstance(opened, Wishes):
        wants = "; ".join(_(WANTS[key]) for key in opened.wants) or not_said
        sharing = _(SHARING[opened.sharing]) if opened.sharing else not_said
        # Translators: a timeline entry on a case: the prisoner's choices after their report.
        return _(
            "What they want to happen: %(wants)s. May we tell other people if we need to? "
            "%(sharing)s.",
            wants=wants,
            sharing=sharing,
        )
    did_we = _(DID_WE[opened.did_we]) if opened.did_we else not_said
    safer = _(SAFER[opened.safer]) if opened.safer else not_said
    # Translators: a timeline entry on a case: the prisoner's answers when they came back.
    return _(
        "Did we do what they wanted? %(did_we)s. Do they feel safer? %(safer)s.",
        did_we=did_we,
        safer=safer,
    )
