"""The sentences of "Say it instead of typing" (issue 17.1), for the screen and for Listen.

Easy Read: one idea per sentence, at most 15 words. Shown only where the kiosk has a
microphone (kiosk/static/voice.js finds one); Listen says them only then.
"""

from __future__ import annotations

from translations.i18n import _


def voice() -> dict[str, str]:
    return {
        # Translators: kiosk, above the voice message buttons on "Tell us more" and "Add to
        # my report". The person talks into the kiosk's headset instead of typing.
        "intro": _("You can say it instead of typing. You can talk for up to 5 minutes."),
        # Translators: kiosk button: start recording a voice message with the headset.
        "record": _("Record my voice"),
        # Translators: kiosk button: stop recording the voice message.
        "stop": _("Stop recording"),
        # Translators: kiosk, shown while the voice message is being recorded.
        "recording": _("Speak now. Touch Stop when you finish."),
        # Translators: kiosk button: play back the voice message just recorded.
        "listen": _("Listen to my message"),
        # Translators: kiosk button: throw away the voice message and record a new one.
        "again": _("Record again"),
        # Translators: kiosk button: throw away the voice message.
        "delete": _("Delete my message"),
        # Translators: kiosk, after a voice message was recorded and saved in the report.
        "kept": _("Your voice message is saved. It goes with your report."),
    }


def voice_problems() -> dict[str, str]:
    """What went wrong with a voice message; nothing already given is lost."""
    return {
        # Translators: kiosk, the person refused the microphone, or it does not work.
        "refused": _("The kiosk cannot use the microphone. You can type instead."),
        # Translators: kiosk, the voice message could not be saved (network or server).
        "not_saved": _("Your voice message was not saved. Record again, or type instead."),
        # Translators: kiosk, the voice message is longer than 5 minutes or too big.
        "too_long": _("Your message is too long. Keep it under 5 minutes."),
        # Translators: kiosk, the voice message was empty or not a sound we can keep.
        "empty": _("We could not hear anything. Record again, or type instead."),
    }


def problem_for(code: str) -> str:
    """The sentence for a refused upload (safeguarding.kiosk_voice's codes)."""
    problems = voice_problems()
    if code in ("voice_too_large", "voice_too_long"):
        return problems["too_long"]
    if code in ("voice_empty", "voice_not_audio"):
        return problems["empty"]
    return problems["not_saved"]
