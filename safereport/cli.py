"""The ``safereport`` command line."""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
from contextlib import AbstractContextManager
from typing import TextIO

import click

from ivr import commands as ivr_commands
from kiosk.commands import make_kiosk_commands
from posters.commands import poster
from safeguarding.services import Services
from safereport import cli_alerts as alerts_cli
from safereport.cli_languages import languages
from safereport.config import Config
from safereport.logs import configure_logging
from safereport.prompt_wiring import kiosk_lines, kiosk_lines_everywhere
from safereport.services import open_services
from safereport.worker_setup import build_worker
from triage import commands as triage_commands

DEMO_WORKER_THREAD = "safereport-demo-alert-worker"


def _services(config: Config | None = None) -> AbstractContextManager[Services]:
    return open_services(config or Config.from_env())


@click.group(help="SafeReport: safe reporting of abuse and risk in prisons.")
def main() -> None:
    configure_logging()


@main.command(help="Serve the app: the development server, or gunicorn with --production.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--production", is_flag=True, help="Serve with gunicorn, several workers.")
@click.option("--workers", type=int, default=None, help="gunicorn workers (default 2 x cores + 1).")
def serve(host: str, port: int, production: bool, workers: int | None) -> None:
    from safereport.app import create_app

    config = Config.from_env()
    if production:
        # Migrations are their own step (`db upgrade`); a server never changes the schema.
        _refuse_if_not_ready(config)
        _exec_gunicorn(host, port, workers or 2 * (os.cpu_count() or 1) + 1)
    with _services(config) as services:  # connections closed when the server stops
        _upgrade(services)
        # debug=False always: FLASK_DEBUG=1 would otherwise start the Werkzeug debugger, a
        # remote Python shell for anyone who can reach the port.
        create_app(config, services=services).run(host=host, port=port, debug=False)


def _exec_gunicorn(host: str, port: int, workers: int) -> None:
    """Replace this process with gunicorn. No --preload: the speech engine and database
    connections must be created in each worker, never inherited across a fork."""
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
    arguments = [gunicorn, "--bind", f"{host}:{port}", "--workers", str(workers),
                 "--timeout", "30", "--graceful-timeout", "20", "--no-control-socket",
                 "--access-logformat", '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms',
                 "safereport.wsgi:app"]  # fmt: skip
    os.execv(gunicorn, arguments)  # noqa: S606


def _refuse_if_not_ready(config: Config) -> None:
    from safereport.checks import blocking, format_findings, run_checks

    findings = run_checks(config, production=True)
    missing = blocking(findings)
    if missing:
        click.echo(format_findings(missing), err=True)
        raise click.ClickException(
            "refusing to serve in production until what is missing above is fixed "
            "(`safereport check --production` lists every item)"
        )


@main.command(help="Check the installation before go-live and after every change.")
@click.option("--production", is_flag=True, help="Judge as production: stricter.")
def check(production: bool) -> None:
    from safereport.checks import blocking, format_findings, run_checks

    findings = run_checks(Config.from_env(), production=production)
    click.echo(format_findings(findings))
    missing = blocking(findings)
    if missing:
        raise click.ClickException(f"{len(missing)} items block production")
    click.echo("nothing blocks production" if production else "nothing is missing")


@main.group(help="Database commands.")
def db() -> None:
    pass


@db.command("upgrade", help="Apply every migration to the configured database.")
def db_upgrade() -> None:
    with _services() as services:
        _upgrade(services)
    click.echo("database is up to date")


def _upgrade(services: Services) -> None:
    from storage.migrate import upgrade

    secrets = services.secrets
    upgrade(
        services.db.engine,
        audit_key=secrets.audit_key,
        vault=secrets.vault,
        code_pepper=secrets.code_pepper,
    )


@main.command(help="Set up HMP Demo on SQLite and serve it.")
@click.option("--host", default=None, help="[default: 127.0.0.1]")
@click.option("--port", default=None, type=int, help="[default: 5000]")
@click.option(
    "--print-urls",
    is_flag=True,
    help="Print the demo URLs as JSON and exit (at the address of the demo serving now).",
)
def demo(host: str | None, port: int | None, print_urls: bool) -> None:
    from safereport.demo import ensure_demo, links_as_urls
    from safereport.demo_address import remember_address, serving_address
    from translations.languages import offerable_languages

    config = Config.from_env().with_changes(demo=True)
    with _services(config) as services:
        _upgrade(services)
        links = ensure_demo(services, languages=offerable_languages())
    if print_urls:  # where the running demo serves, unless told otherwise
        host, port = serving_address(config.instance_path, host, port)
    else:
        host, port = host or "127.0.0.1", 5000 if port is None else port
    urls = links_as_urls(links, base=f"http://{host}:{port}")
    if print_urls:
        click.echo(json.dumps(urls, indent=2))
        return
    remember_address(config.instance_path, host, port)
    with _services(config) as services:  # connections closed when the demo stops
        _serve_demo(config, services, host, port, urls)


def _serve_demo(
    config: Config, services: Services, host: str, port: int, urls: dict[str, str | None]
) -> None:
    from safereport.app import create_app
    from safereport.demo_address import forget_address

    click.echo("SafeReport demo (HMP Demo) on SQLite at " + config.database_url)
    for name, value in urls.items():
        click.echo(f"  {name:<22} {value}")
    # The worker runs beside the demo server so that alerts are delivered (to
    # instance/demo-alerts.jsonl unless SMTP or Twilio is configured).
    stop = threading.Event()
    runner = build_worker(config, services, base_url=f"http://{host}:{port}")
    worker = threading.Thread(
        target=runner.run_forever, args=(stop,), name=DEMO_WORKER_THREAD, daemon=True
    )
    worker.start()
    try:
        create_app(config, services=services).run(host=host, port=port, debug=False)
    finally:
        stop.set()
        forget_address(config.instance_path)
        worker.join(timeout=10)  # its last round done before the connections are closed


@main.command(help="List reports (metadata only: never what a report says).")
@click.option("--json", "as_json", is_flag=True, help="One JSON array on standard output.")
def reports(as_json: bool) -> None:
    from storage.repositories.reports import list_report_metadata

    with _services() as services, services.db.transaction() as session:
        rows = list_report_metadata(session)
    records = [
        {
            "id": row.id,
            "establishment": row.establishment,
            "channel": row.channel,
            "language": row.language,
            "priority": row.priority,
            "queue": row.queue,
            "status": row.status,
            "created": row.created_at.isoformat(),
            "due": (row.acknowledge_due_at or row.triage_due_at).isoformat(),
        }
        for row in rows
    ]
    if as_json:
        click.echo(json.dumps(records, indent=2))
        return
    for record in records:
        click.echo(
            "{id:>6}  {establishment:<5} {channel:<6} {language:<3} {priority:<9} "
            "{queue:<10} {status:<12} due {due}".format(**record)
        )


@main.group(help="Data keys.")
def keys() -> None:
    pass


@keys.command("rotate", help="Make a new data key active and re-seal everything under it.")
def keys_rotate() -> None:
    from storage.rotation import rotate_data_key

    config = Config.from_env()
    if config.data_key:
        click.echo(
            "SAFEREPORT_DATA_KEY is set: rotate by changing it, not with this command.", err=True
        )
        sys.exit(2)
    with _services(config) as services:
        resealed = rotate_data_key(services.db, config.keyfile_path)
    click.echo(f"new data key active; {resealed} sealed values re-sealed")


@keys.command(
    "rotate-index",
    help="Make a new blind-index key active and index every person on a report again.",
)
def keys_rotate_index() -> None:
    from safeguarding.index_rotation import rotate_index_key

    config = Config.from_env()
    if config.index_key:
        click.echo(
            "SAFEREPORT_INDEX_KEY is set: this command rotates the key file's index keys only.",
            err=True,
        )
        sys.exit(2)
    with _services(config) as services:
        indexed, retired = rotate_index_key(
            services.db, services.secrets.vault, config.keyfile_path
        )
    click.echo(
        f"new index key active; {indexed} people indexed again; {retired} old keys retired "
        "(restart the app and worker so that they use the new key)"
    )


@main.group(help="The audit log.")
def audit() -> None:
    pass


@audit.command("verify", help="Check that every keyed audit chain is intact.")
@click.option(
    "--published",
    type=click.File("r"),
    default=None,
    help="Heads printed earlier by `safereport audit head` (JSON lines): each chain must "
    "still pass through them.",
)
def audit_verify(published: TextIO | None) -> None:
    from storage.repositories.audit import verify_audit_chain

    heads = _published_heads(published) if published is not None else None
    with _services() as services, services.db.transaction() as session:
        verdict = verify_audit_chain(session, published=heads)
    if verdict.ok:
        click.echo(f"audit log intact: {verdict.events_checked} events")
        return
    click.echo(
        f"audit log BROKEN in chain {verdict.chain} after {verdict.events_checked} good "
        f"events at event {verdict.first_bad_event_id}: {verdict.reason}",
        err=True,
    )
    sys.exit(1)


def _published_heads(lines: TextIO) -> dict[int, tuple[int, str]]:
    heads: dict[int, tuple[int, str]] = {}
    for line in lines:
        if line.strip():
            record = json.loads(line)
            heads[int(record["chain"])] = (int(record["length"]), str(record["hash"]))
    return heads


@audit.command(
    "head",
    help="Print the head of every audit chain as JSON lines, for write-once storage "
    "(chain 0 is the installation's, any other the establishment's id).",
)
def audit_head() -> None:
    from storage.repositories.audit_verify import chain_heads

    with _services() as services, services.db.transaction() as session:
        heads = chain_heads(session)
        at = services.clock.now().isoformat()
    for head in heads:
        record = {"at": at, "chain": head.chain, "length": head.length, "hash": head.last_hash}
        click.echo(json.dumps(record))


main.add_command(alerts_cli.worker)
main.add_command(alerts_cli.oncall)
main.add_command(triage_commands.user)
main.add_command(triage_commands.establishment)
main.add_command(triage_commands.purge)
main.add_command(triage_commands.export)
main.add_command(make_kiosk_commands(_services, lambda: Config.from_env().public_base_url))
main.add_command(
    ivr_commands.audio_group(
        more=kiosk_lines(ivr_commands.command_services, ivr_commands.translating_app),
        everywhere=kiosk_lines_everywhere(
            ivr_commands.command_services, ivr_commands.translating_app
        ),
    )
)
main.add_command(ivr_commands.call)
main.add_command(poster)
main.add_command(languages)
