"""Run every check, in the order an operator would fix them."""

from __future__ import annotations

import hashlib
import hmac

from sqlalchemy.exc import SQLAlchemyError

from safeguarding.clock import Clock, SystemClock
from safeguarding.policy import load_policy
from safeguarding.services import Services
from safereport.checks.configuration import check_keys, check_public_url, check_smtp
from safereport.checks.establishments import (
    check_languages,
    check_on_call,
    check_phone_token,
    check_signature_round_trip,
)
from safereport.checks.findings import Finding
from safereport.config import Config
from storage.crypto import Secrets
from storage.db import Database
from storage.migrate import current_heads, script_heads
from storage.repositories.installation import establishment_readiness, read_fact, record_fact

PEPPER_FACT = "code_pepper_fingerprint"
BACKUPS = Finding.risky(
    "backups",
    "SafeReport cannot see your backups",
    "back up the database and the keys (key file or environment) to different places: "
    "either alone is useless, both together are everything (docs/deployment.md)",
)


def run_checks(config: Config, *, production: bool, clock: Clock | None = None) -> list[Finding]:
    findings, secrets = check_keys(config)
    findings += check_public_url(config, production=production)
    findings += check_smtp(config, production=production)
    try:
        db = Database.connect(
            config.database_url,
            audit_key=secrets.audit_key if secrets else b"",
            prepared_statements=config.database_prepared_statements,
        )
        db.ping()
    except SQLAlchemyError as error:
        findings.append(
            Finding.missing(
                "database",
                f"cannot reach the database ({type(error).__name__})",
                "check SAFEREPORT_DATABASE_URL and that the server is running",
            )
        )
        return [*findings, BACKUPS]
    try:
        findings += _database_checks(config, db, secrets, clock or SystemClock(), production)
    finally:
        db.dispose()
    return [*findings, BACKUPS]


def _database_checks(
    config: Config, db: Database, secrets: Secrets | None, clock: Clock, production: bool
) -> list[Finding]:
    behind = set(script_heads()) - set(current_heads(db.engine))
    if behind:
        return [
            Finding.missing(
                "migrations",
                f"the database is behind this release ({len(behind)} heads to apply)",
                "run `safereport db upgrade` (safe to run on several servers at once)",
            )
        ]
    findings = [Finding.ok("database", "reachable, migrations current")]
    if secrets is None:
        return findings
    findings.append(check_code_pepper(db, secrets, clock))
    with db.transaction() as session:
        places = establishment_readiness(session)
    findings += check_phone_token(places, config)
    findings += check_on_call(places, config, production=production)
    from safereport.app import create_app

    services = Services(db=db, secrets=secrets, policy=load_policy(config.policy_file), clock=clock)
    app = create_app(config, services=services)
    findings += check_signature_round_trip(app, config)
    findings += check_languages(app, places, config)
    return findings


def pepper_fingerprint(pepper: bytes) -> str:
    return hmac.new(pepper, b"safereport code pepper fingerprint", hashlib.sha256).hexdigest()


def check_code_pepper(db: Database, secrets: Secrets, clock: Clock) -> Finding:
    """Every follow-up code and device token hashes under the pepper: it must never change."""
    fingerprint = pepper_fingerprint(secrets.code_pepper)
    with db.transaction() as session:
        known = read_fact(session, PEPPER_FACT)
        if known is None:
            record_fact(session, name=PEPPER_FACT, value=fingerprint, at=clock.now())
            return Finding.ok("code pepper", "fingerprint recorded for later checks")
    if hmac.compare_digest(known, fingerprint):
        return Finding.ok("code pepper", "the same pepper as before")
    return Finding.missing(
        "code pepper",
        "the code pepper differs from the one this database was used with: every follow-up "
        "code, kiosk device and setup link would stop working",
        "restore the original SAFEREPORT_CODE_PEPPER or key file (it is never rotated)",
    )
