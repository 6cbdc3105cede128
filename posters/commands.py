"""``safereport poster``: print-ready posters and leaflets for one establishment.

The configuration and the app come from the composition root, imported inside the
command as safereport/cli.py does, so that importing this module stays cheap.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from posters.build import LanguageNotOffered, write_posters
from posters.facts import PHONE_MENU_EXTENSION, UnknownEstablishment, gather_facts
from posters.render import Size


@click.command("poster", help="Write an A4 poster and an A5 leaflet as PDF, per language.")
@click.option("--establishment", "code", required=True, help="The establishment's code.")
@click.option(
    "--language",
    "languages",
    multiple=True,
    help="Only this language (repeatable; default: every language it offers).",
)
@click.option(
    "--size",
    "sizes",
    type=click.Choice([size.value for size in Size]),
    multiple=True,
    help="a4 (poster) or a5 (leaflet); default both.",
)
@click.option(
    "--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder."
)
def poster(code: str, languages: tuple[str, ...], sizes: tuple[str, ...], out: Path) -> None:
    from safereport.app import create_app
    from safereport.config import Config
    from safereport.services import build_services

    config = Config.from_env()
    services = build_services(config)
    app = create_app(config, services=services)
    try:
        with app.app_context():
            with services.db.transaction() as session:
                facts = gather_facts(
                    session, code=code, phone_menu=app.extensions[PHONE_MENU_EXTENSION]
                )
            written = write_posters(
                facts,
                out=out,
                languages=languages,
                sizes=[Size(size) for size in sizes] or list(Size),
            )
    except UnknownEstablishment:
        _fail(f"no establishment has the code {code}")
    except LanguageNotOffered as error:
        _fail(f"{code} does not offer (or has no translation for): {error}")
    finally:
        services.db.dispose()
    for path in written:
        click.echo(str(path))


def _fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(2)
