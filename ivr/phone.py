"""A phone for the terminal (``safereport call``): follows the app's TwiML like Twilio.

Requests go to the real IVR routes, in this process, signed with the line's auth token
exactly as Twilio signs them. Prompts are shown as text (and played with ffplay when
asked); the caller answers with keys. A voice message is a spoken sample sentence,
stored where the simulator keeps its recordings so that the worker can fetch it.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import click
from flask import Flask
from twilio.request_validator import RequestValidator

from ivr.recordings import DEMO_ACCOUNT_SID
from ivr.settings import EXTENSION, IvrSettings
from ivr.simulator import sample_message, store_recording
from speech.cache import text_key
from translations.languages import LANGUAGES

CALLER_NUMBER = "+447700900000"  # Ofcom's drama range: never a real mobile


@dataclass
class TerminalCaller:
    scripted: list[str] | None = None  # answers given in advance; None: ask
    play: bool = False
    said: list[str] = field(default_factory=list)

    def answer(self, question: str) -> str:
        if self.scripted is not None:
            given = self.scripted.pop(0) if self.scripted else "h"
            click.echo(f"{question} {given}")
            return given.strip()
        return str(click.prompt(question, default="", show_default=False)).strip()


def run_call(app: Flask, *, to: str, caller: TerminalCaller) -> str:
    settings: IvrSettings = app.extensions[EXTENSION]
    if not settings.auth_token:
        raise click.ClickException("the phone line has no auth token (TWILIO_AUTH_TOKEN)")
    phone = _Phone(app, settings, to, caller)
    return phone.run()


class _Phone:
    def __init__(self, app: Flask, settings: IvrSettings, to: str, caller: TerminalCaller):
        self.client = app.test_client()
        self.settings = settings
        self.base = (settings.public_base_url or "http://127.0.0.1:5000").rstrip("/")
        self.validator = RequestValidator(settings.auth_token)
        self.caller = caller
        self.sid = "CA" + secrets.token_hex(16)
        self.params = {
            "AccountSid": DEMO_ACCOUNT_SID,
            "CallSid": self.sid,
            "From": CALLER_NUMBER,
            "To": to,
            "CallStatus": "in-progress",
            "Direction": "inbound",
            "ApiVersion": "2010-04-01",
        }
        with app.app_context():
            from ivr.commands import phone_inventory

            self.texts = {
                (code, text_key(line.text, code)): line.text
                for code in [language.code for language in LANGUAGES]
                for line in phone_inventory(code)
            }
        self.instance = app.instance_path

    def post(self, url: str, extra: dict[str, str] | None = None) -> str:
        params = {**self.params, **(extra or {})}
        signature = self.validator.compute_signature(url, params)
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = self.client.post(
            path, data=params, headers={"X-Twilio-Signature": signature}, base_url=self.base
        )
        if response.status_code != 200:
            raise click.ClickException(f"{path} answered {response.status_code}")
        return response.get_data(as_text=True)

    def run(self) -> str:
        url, extra = f"{self.base}/ivr/voice", None
        ended = "hung up by the line"
        while True:
            document = self.post(url, extra)
            following = self._follow(url, document)
            if following is None:
                break
            if following[0] == "":
                ended = "you hung up"
                break
            url, extra = following
        self.post(f"{self.base}/ivr/status", {"CallStatus": "completed", "CallDuration": "60"})
        return ended

    def _follow(self, url: str, document: str) -> tuple[str, dict[str, str]] | None:
        for verb in ET.fromstring(document):  # noqa: S314 (our own app's answer)
            if verb.tag == "Gather":
                for nested in verb:
                    self._hear(nested)
                keys = self.caller.answer("keys (empty: silence, h: hang up)>")
                if keys == "h":
                    return "", {}
                if keys:
                    digits = twilio_digits(keys, verb.get("numDigits"), verb.get("finishOnKey"))
                    return urljoin(url, verb.get("action", url)), {"Digits": digits}
            elif verb.tag == "Record":
                answer = self.caller.answer("speak (rSECONDS, empty: say nothing, h: hang up)>")
                if answer == "h":
                    return "", {}
                if answer.startswith("r") and answer[1:].isdigit():
                    return self._record(url, verb, int(answer[1:]))
            elif verb.tag == "Redirect":
                return urljoin(url, (verb.text or "").strip()), {}
            elif verb.tag == "Hangup":
                return None
            else:
                self._hear(verb)
        return None

    def _record(self, url: str, verb: ET.Element, seconds: int) -> tuple[str, dict[str, str]]:
        recording_sid = "RE" + secrets.token_hex(16)
        store_recording(Path(self.instance), recording_sid, sample_message(self.settings))
        recording = {
            "RecordingSid": recording_sid,
            "RecordingUrl": f"{self.base}/ivr/simulator/recordings/{recording_sid}",
            "RecordingDuration": str(seconds),
        }
        callback = verb.get("recordingStatusCallback")
        if callback:
            self.post(urljoin(url, callback), {**recording, "RecordingStatus": "completed"})
        return urljoin(url, verb.get("action", url)), {**recording, "Digits": "#"}

    def _hear(self, verb: ET.Element) -> None:
        if verb.tag == "Pause":
            return
        value = (verb.text or "").strip()
        if verb.tag == "Say":
            click.echo(f"  (Twilio voice) {value}")
            return
        parts = value.split("/audio/prompts/")
        if len(parts) != 2:
            click.echo("  (your recorded message)")
            return
        language, name = parts[1].split("/")
        text = self.texts.get((language, name.split(".")[0]), "?")
        click.echo(f"  [{language}] {text}")
        if self.caller.play:
            _play(self.settings.renderer.cache_dir / language / name)


def twilio_digits(keys: str, num_digits: str | None, finish_on_key: str | None) -> str:
    """The ``Digits`` Twilio sends for these key presses at a <Gather>: up to numDigits, and
    never the finishOnKey ("#" unless the <Gather> says otherwise), which ends the input."""
    finish = "#" if finish_on_key is None else finish_on_key
    collected = keys.split(finish, 1)[0] if finish else keys
    return collected[: int(num_digits)] if num_digits else collected


def _play(path: Path) -> None:
    player = shutil.which("ffplay")
    if player is None:
        return
    # Our own cached file; no shell.
    subprocess.run(  # noqa: S603
        [player, "-nodisp", "-autoexit", "-loglevel", "quiet", str(path)], check=False
    )
