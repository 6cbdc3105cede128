"""Each phone webhook's call: finding or opening its row, its line's establishment, its
recordings, and the report it made or came back to.

The phone door (ivr/) reads and writes nothing in storage/ itself: these do it for it, in
the webhook's transaction, with no more reads than the door made before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from safeguarding.calls import (
    VoiceMessage,
    code_for_call,
    enqueue_recording_fetch,
    mark_voice_message_absent,
    replace_voice_message,
    take_voice_message,
)
from safeguarding.clock import Clock
from safeguarding.new_information import reporter_in_danger
from safeguarding.policy import Policy
from storage.crypto import Secrets, Vault
from storage.models import CallSession, Establishment, Report
from storage.repositories.calls import (
    establishment_of,
    find_call,
    find_phone_line,
    find_recording_by_provider_sid,
    latest_recording_of_call,
    list_phone_numbers,
    open_call,
)
from storage.sealed_fields import RECORDING_SOURCE_URL


@dataclass(frozen=True)
class CallLine:
    """What the phone line's languages depend on: the call's establishment, its languages
    and its ``<Say>`` voices (as stored; speech.say_voices reads them)."""

    establishment_id: int
    language_codes: tuple[str, ...]
    say_voices: str
    # Held for the request, never read by the door: the session's identity map keeps only
    # weak references, so without it a later read of the establishment in this webhook
    # (the caller's number, the report) would query it again.
    held: Establishment = field(repr=False, compare=False)


def open_call_on_line(
    session: Session,
    *,
    dialled: str,
    call_sid: str,
    nonce: str,
    at: datetime,
    pepper: bytes,
    vault: Vault,
) -> CallSession | None:
    """The call on the line dialled (found again when Twilio delivers its first webhook
    twice, else created); None when no line has that number or Twilio sent no CallSid."""
    line = find_phone_line(session, dialled)
    if line is None or not call_sid:
        return None
    return open_call(
        session, call_sid=call_sid, line=line, nonce=nonce, at=at, pepper=pepper, vault=vault
    )


def call_of_webhook(session: Session, call_sid: str, *, pepper: bytes) -> CallSession | None:
    """The call a webhook is about, locked so two deliveries apply one at a time."""
    return find_call(session, call_sid, pepper=pepper, for_update=True)


def line_of_call(session: Session, call: CallSession) -> CallLine:
    """The call's establishment (one read); hold what this returns for the whole request."""
    establishment = establishment_of(session, call)
    return CallLine(
        establishment_id=establishment.id,
        language_codes=tuple(establishment.language_codes),
        say_voices=establishment.say_voices,
        held=establishment,
    )


def phone_line_numbers(session: Session) -> list[str]:
    """Every phone line's number, oldest first (the simulator's choice of number to dial)."""
    return list_phone_numbers(session)


def record_again(session: Session, *, call: CallSession, clock: Clock) -> None:
    """The caller chose to record their message again: their latest one is marked replaced."""
    latest = latest_recording_of_call(session, call)
    if latest is not None:
        replace_voice_message(session, recording=latest, clock=clock)


def own_recording_url(session: Session, *, call: CallSession, vault: Vault) -> str | None:
    """Where Twilio keeps the caller's latest message, to play it back to them on this call."""
    latest = latest_recording_of_call(session, call)
    if latest is None or latest.source_url_sealed is None:
        return None
    return RECORDING_SOURCE_URL.open_text(vault, latest)


def recording_status_reported(
    session: Session,
    *,
    call: CallSession | None,
    status: str,
    provider_sid: str,
    message: VoiceMessage | None,
    kind: str,
    secrets: Secrets,
    policy: Policy,
    clock: Clock,
) -> None:
    """Twilio's word on a recording: ready ("completed": taken if the <Record> callback was
    missed, then fetched) or not kept ("absent": the report must not wait for it)."""
    recording = find_recording_by_provider_sid(session, provider_sid) if provider_sid else None
    if status == "completed":
        if recording is not None:
            enqueue_recording_fetch(session, recording, at=clock.now())
        elif message is not None and call is not None and call.language is not None:
            take_voice_message(
                session, call=call, message=message, secrets=secrets, policy=policy,
                clock=clock, kind=kind,
            )  # fmt: skip
    elif status == "absent" and recording is not None:
        mark_voice_message_absent(session, recording=recording)


def caller_in_danger(session: Session, *, call: CallSession, policy: Policy, clock: Clock) -> None:
    """The caller said someone is in danger now: the report this call made, or came back
    to, becomes immediate (safeguarding.new_information)."""
    if call.report_id is None:
        return
    report = session.get(Report, call.report_id)
    assert report is not None  # a foreign key
    reporter_in_danger(session, report=report, channel="phone", policy=policy, clock=clock)


def code_of_call(session: Session, *, call: CallSession, secrets: Secrets) -> str:
    """The follow-up code of the report this call made, to read out."""
    report = session.get(Report, call.report_id) if call.report_id is not None else None
    assert report is not None  # asked only of a call that made a report
    return code_for_call(call, report, secrets)
