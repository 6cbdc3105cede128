"""What the person wants to happen, in their own choices (issue 15.1; Care Act "Making
Safeguarding Personal").

Asked only after the report is safe: at the kiosk after Sent, on the phone after the code is
read out, and again when the person comes back with their code ("Did we do what you
wanted?", "Do you feel safer?"). Every question may be skipped; an unanswered question is
"not asked", never a guess. The answers are sealed on the timeline like the person's own
words: "tell the police" or "move me" is as sensitive as what happened.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from safeguarding.checkins import at_least_high
from safeguarding.clock import Clock
from safeguarding.errors import FieldProblem, InvalidSubmission
from safeguarding.i18n import N_
from safeguarding.new_information import note_new_information
from safeguarding.policy import Policy
from storage.crypto import Vault
from storage.models import Report, TimelineEvent
from storage.repositories.audit import append_audit
from storage.repositories.reports import add_timeline_event
from storage.sealed_fields import TIMELINE_BODY

WISHES_KIND = "reporter_wishes"
FEELINGS_KIND = "reporter_feelings"

JUST_KNOW = "just_know"
# Easy Read, the person's own voice: what they may choose (more than one, except JUST_KNOW).
WANTS = {
    # Translators: one choice for "What do you want to happen?", Easy Read, said by the prisoner.
    "stop": N_("Make it stop"),
    # Translators: one choice for "What do you want to happen?", Easy Read, said by the prisoner.
    "move": N_("Move me"),
    # Translators: one choice for "What do you want to happen?", Easy Read, said by the prisoner.
    "talk": N_("Talk to someone"),
    # Translators: one choice for "What do you want to happen?", Easy Read, said by the prisoner.
    "police": N_("Tell the police"),
    # Translators: one choice for "What do you want to happen?", Easy Read, said by the prisoner.
    JUST_KNOW: N_("Nothing yet. I just want you to know"),
}

# "Can we tell other people, like the police or healthcare, if we need to?"
SHARING = {
    # Translators: an answer to "Can we tell other people if we need to?", said by the prisoner.
    "yes": N_("Yes"),
    # Translators: an answer to "Can we tell other people if we need to?", said by the prisoner.
    "no": N_("No"),
    # Translators: an answer to "Can we tell other people if we need to?", said by the prisoner.
    "ask_me": N_("Ask me first"),
}

# Asked when the person comes back with their code.
DID_WE = {
    # Translators: an answer to "Did we do what you wanted?", said by the prisoner.
    "yes": N_("Yes"),
    # Translators: an answer to "Did we do what you wanted?", said by the prisoner.
    "partly": N_("Some of it"),
    # Translators: an answer to "Did we do what you wanted?", said by the prisoner.
    "no": N_("No"),
}
NOT_SAFER = "no"
SAFER = {
    # Translators: an answer to "Do you feel safer?", said by the prisoner.
    "yes": N_("Yes"),
    # Translators: an answer to "Do you feel safer?", said by the prisoner.
    "no": N_("No"),
    # Translators: an answer to "Do you feel safer?", said by the prisoner.
    "not_sure": N_("I am not sure"),
}


@dataclass(frozen=True)
class Wishes:
    wants: tuple[str, ...]  # keys of WANTS, in WANTS order; empty when skipped
    sharing: str | None  # a key of SHARING, or None when skipped


@dataclass(frozen=True)
class Feelings:
    did_we: str | None  # a key of DID_WE, or None when skipped
    safer: str | None  # a key of SAFER, or None when skipped


def chosen_wants(chosen: list[str]) -> tuple[str, ...]:
    """The choices in a fixed order. "I just want you to know" stands alone."""
    wanted = [key for key in WANTS if key in set(chosen)]
    unknown = set(chosen) - set(WANTS)
    if unknown or (JUST_KNOW in wanted and len(wanted) > 1):
        raise InvalidSubmission([FieldProblem("wants", "invalid")])
    return tuple(wanted)


def record_wishes(
    session: Session,
    *,
    report: Report,
    wants: list[str],
    sharing: str | None,
    channel: str,
    vault: Vault,
    clock: Clock,
) -> None:
    """Keep what the person wants (asked just after the report was made). Each answer
    replaces the one before: the newest is what the case page shows."""
    wishes = Wishes(wants=chosen_wants(wants), sharing=_one_of(sharing, SHARING, "sharing"))
    if not wishes.wants and wishes.sharing is None:
        return  # both skipped: nothing was said, so nothing is kept
    body = {"wants": list(wishes.wants), "sharing": wishes.sharing}
    _seal_event(session, report, WISHES_KIND, body, channel=channel, vault=vault, clock=clock)
    _audit(session, report, "report.wishes_recorded", channel, clock)


def record_feelings(
    session: Session,
    *,
    report: Report,
    did_we: str | None,
    safer: str | None,
    channel: str,
    vault: Vault,
    policy: Policy,
    clock: Clock,
) -> None:
    """The person came back and said whether we did what they wanted and whether they feel
    safer. It is new information: whoever works the case is told, a closed case reopens.
    "I do not feel safer" is the reporter's side of a retaliation check-in
    (safeguarding.checkins): the case becomes at least high priority."""
    feelings = Feelings(
        did_we=_one_of(did_we, DID_WE, "did_we"), safer=_one_of(safer, SAFER, "safer")
    )
    if feelings.did_we is None and feelings.safer is None:
        return
    body = {"did_we": feelings.did_we, "safer": feelings.safer}
    _seal_event(session, report, FEELINGS_KIND, body, channel=channel, vault=vault, clock=clock)
    _audit(session, report, "report.feelings_recorded", channel, clock)
    if feelings.safer == NOT_SAFER:
        at_least_high(report)  # before the clocks restart: they run at the new priority
    note_new_information(session, report=report, channel=channel, policy=policy, clock=clock)


def latest_wishes(report: Report, vault: Vault) -> Wishes | None:
    body = _latest_body(report, WISHES_KIND, vault)
    return None if body is None else _wishes_from(body)


def latest_feelings(report: Report, vault: Vault) -> Feelings | None:
    body = _latest_body(report, FEELINGS_KIND, vault)
    return None if body is None else _feelings_from(body)


def opened_wishes(event: TimelineEvent, vault: Vault) -> Wishes | Feelings | None:
    """A wishes or feelings event opened for the timeline (None for any other event)."""
    if event.kind == WISHES_KIND:
        return _wishes_from(_open(event, vault))
    if event.kind == FEELINGS_KIND:
        return _feelings_from(_open(event, vault))
    return None


def _wishes_from(body: dict[str, object]) -> Wishes:
    wants = body.get("wants")
    chosen = wants if isinstance(wants, list) else []
    return Wishes(
        wants=tuple(key for key in WANTS if key in chosen),
        sharing=_known(body.get("sharing"), SHARING),
    )


def _feelings_from(body: dict[str, object]) -> Feelings:
    return Feelings(
        did_we=_known(body.get("did_we"), DID_WE), safer=_known(body.get("safer"), SAFER)
    )


def _known(value: object, allowed: dict[str, str]) -> str | None:
    return value if isinstance(value, str) and value in allowed else None


def _one_of(answer: str | None, allowed: dict[str, str], field: str) -> str | None:
    if answer is None or answer == "":
        return None
    if answer not in allowed:
        raise InvalidSubmission([FieldProblem(field, "invalid")])
    return answer


def _seal_event(
    session: Session,
    report: Report,
    kind: str,
    body: Mapping[str, object],
    *,
    channel: str,
    vault: Vault,
    clock: Clock,
) -> None:
    event = add_timeline_event(
        session, report, kind=kind, actor=f"reporter:{channel}", at=clock.now()
    )
    TIMELINE_BODY.seal(vault, event, json.dumps(body, separators=(",", ":")).encode("utf-8"))
    session.flush()


def _audit(session: Session, report: Report, action: str, channel: str, clock: Clock) -> None:
    append_audit(
        session,
        at=clock.now(),
        actor=f"reporter:{channel}",
        action=action,
        report_id=report.id,
        establishment_id=report.establishment_id,  # the report is at hand: no second read
    )


def _latest_body(report: Report, kind: str, vault: Vault) -> dict[str, object] | None:
    events = [event for event in report.events if event.kind == kind]
    if not events:
        return None
    newest = max(events, key=lambda event: (event.at, event.id))
    return _open(newest, vault)


def _open(event: TimelineEvent, vault: Vault) -> dict[str, object]:
    plain = TIMELINE_BODY.open(vault, event)
    if plain is None:
        return {}
    value = json.loads(plain)
    return value if isinstance(value, dict) else {}
