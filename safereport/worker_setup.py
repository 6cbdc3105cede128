"""Building the worker that ``safereport worker`` and ``safereport demo`` run."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from ivr.recordings import recording_handlers, sweep_deletes_left_at_provider
from safeguarding.draft_leaving import purge_expired_drafts
from safeguarding.services import Services
from safereport.config import Config
from safereport.notify.handlers import alert_sweeps, make_alert_handlers
from safereport.notify.prompt_mail import make_prompt_mail_handlers
from safereport.notify.staff_mail import make_staff_mail_handlers
from safereport.notify.transport import DemoSender, LiveSender, Sender, SmtpSettings, twilio_client
from safereport.worker import Handler, Worker


def build_worker(config: Config, services: Services, *, base_url: str) -> Worker:
    sender = build_sender(config)
    handlers: dict[str, Handler] = make_alert_handlers(sender=sender, base_url=base_url)
    handlers |= make_staff_mail_handlers(sender=sender, base_url=base_url)
    handlers |= make_prompt_mail_handlers(sender=sender, base_url=base_url)
    # Without Twilio credentials (and outside the demo) fetches and deletes wait.
    recordings = recording_handlers(config, base_url=base_url)
    handlers.update(recordings)
    sweeps = [*alert_sweeps(digest_hour_utc=config.digest_hour_utc), (DRAFT_SWEEP, _purge_drafts)]
    sweeps.append((STATISTICS_SWEEP, _refresh_statistics))
    if recordings and config.delete_recordings_at_provider:
        sweeps.append((DELETE_SWEEP, sweep_deletes_left_at_provider))
    return Worker(services, handlers, sweeps, lease=timedelta(seconds=config.worker_lease_seconds))


# Kiosk drafts are deleted when touched; this catches those nobody touches again (and
# files a report for one that says someone is in danger, safeguarding.draft_leaving).
DRAFT_SWEEP = timedelta(minutes=1)
# Recordings sealed before deleting at Twilio was switched on are asked for hourly.
DELETE_SWEEP = timedelta(hours=1)


# SQLite's planner statistics, refreshed when the worker starts and every six hours.
STATISTICS_SWEEP = timedelta(hours=6)


def _refresh_statistics(services: Services) -> None:
    services.db.refresh_planner_statistics()


def _purge_drafts(services: Services) -> None:
    # Run again when PostgreSQL rolls it back to end a deadlock (safeguarding.draft_leaving).
    services.db.retrying(partial(_purge_drafts_in_one_transaction, services))


def _purge_drafts_in_one_transaction(services: Services) -> None:
    with services.db.transaction() as session:
        purge_expired_drafts(
            session, secrets=services.secrets, policy=services.policy, clock=services.clock
        )


def build_sender(config: Config) -> Sender:
    smtp = (
        SmtpSettings(
            host=config.smtp_host,
            port=config.smtp_port,
            starttls=config.smtp_starttls,
            username=config.smtp_username,
            password=config.smtp_password,
            ca_file=config.smtp_ca_file,
            sender=config.mail_from,
        )
        if config.smtp_host
        else None
    )
    has_twilio = bool(config.twilio_account_sid and config.twilio_auth_token)
    if config.demo and smtp is None and not has_twilio:
        return DemoSender(config.instance_path / "demo-alerts.jsonl")
    client = (
        twilio_client(
            config.twilio_account_sid or "", config.twilio_auth_token or "", config.twilio_api_base
        )
        if has_twilio
        else None
    )
    return LiveSender(smtp, client, config.twilio_from_number)
