"""Sending: SMTP for email, Twilio's REST API for SMS and voice calls, or a local log in demo."""

from __future__ import annotations

import json
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any, Protocol

from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from twilio.twiml.voice_response import Gather, VoiceResponse

TWILIO_API = "https://api.twilio.com"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    starttls: bool
    username: str | None
    password: str | None
    ca_file: str | None
    sender: str


class Sender(Protocol):
    def email(self, *, to: str, subject: str, body: str) -> None: ...
    def sms(self, *, to: str, body: str) -> None: ...
    def call(self, *, to: str, twiml: str) -> None: ...


def send_email(settings: SmtpSettings, *, to: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="safereport")
    message.set_content(body)
    with smtplib.SMTP(settings.host, settings.port, timeout=15) as smtp:
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context(cafile=settings.ca_file))
        if settings.username:
            smtp.login(settings.username, settings.password or "")
        smtp.send_message(message)


class GatewayHttpClient(TwilioHttpClient):  # type: ignore[misc]
    """Sends Twilio's REST requests to another base URL (a compatible gateway, or a loopback
    recorder in tests) instead of api.twilio.com."""

    def __init__(self, base_url: str) -> None:
        super().__init__(timeout=15)
        self.base_url = base_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        if url.startswith(TWILIO_API):
            url = self.base_url + url.removeprefix(TWILIO_API)
        return super().request(method, url, *args, **kwargs)


def twilio_client(account_sid: str, auth_token: str, api_base: str | None) -> Client:
    http_client = GatewayHttpClient(api_base) if api_base else TwilioHttpClient(timeout=15)
    return Client(account_sid, auth_token, http_client=http_client)


def alert_call_twiml(spoken: str, *, acknowledge_url: str, language: str = "en-GB") -> str:
    """Say the alert, take 1 to acknowledge, and say it again once if nothing is pressed."""
    response = VoiceResponse()
    for _ in range(2):
        gather = Gather(num_digits=1, action=acknowledge_url, method="POST", timeout=10)
        gather.say(spoken, language=language)
        response.append(gather)
    return str(response)


class LiveSender:
    def __init__(
        self, smtp: SmtpSettings | None, twilio: Client | None, from_number: str | None
    ) -> None:
        self.smtp, self.twilio, self.from_number = smtp, twilio, from_number

    def email(self, *, to: str, subject: str, body: str) -> None:
        if self.smtp is None:
            raise RuntimeError("email is not configured (SAFEREPORT_SMTP_HOST)")
        send_email(self.smtp, to=to, subject=subject, body=body)

    def sms(self, *, to: str, body: str) -> None:
        self._twilio().messages.create(to=to, from_=self.from_number, body=body)

    def call(self, *, to: str, twiml: str) -> None:
        self._twilio().calls.create(to=to, from_=self.from_number, twiml=twiml)

    def _twilio(self) -> Client:
        if self.twilio is None or not self.from_number:
            raise RuntimeError(
                "Twilio alerts are not configured (TWILIO_*, SAFEREPORT_TWILIO_FROM_NUMBER)"
            )
        return self.twilio


class DemoSender:
    """The demo has no SMTP relay or Twilio account: alerts are written to a local file,
    one JSON line each, so that trying the demo shows what would have been sent."""

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path

    def _write(self, record: dict[str, str]) -> None:
        with self.log_path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")

    def email(self, *, to: str, subject: str, body: str) -> None:
        self._write({"channel": "email", "to": to, "subject": subject, "body": body})

    def sms(self, *, to: str, body: str) -> None:
        self._write({"channel": "sms", "to": to, "body": body})

    def call(self, *, to: str, twiml: str) -> None:
        self._write({"channel": "voice", "to": to, "twiml": twiml})
