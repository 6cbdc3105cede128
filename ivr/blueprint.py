"""Building the phone line's blueprints.

- ``ivr`` (``/ivr/...``): Twilio's webhooks. Every route checks the Twilio signature
  first and answers 403 to anything unsigned or altered; nothing is exempt.
- ``prompt_audio`` (``/audio/prompts/...``): the prompt audio <Play> fetches. It is
  public on purpose: it holds only the fixed sentences every caller hears (never a code
  or anything a caller said), and Twilio fetches media without our signature.
- ``ivr_simulator`` (``/ivr/simulator``): demo mode only, a phone in the browser.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, send_from_directory
from flask.blueprints import BlueprintSetupState

from ivr.oncall import register_oncall_views
from ivr.settings import EXTENSION, IvrSettings, current_settings, settings_from_config
from ivr.signature import refuse_unsigned
from ivr.views import register_views
from safeguarding.prompt_recordings import StoredPrompts
from speech.cache import is_cache_file_name
from speech.inventory import PlaceInventory, no_more
from speech.prompt_audio import PromptAudio
from translations.languages import BY_CODE

PROMPT_AUDIO_MAX_AGE = 24 * 3600


def make_blueprint(settings: IvrSettings | None = None) -> Blueprint:
    bp = Blueprint("ivr", __name__, url_prefix="/ivr")
    bp.record_once(_install_settings(settings))
    bp.before_request(refuse_unsigned)  # first, before any view or database access
    register_views(bp)
    register_oncall_views(bp)
    return bp


def _install_settings(settings: IvrSettings | None) -> Callable[[BlueprintSetupState], None]:
    def install(state: BlueprintSetupState) -> None:
        extensions = state.app.extensions
        if settings is not None:
            extensions[EXTENSION] = settings
        elif EXTENSION not in extensions:
            recordings = StoredPrompts(extensions["safereport"].db)
            extensions[EXTENSION] = settings_from_config(
                extensions["safereport.config"], recordings
            )

    return install


def make_audio_blueprint() -> Blueprint:
    bp = Blueprint("prompt_audio", __name__, url_prefix="/audio/prompts")

    @bp.get("/<language>/<name>")
    def play(language: str, name: str) -> Response:
        if language not in BY_CODE or not is_cache_file_name(name):
            abort(404)
        directory = current_settings().renderer.cache_dir / language
        mimetype = "audio/mpeg" if name.endswith(".mp3") else "audio/wav"
        response = send_from_directory(directory, name, mimetype=mimetype)
        # Fixed sentences, named by their content: caching them is safe and saves Twilio time.
        response.headers["Cache-Control"] = f"public, max-age={PROMPT_AUDIO_MAX_AGE}"
        return response

    return bp


def prompt_audio(more: PlaceInventory = no_more) -> PromptAudio:
    """The phone's prompts for the administrators' prompts page (wired by safereport.app),
    and ``more``: the kiosk's, which the phone line may not import."""
    from ivr.commands import phone_inventory

    return PromptAudio(
        inventory=phone_inventory,
        more=more,
        renderer=lambda: current_settings().renderer,
        # A new or removed recording can add or drop a language at once, not in a minute.
        changed=lambda: current_settings().languages_cache.clear(),
    )


def make_simulator_blueprint() -> Blueprint:
    from ivr.simulator import make_simulator

    simulator: Blueprint = make_simulator()
    return simulator
