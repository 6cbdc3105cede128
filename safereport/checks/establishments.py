"""Checks of each establishment: who is paged, which languages work, the phone line's token."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask import Flask
from twilio.request_validator import RequestValidator

from ivr.languages import phone_languages
from ivr.prompts import inventory
from ivr.settings import renderer_for
from safeguarding.access import may_open_restricted
from safeguarding.prompt_recordings import StoredPrompts
from safereport.checks.findings import Finding
from safereport.config import Config
from safereport.prompt_wiring import kiosk_lines
from speech.cache import AudioFormat
from speech.inventory import PromptLine
from speech.render import SpeechRenderer
from storage.repositories.installation import EstablishmentReadiness
from translations.languages import BY_CODE, has_catalog

ROUND_TRIP_CALL = {"CallSid": "CA" + "0" * 32, "CallStatus": "ringing", "AccountSid": ""}


def check_on_call(
    places: Iterable[EstablishmentReadiness], config: Config, *, production: bool
) -> list[Finding]:
    findings = []
    can_text = bool(config.twilio_from_number and config.twilio_auth_token)
    can_email = bool(config.smtp_host)
    for place in places:
        item = f"on-call chain {place.code}"
        if not (place.phone_lines or place.kiosks):
            continue
        if place.contacts == 0:
            findings.append(
                Finding.missing(
                    item,
                    f"{place.name} takes reports but nobody is paged for an urgent one",
                    "add the lead, deputy and duty governor (Administration > On-call chain, or "
                    f"`safereport oncall add --establishment {place.code}`)",
                )
            )
            continue
        reachable = (can_text and place.contacts_with_phone) or (
            can_email and place.contacts_with_email
        )
        if not reachable:
            detail = (
                f"{place.name}: {place.contacts} on-call contacts, but neither SMS and "
                "calls (SAFEREPORT_TWILIO_FROM_NUMBER) nor email (SMTP) can reach them"
            )
            fix = "configure Twilio sending or SMTP, and give each contact a phone or email"
            findings.append(
                Finding.missing(item, detail, fix)
                if production
                else Finding.risky(item, detail, fix)
            )
            continue
        findings.append(Finding.ok(item, f"{place.contacts} contacts can be paged"))
        findings += _restricted_readers(place, item)
        findings += _independent_readers(place, item)
    return findings


def _restricted_readers(place: EstablishmentReadiness, item: str) -> list[Finding]:
    """A report naming staff pages only those who may open it (safeguarding/alerts.py)."""
    if any(may_open_restricted(role) for role in place.contact_roles):
        return []
    return [
        Finding.risky(
            item,
            f"{place.name}: nobody on call may open a report that may involve staff (the "
            "restricted queue), so such an emergency would page someone who cannot read it",
            "add the lead or the duty governor to the on-call chain",
        )
    ]


def _independent_readers(place: EstablishmentReadiness, item: str) -> list[Finding]:
    """A report naming the lead or a governor pages the independent reviewer alone
    (safeguarding/conflicts.py); without one, someone not named is woken instead."""
    if "independent_reviewer" in place.contact_roles:
        return []
    return [
        Finding.risky(
            item,
            f"{place.name}: no independent reviewer on call, so an emergency that names the "
            "lead or a governor would wake someone on call who may not open it",
            "add the independent reviewer for the establishment group to the on-call chain",
        )
    ]


def check_phone_token(places: Iterable[EstablishmentReadiness], config: Config) -> list[Finding]:
    with_lines = [place for place in places if place.phone_lines]
    if not with_lines:
        return [Finding.ok("Twilio", "no phone lines configured: no token needed")]
    names = ", ".join(place.code for place in with_lines)
    findings = []
    if not config.twilio_auth_token:
        findings.append(
            Finding.missing(
                "Twilio",
                f"TWILIO_AUTH_TOKEN is not set but {names} have phone lines: every call "
                "would be refused as forged",
                "set TWILIO_AUTH_TOKEN to the account's auth token",
            )
        )
    if not config.twilio_account_sid:
        findings.append(
            Finding.missing(
                "Twilio",
                "TWILIO_ACCOUNT_SID is not set: callers' voice messages cannot be fetched",
                "set TWILIO_ACCOUNT_SID to the account that owns the phone numbers",
            )
        )
    return findings


def check_signature_round_trip(app: Flask, config: Config) -> list[Finding]:
    """Sign a harmless status callback as Twilio would and send it through the app."""
    token = config.twilio_auth_token
    if not token:
        return []
    base = (config.public_base_url or "http://localhost").rstrip("/")
    url = base + "/ivr/status"
    signed = RequestValidator(token).compute_signature(url, ROUND_TRIP_CALL)
    forged = RequestValidator(token + "x").compute_signature(url, ROUND_TRIP_CALL)
    client = app.test_client()
    answers = [
        client.post(
            url, data=ROUND_TRIP_CALL, headers={"X-Twilio-Signature": signature}, base_url=base
        ).status_code
        for signature in (signed, forged)
    ]
    if answers != [200, 403]:
        return [
            Finding.missing(
                "Twilio signature",
                f"a request signed as Twilio signs it for {url} was answered "
                f"{answers[0]} (a forged one {answers[1]})",
                "make SAFEREPORT_PUBLIC_BASE_URL the exact address configured in Twilio",
            )
        ]
    return [Finding.ok("Twilio signature", f"signed request to {url} accepted, forged refused")]


def check_languages(
    app: Flask, places: Iterable[EstablishmentReadiness], config: Config
) -> list[Finding]:
    findings = []
    services = app.extensions["safereport"]
    installation = renderer_for(config, StoredPrompts(services.db))
    kiosk_sentences = kiosk_lines(lambda: services, lambda: app)
    with app.app_context():
        for place in places:
            no_catalog = [code for code in place.languages if not has_catalog(code)]
            if no_catalog:
                findings.append(
                    Finding.missing(
                        f"languages {place.code}",
                        f"offered without a compiled catalog: {', '.join(no_catalog)}",
                        "run scripts/translations compile, or stop offering them",
                    )
                )
            renderer = installation.scoped(place.id)
            if place.phone_lines:
                findings += _phone_languages(place, renderer)
            if place.kiosks:
                shown = [code for code in place.languages if has_catalog(code)]
                lines = {code: kiosk_sentences(code, place.id) for code in shown}
                findings += _rendered(_KIOSK, place, lines, renderer)
    return findings or [Finding.ok("languages", "every offered language has its catalog")]


def _phone_languages(place: EstablishmentReadiness, renderer: SpeechRenderer) -> list[Finding]:
    phone = phone_languages(
        place.languages,
        catalog_check=has_catalog,
        renderer=renderer,
        say_voices=json.loads(place.say_voices),
    )
    findings = [
        Finding.risky(
            f"languages {place.code}",
            f"{code} is offered but not on the phone line: {reason}",
            "upload recorded prompts (phone prompts page) or choose a Twilio voice",
        )
        for code, reason in phone.left_out.items()
    ]
    lines = {code: inventory(code, BY_CODE[code].native_name) for code in phone.offered}
    return findings + _rendered(_PHONE, place, lines, renderer)


@dataclass(frozen=True)
class _Door:
    item: str
    fmt: AudioFormat
    done: str
    not_done: str


_PHONE = _Door(
    "audio", "mp3", "every phone prompt is rendered on this server",
    "phone prompts not yet rendered on this server: {counts} "
    "(the first callers would wait while they are made)",
)  # fmt: skip
_KIOSK = _Door(
    "kiosk audio", "wav", "every sentence the kiosk's Listen says is rendered on this server",
    "kiosk sentences not yet rendered on this server: {counts} (the first person to touch "
    "Listen on a screen would wait while it is made)",
)  # fmt: skip


def _rendered(
    door: _Door,
    place: EstablishmentReadiness,
    lines_in: Mapping[str, list[PromptLine]],
    renderer: SpeechRenderer,
) -> list[Finding]:
    """Sentences that have audio (a voice or a recording) but none rendered yet, by language."""
    missing: dict[str, int] = {}
    for code, lines in lines_in.items():
        absent = [
            line
            for line in lines
            if renderer.has_audio(line.text, code)
            and renderer.cached(line.text, code, fmt=door.fmt) is None
        ]
        if absent:
            missing[code] = len(absent)
    item = f"{door.item} {place.code}"
    if not missing:
        return [Finding.ok(item, door.done)]
    counts = ", ".join(f"{code} {count}" for code, count in missing.items())
    return [
        Finding.risky(item, door.not_done.format(counts=counts), "run `safereport audio build`")
    ]
