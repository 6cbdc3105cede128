"""Configuration from SAFEREPORT_* environment variables, with an instance folder for state."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path


@dataclass(frozen=True)
class Config:
    instance_path: Path
    database_url: str
    # False behind PgBouncer in transaction mode: psycopg then prepares no statements.
    database_prepared_statements: bool = True
    policy_file: Path | None = None
    data_key: str | None = None  # base64 AES-256 key; else the instance key file
    code_pepper: str | None = None
    session_secret: str | None = None
    audit_key: str | None = None  # base64, >= 32 bytes; else the instance key file
    index_key: str | None = None  # base64, 32 bytes: blind indexes; else the key file
    twilio_auth_token: str | None = None
    twilio_account_sid: str | None = None
    public_base_url: str | None = None  # e.g. https://safereport.example.gov.uk
    trusted_proxy_hops: int = 0  # >0 only behind a proxy that sets X-Forwarded-*
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    smtp_ca_file: str | None = None  # trust this CA instead of the system's (private relays)
    mail_from: str = "safereport@localhost"
    twilio_from_number: str | None = None  # the number alerts are sent and called from
    twilio_api_base: str | None = None  # a Twilio-compatible gateway; tests use loopback
    digest_hour_utc: int = 7
    worker_lease_seconds: int = 120  # a message claimed by a worker that died is retried after
    # Delete each voice message at Twilio once it is sealed here. None: yes, except in the demo.
    delete_recordings_at_twilio: bool | None = None
    demo: bool = False
    testing: bool = False
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def keyfile_path(self) -> Path:
        return self.instance_path / "keys.json"

    @property
    def audio_cache_path(self) -> Path:
        return self.instance_path / "audio"

    @property
    def delete_recordings_at_provider(self) -> bool:
        if self.delete_recordings_at_twilio is None:
            return not self.demo
        return self.delete_recordings_at_twilio

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Config:
        env = os.environ if environ is None else environ
        instance = Path(env.get("SAFEREPORT_INSTANCE_PATH", "instance")).resolve()
        policy = env.get("SAFEREPORT_POLICY_FILE")
        return cls(
            instance_path=instance,
            database_url=env.get("SAFEREPORT_DATABASE_URL") or sqlite_url(instance),
            database_prepared_statements=_flag(env.get("SAFEREPORT_DATABASE_PREPARED_STATEMENTS"))
            is not False,
            policy_file=Path(policy) if policy else None,
            data_key=env.get("SAFEREPORT_DATA_KEY") or None,
            code_pepper=env.get("SAFEREPORT_CODE_PEPPER") or None,
            session_secret=env.get("SAFEREPORT_SECRET_KEY") or None,
            audit_key=env.get("SAFEREPORT_AUDIT_KEY") or None,
            index_key=env.get("SAFEREPORT_INDEX_KEY") or None,
            twilio_auth_token=env.get("TWILIO_AUTH_TOKEN") or None,
            twilio_account_sid=env.get("TWILIO_ACCOUNT_SID") or None,
            public_base_url=env.get("SAFEREPORT_PUBLIC_BASE_URL") or None,
            trusted_proxy_hops=int(env.get("SAFEREPORT_TRUSTED_PROXY_HOPS", "0")),
            smtp_host=env.get("SAFEREPORT_SMTP_HOST") or None,
            smtp_port=int(env.get("SAFEREPORT_SMTP_PORT", "587")),
            smtp_username=env.get("SAFEREPORT_SMTP_USERNAME") or None,
            smtp_password=env.get("SAFEREPORT_SMTP_PASSWORD") or None,
            smtp_starttls=env.get("SAFEREPORT_SMTP_STARTTLS", "true").lower() != "false",
            smtp_ca_file=env.get("SAFEREPORT_SMTP_CA_FILE") or None,
            mail_from=env.get("SAFEREPORT_MAIL_FROM", "safereport@localhost"),
            twilio_from_number=env.get("SAFEREPORT_TWILIO_FROM_NUMBER") or None,
            twilio_api_base=env.get("SAFEREPORT_TWILIO_API_BASE") or None,
            digest_hour_utc=int(env.get("SAFEREPORT_DIGEST_HOUR_UTC", "7")),
            worker_lease_seconds=int(env.get("SAFEREPORT_WORKER_LEASE_SECONDS", "120")),
            delete_recordings_at_twilio=_flag(env.get("SAFEREPORT_DELETE_RECORDINGS_AT_TWILIO")),
        )

    def with_changes(self, **changes: object) -> Config:
        return replace(self, **changes)  # type: ignore[arg-type]


def _flag(value: str | None) -> bool | None:
    """Unset or empty: the default. Anything but false/0/no/off: on."""
    if not value:
        return None
    return value.strip().lower() not in {"false", "0", "no", "off"}


def sqlite_url(instance_path: Path) -> str:
    return f"sqlite:///{instance_path / 'safereport.db'}"
