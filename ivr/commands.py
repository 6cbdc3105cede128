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
from safeguarding.admin_rules import ServerOperator
from safeguarding.prompt_recordings import (
    PromptChange,
    StoredPrompts,
    establishment_id_by_code,
    notify_prompts_changed,
    record_prompt,
)
from safeguarding.services import Services
from speech.build import build_audio
from speech.cache import text_key
from speech.commands import make_audio_group
from speech.inventory import Everywhere, PlaceInventory, PromptLine, no_more, nowhere
from speech.overrides import PreparedRecording
from speech.render import SpeechRenderer
from translations.languages import BY_CODE, CATALOG_DIR, LANGUAGES

_prompt_app: Flask | None = None


def translating_app() -> Flask:
    """A bare app with our catalogs, so prompts can be translated outside a request."""
    global _prompt_app
    if _prompt_app is None:
        _prompt_app = Flask("safereport-prompts")
        Babel(_prompt_app, default_translation_directories=str(CATALOG_DIR))
    return _prompt_app


def phone_inventory(language: str) -> list[PromptLine]:
    with translating_app().app_context():
        return inventory(language, BY_CODE[language].native_name)


def all_languages() -> list[str]:
    return [language.code for language in LANGUAGES]


def command_services() -> Services:
    from safereport.config import Config
    from safereport.services import build_services

    built = build_services(Config.from_env())
    context = click.get_current_context(silent=True)
    if context is not None:  # the connections close when the command ends
        context.call_on_close(built.db.dispose)
    return built


def _renderer() -> SpeechRenderer:
    """The installation's defaults (a build renders them; each establishment's own
    recordings are rendered on first use)."""
    from safereport.config import Config

    return renderer_for(Config.from_env(), StoredPrompts(command_services().db)).scoped(None)


class DatabaseKeeper:
    """Imported recordings go into the database as the server operator's changes: audited,
    and told to the establishment's administrators and lead once per import."""

    def __init__(self, code: str | None) -> None:
        from safereport.config import Config

        self.services = command_services()
        self.establishment_id = None if code is None else _establishment_id(self.services, code)
        self.installation = renderer_for(Config.from_env(), StoredPrompts(self.services.db))

    @property
    def renderer(self) -> SpeechRenderer:
        return self.installation.scoped(self.establishment_id)

    def keep(self, line: PromptLine, language: str, recording: PreparedRecording) -> None:
        change = PromptChange(
            self.establishment_id, language, line.id, text_key(line.text, language)
        )
        with self.services.db.transaction() as session:
            record_prompt(
                session, by=ServerOperator(), change=change, audio=recording.audio,
                seconds=recording.check.duration_seconds, clock=self.services.clock,
                notify=False,
            )  # fmt: skip

    def finish(self, language: str, count: int) -> None:
        if not count:
            return
        with self.services.db.transaction() as session:
            notify_prompts_changed(
                session, by=ServerOperator(), establishment_id=self.establishment_id,
                event="recorded", language=language, count=count, clock=self.services.clock,
            )  # fmt: skip


def _establishment_id(services: Services, code: str) -> int:
    with services.db.transaction() as session:
        found = establishment_id_by_code(session, code)
    if found is None:
        raise click.BadParameter(
            f"no establishment has the code {code!r}", param_hint="--establishment"
        )
    return found


def audio_group(more: PlaceInventory = no_more, everywhere: Everywhere = nowhere) -> click.Group:
    """``safereport audio``: the phone line's prompts, and the kiosk's sentences (``more``
    at one establishment, ``everywhere`` at all), handed in by the composition root: the
    phone line may not import the kiosk."""
    audio = make_audio_group(
        inventory=phone_inventory, languages=all_languages, renderer=_renderer,
        keeper=DatabaseKeeper, more=more, everywhere=everywhere,
    )  # fmt: skip

    @audio.command("check", help="Say which languages have audio for every phone prompt.")
    def check() -> None:
        speaker = _renderer()
        for language in all_languages():
            lines = phone_inventory(language)
            missing = [line.id for line in lines if not speaker.has_audio(line.text, language)]
            state = "complete" if not missing else f"{len(missing)} of {len(lines)} prompts missing"
            click.echo(f"{language:<3} {BY_CODE[language].english_name:<11} {state}")

    return audio


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
    try:
        app = create_app(config, services=services)
        to = number or _demo_number()
        caller = TerminalCaller(scripted=keys.split(",") if keys else None, play=play)
        ended = run_call(app, to=to, caller=caller)
    finally:
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
