"""The sentences of the screens that keep a follow-up code safe with four pictures or a
4-digit PIN (issue 17.3), written once for the screen and for "Listen". Easy Read."""

from __future__ import annotations

from safeguarding.code_secrets import PICTURES
from translations.i18n import _


def keep_offer() -> dict[str, str]:
    return {
        # Translators: kiosk, button on the Sent screen and title of the next screen:
        # choose pictures or numbers that the follow-up code then needs.
        "title": _("Keep your code safe"),
        # Translators: kiosk, keep your code safe: what the person can choose.
        "hint": _("You can choose 4 pictures or 4 numbers."),
        # Translators: kiosk, keep your code safe: why. "them" is the pictures or numbers.
        "why": _("Then your code only works with them."),
        # Translators: kiosk button: keep the code safe with 4 pictures.
        "pictures": _("Choose 4 pictures"),
        # Translators: kiosk button: keep the code safe with 4 numbers (a PIN).
        "pin": _("Choose 4 numbers"),
        # Translators: kiosk button: do not keep the code safe now, go back.
        "not_now": _("Not now"),
    }


def keep_choose(kind: str) -> dict[str, str]:
    """The screen where the person chooses their 4 pictures or 4 numbers."""
    offer = keep_offer()
    return {
        "title": offer[kind],
        # Translators: kiosk, choosing pictures or numbers for a code.
        "hint": _("Remember them in the same order."),
        **_pad_buttons(),
        # Translators: kiosk button: keep these pictures or numbers with the code.
        "save": _("Save"),
    }


def _pad_buttons() -> dict[str, str]:
    return {
        # Translators: kiosk, before the pictures or numbers touched so far.
        "chosen": _("You chose:"),
        # Translators: kiosk button that removes the last picture or number touched.
        "delete": _("Delete"),
    }


def keep_done() -> dict[str, str]:
    return {
        # Translators: kiosk screen title: the code now needs its pictures or numbers.
        "title": _("Your code is safe."),
        # Translators: kiosk, how to come back with a code kept safe.
        "how": _("To come back, type your code. Then choose your pictures or numbers."),
    }


def secret_entry(kind: str) -> dict[str, str]:
    """After a code kept safe is typed: the only thing shown about it."""
    if kind == PICTURES:
        # Translators: kiosk screen title after typing a code kept safe with pictures.
        title = _("This code needs its 4 pictures.")
    else:
        # Translators: kiosk screen title after typing a code kept safe with numbers.
        title = _("This code needs its 4 numbers.")
    return {
        "title": title,
        # Translators: kiosk hint: touch the pictures or numbers in the order chosen.
        "hint": _("Touch them in the same order."),
        **_pad_buttons(),
        # Translators: kiosk button that checks the pictures or numbers.
        "check": _("Check"),
    }


def secret_wrong() -> str:
    # Translators: kiosk error: the pictures or numbers were not the right ones.
    return _("That is not right. Try again.")


def picture_names() -> dict[str, str]:
    """The 16 pictures of the grid, by their key (safeguarding.code_secrets)."""
    return {
        # Translators: kiosk picture code: the sun (a picture to touch).
        "sun": _("Sun"),
        # Translators: kiosk picture code: the moon.
        "moon": _("Moon"),
        # Translators: kiosk picture code: a star.
        "star": _("Star"),
        # Translators: kiosk picture code: a tree.
        "tree": _("Tree"),
        # Translators: kiosk picture code: a flower.
        "flower": _("Flower"),
        # Translators: kiosk picture code: an apple.
        "apple": _("Apple"),
        # Translators: kiosk picture code: a fish.
        "fish": _("Fish"),
        # Translators: kiosk picture code: a bird.
        "bird": _("Bird"),
        # Translators: kiosk picture code: a house.
        "house": _("House"),
        # Translators: kiosk picture code: a boat.
        "boat": _("Boat"),
        # Translators: kiosk picture code: a car.
        "car": _("Car"),
        # Translators: kiosk picture code: a key (for a lock).
        "key": _("Key"),
        # Translators: kiosk picture code: a cup.
        "cup": _("Cup"),
        # Translators: kiosk picture code: a ball.
        "ball": _("Ball"),
        # Translators: kiosk picture code: a hat.
        "hat": _("Hat"),
        # Translators: kiosk picture code: a heart shape.
        "heart": _("Heart"),
    }
