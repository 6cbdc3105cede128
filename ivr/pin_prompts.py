"""What the phone line says about a code kept safe at the kiosk (issue 17.3): a PIN is
typed on the keypad after the code; pictures cannot be shown on a phone, so the caller is
told to use a kiosk. Part of the phone's inventory (ivr.prompts.inventory)."""

from __future__ import annotations

from speech.inventory import PromptLine
from translations.i18n import _


def line(prompt_id: str, text: str) -> PromptLine:
    return PromptLine(prompt_id, text)


def secret_entry() -> list[PromptLine]:
    """After a code kept safe with 4 numbers at the kiosk (issue 17.3)."""
    return [
        # Translators: phone line, after a code kept safe with 4 numbers (a PIN).
        line("secret.needs_pin", _("This code needs its 4 numbers.")),
        # Translators: phone line: type the 4 numbers; the hash key is # on the keypad.
        line("secret.type", _("Please type them. Then press the hash key.")),
    ]


def secret_wrong() -> PromptLine:
    # Translators: phone line: the 4 numbers typed were not the right ones.
    return line("secret.wrong", _("That is not right. Try again."))


def secret_pictures() -> list[PromptLine]:
    """A code kept safe with pictures: a phone cannot show them."""
    return [
        # Translators: phone line, after a code kept safe with 4 pictures at the kiosk.
        line("secret.needs_pictures", _("This code needs its 4 pictures.")),
        # Translators: phone line: the pictures can only be chosen on a kiosk screen.
        line("secret.use_kiosk", _("Please use a kiosk to choose them.")),
    ]


def every_line() -> list[PromptLine]:
    return [*secret_entry(), secret_wrong(), *secret_pictures()]
