"""Checks of each establishment: who is paged, which languages work, the phone line's token."""

from __future__ import annotations

import json
from collections.abc import Iterable

from flask import Flask
from twilio.request_validator import RequestValidator

from ivr.languages import phone_languages
from ivr.prompts import inventory
from ivr.settings import renderer_for
from safeguarding.access import may_open_restricted
from safeguarding.prompt_recordings import StoredPrompts
from safereport.checks.findings import Finding
from safereport.config import Config
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
    installation = renderer_for(config, StoredPrompts(app.extensions["safereport"].db))
    with app.app_context():
        for place in places:
            item = f"languages {place.code}"
            no_catalog = [code for code in place.languages if not has_catalog(code)]
            if no_catalog:
                findings.append(
                    Finding.missing(
                        item,
                        f"offered without a compiled catalog: {', '.join(no_catalog)}",
                        "run scripts/translations compile, or stop offering them",
                    )
                )
            if not place.phone_lines:
                continue
            renderer = installation.scoped(place.id)
            phone = phone_languages(
                place.languages,
                catalog_check=has_catalog,
                renderer=renderer,
                say_voices=json.loads(place.say_voices),
            )
            for code, reason in phone.left_out.items():
                findings.append(
                    Finding.risky(
                        item,
                        f"{code} is offered but not on the phone line: {reason}",
                        "upload recorded prompts (phone prompts page) or choose a Twilio voice",
                    )
                )
            findings += _rendered_audio(place, phone.offered, renderer)
    return findings or [Finding.ok("languages", "every offered language has its catalog")]


def _rendered_audio(
    place: EstablishmentReadiness, offered: list[str], renderer: SpeechRenderer
) -> list[Finding]:
    missing: dict[str, int] = {}
    for code in offered:
        lines = inventory(code, BY_CODE[code].native_name)
        absent = [line for line in lines if renderer.cached(line.text, code, fmt="mp3") is None]
        if absent:
            missing[code] = len(absent)
    if not missing:
        return [Finding.ok(f"audio {place.code}", "every phone prompt is rendered on this server")]
    counts = ", ".join(f"{code} {count}" for code, count in missing.items())
    return [
        Finding.risky(
            f"audio {place.code}",
            f"phone prompts not yet rendered on this server: {counts} "
            "(the first callers would wait while they are made)",
            "run `safereport audio build`",
        )
    ]
