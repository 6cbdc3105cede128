"""``safereport audio ...`` for the phone line's prompts, and ``safereport call``.

The configuration and the app come from the composition root (safereport), imported
inside the commands as safereport/cli.py does, so that importing this module stays cheap.
"""

from __future__ import annotations

import click
from flask import Flask
from flask_babel import Babel

from ivr.prompts import inventory
from ivr.settings import renderer_for
from speech.build import build_audio
from speech.commands import make_audio_group
from speech.inventory import PromptLine
from speech.render import SpeechRenderer
from translations.languages import BY_CODE, CATALOG_DIR, LANGUAGES

_prompt_app: Flask | None = None


def _translating_app() -> Flask:
    """A bare app with our catalogs, so prompts can be translated outside a request."""
    global _prompt_app
    if _prompt_app is None:
        _prompt_app = Flask("safereport-prompts")
        Babel(_prompt_app, default_translation_directories=str(CATALOG_DIR))
    return _prompt_app


def phone_inventory(language: str) -> list[PromptLine]:
    with _translating_app().app_context():
        return inventory(language, BY_CODE[language].native_name)


def all_languages() -> list[str]:
    return [language.code for language in LANGUAGES]


def _renderer() -> SpeechRenderer:
    from safereport.config import Config

    return renderer_for(Config.from_env())


audio = make_audio_group(inventory=phone_inventory, languages=all_languages, renderer=_renderer)


@audio.command("check", help="Say which languages have audio for every phone prompt.")
def check() -> None:
    speaker = _renderer()
    for language in all_languages():
        lines = phone_inventory(language)
        missing = [line.id for line in lines if not speaker.has_audio(line.text, language)]
        state = "complete" if not missing else f"{len(missing)} of {len(lines)} prompts missing"
        click.echo(f"{language:<3} {BY_CODE[language].english_name:<11} {state}")


@click.command("call", help="Call the phone line from this terminal (signed like Twilio).")
@click.option("--to", "number", default=None, help="The number dialled (default: the demo's).")
@click.option(
    "--keys",
    default=None,
    help="Answer without asking: comma-separated steps, e.g. '1,2,4,2,1,2,2,r20,2' "
    "(digits; 's' for silence; 'r20' to speak 20 seconds; 'h' to hang up).",
)
@click.option("--play/--no-play", default=False, help="Play the prompts aloud (needs ffplay).")
def call(number: str | None, keys: str | None, play: bool) -> None:
    from ivr.phone import TerminalCaller, run_call
    from safereport.app import create_app
    from safereport.config import Config
    from safereport.services import build_services

    config = Config.from_env()
    if config.twilio_auth_token is None:
        config = config.with_changes(demo=True)
    services = build_services(config)
    app = create_app(config, services=services)
    to = number or _demo_number()
    caller = TerminalCaller(scripted=keys.split(",") if keys else None, play=play)
    ended = run_call(app, to=to, caller=caller)
    services.db.dispose()
    click.echo(f"-- call ended ({ended})")


def _demo_number() -> str:
    from safereport.demo import DEMO_PHONE_NUMBER

    return DEMO_PHONE_NUMBER


def build_everything(renderer: SpeechRenderer, languages: list[str]) -> list[str]:
    """Used by the benchmark: render all prompts; the problems found, if any."""
    work = [(language, line) for language in languages for line in phone_inventory(language)]
    report = build_audio(renderer, work)
    return [f"{lang} {pid}: {why}" for lang, pid, why in report.failed]
