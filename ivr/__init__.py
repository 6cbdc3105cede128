"""The phone line: Twilio voice webhooks, the call flow and the demo phone simulator."""

from ivr.blueprint import (
    make_audio_blueprint,
    make_blueprint,
    make_simulator_blueprint,
    prompt_audio,
)

__all__ = ["make_audio_blueprint", "make_blueprint", "make_simulator_blueprint", "prompt_audio"]
