"""TwiML out: the one response helper, and turning prompt lines into <Play> or <Say>."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from flask import Response, url_for
from twilio.twiml.voice_response import VoiceResponse

from speech.convert import ConversionError
from speech.inventory import PromptLine
from speech.numbers import spoken_numbers
from speech.render import NoVoice, SpeechError, SpeechRenderer
from translations.languages import BY_CODE

log = logging.getLogger("safereport.ivr")

ANSWER_SECONDS = 10  # at least 10 seconds to answer any question


def twiml(response: VoiceResponse) -> Response:
    """Every phone-line answer goes out through here."""
    return Response(str(response), status=200, mimetype="text/xml")


class Speaker:
    """Says prompt lines in a language: a person's recording when there is one, else
    Twilio's <Say> voice where the establishment chose one for that language, else our
    own synthetic audio by <Play>."""

    def __init__(self, renderer: SpeechRenderer, say_voices: Mapping[str, str]) -> None:
        self.renderer = renderer
        self.say_voices = say_voices

    def say(self, verb: Any, language: str, lines: Iterable[PromptLine]) -> None:
        for line in lines:
            self._one(verb, language, line)

    def _one(self, verb: Any, language: str, line: PromptLine) -> None:
        say_language = BY_CODE[language].twilio_say_language
        voice = self.say_voices.get(language)
        recorded = self.renderer.recorded_prompt(line.text, language) is not None
        if voice and say_language and not recorded:
            verb.say(spoken_numbers(line.text), language=say_language, voice=voice)
            return
        try:
            path = self.renderer.audio_for(line.text, language, fmt="mp3")
        except (NoVoice, SpeechError, ConversionError) as exc:
            # Better Twilio's voice than silence; the language check should prevent this.
            log.error("no audio for prompt %s in %s: %s", line.id, language, exc)
            verb.say(spoken_numbers(line.text), language=say_language or "en-GB")
            return
        verb.play(url_for("prompt_audio.play", language=language, name=path.name))
