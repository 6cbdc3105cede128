"""Checks of the configuration alone: keys, the public address, SMTP."""

from __future__ import annotations

import smtplib
import ssl
from urllib.parse import urlsplit

from safereport.checks.findings import Finding
from safereport.config import Config
from storage.crypto import KeyConfigError, Secrets, load_or_create_keyfile, secrets_from

SMTP_TIMEOUT_SECONDS = 5


def check_keys(config: Config) -> tuple[list[Finding], Secrets | None]:
    """Keys from the environment or a 0600 key file; never from the database."""
    path = config.keyfile_path
    from_env = config.data_key and config.code_pepper and config.session_secret
    if not from_env and not path.exists():
        return [
            Finding.missing(
                "keys",
                f"no key file at {path} and the keys are not in the environment",
                "run `safereport db upgrade` once to create the key file (mode 0600), or set "
                "SAFEREPORT_DATA_KEY, SAFEREPORT_CODE_PEPPER and SAFEREPORT_SECRET_KEY",
            )
        ], None
    try:
        keyfile = load_or_create_keyfile(path) if path.exists() else {}
        secrets = secrets_from(
            keyfile,
            data_key_env=config.data_key,
            code_pepper_env=config.code_pepper,
            session_secret_env=config.session_secret,
        )
    except KeyConfigError as error:
        return [
            Finding.missing("keys", str(error), f"chmod 600 {path}, or fix the value named")
        ], None
    where = "the environment" if from_env else f"{path} (mode 0600)"
    return [Finding.ok("keys", f"keys read from {where}")], secrets


def check_public_url(config: Config, *, production: bool) -> list[Finding]:
    url = config.public_base_url
    if not url:
        return [
            Finding.risky(
                "public URL",
                "SAFEREPORT_PUBLIC_BASE_URL is not set: Twilio's signatures are checked against "
                "the address each request arrives on",
                "set SAFEREPORT_PUBLIC_BASE_URL to the https address Twilio calls "
                "(or SAFEREPORT_TRUSTED_PROXY_HOPS behind a proxy that sets X-Forwarded-*)",
            )
        ]
    if urlsplit(url).scheme != "https":
        detail = f"{url} is not https: sign-in cookies and webhooks would travel in clear"
        fix = "serve SafeReport behind TLS and set an https SAFEREPORT_PUBLIC_BASE_URL"
        return [
            Finding.missing("public URL", detail, fix)
            if production
            else Finding.risky("public URL", detail, fix)
        ]
    return [Finding.ok("public URL", url)]


def check_smtp(config: Config, *, production: bool) -> list[Finding]:
    if not config.smtp_host:
        return [
            Finding.risky(
                "SMTP",
                "SAFEREPORT_SMTP_HOST is not set: no alert or setup link is sent by email",
                "set SAFEREPORT_SMTP_HOST (and _PORT, _USERNAME, _PASSWORD)",
            )
        ]
    where = f"{config.smtp_host}:{config.smtp_port}"
    try:
        _probe_smtp(config)
    except (OSError, smtplib.SMTPException, ssl.SSLError) as error:
        detail = f"cannot use the SMTP server at {where} ({type(error).__name__}: {error})"
        fix = "check the SMTP host, port, STARTTLS, CA file and credentials"
        return [
            Finding.missing("SMTP", detail, fix)
            if production
            else Finding.risky("SMTP", detail, fix)
        ]
    if not config.smtp_starttls:
        return [
            Finding.risky(
                "SMTP",
                f"{where} answers, but without STARTTLS: mail would travel in clear",
                "set SAFEREPORT_SMTP_STARTTLS=true",
            )
        ]
    return [Finding.ok("SMTP", f"{where} answers with STARTTLS")]


def _probe_smtp(config: Config) -> None:
    assert config.smtp_host is not None
    with smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        smtp.ehlo()
        if config.smtp_starttls:
            context = ssl.create_default_context(cafile=config.smtp_ca_file)
            smtp.starttls(context=context)
            smtp.ehlo()
        if config.smtp_username and config.smtp_password:
            smtp.login(config.smtp_username, config.smtp_password)
        smtp.noop()
