"""One table of every language SafeReport knows, with the code each subsystem needs.

Codes differ between subsystems (Babel ``pa``, espeak-ng ``pa``, Twilio ``pa-IN``), so
they live together here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CATALOG_DIR = Path(__file__).parent


@dataclass(frozen=True)
class Language:
    code: str  # Babel locale
    native_name: str  # in its own script
    english_name: str
    direction: str  # ltr | rtl
    espeak_voice: str | None  # None: no espeak-ng voice, recorded prompts needed
    twilio_say_language: str | None  # for <Say>; None when Twilio has no voice for it
    reviewed: bool  # translation checked by a fluent human


LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", "English", "ltr", "en", "en-GB", True),
    Language("cy", "Cymraeg", "Welsh", "ltr", "cy", "cy-GB", False),
    Language("sq", "Shqip", "Albanian", "ltr", "sq", None, False),
    Language("pl", "Polski", "Polish", "ltr", "pl", "pl-PL", False),
    Language("ro", "Română", "Romanian", "ltr", "ro", "ro-RO", False),
    Language("lt", "Lietuvių", "Lithuanian", "ltr", "lt", "lt-LT", False),
    Language("pt", "Português", "Portuguese", "ltr", "pt", "pt-PT", False),
    Language("ar", "العربية", "Arabic", "rtl", "ar", "ar-XA", False),
    Language("ur", "اردو", "Urdu", "rtl", "ur", "ur-IN", False),
    Language("pa", "ਪੰਜਾਬੀ", "Punjabi", "ltr", "pa", "pa-IN", False),
    Language("vi", "Tiếng Việt", "Vietnamese", "ltr", "vi", "vi-VN", False),
    Language("so", "Soomaali", "Somali", "ltr", None, None, False),
)

BY_CODE = {language.code: language for language in LANGUAGES}
SOURCE_LANGUAGE = "en"
# The staff interface is in English and Welsh (HMPPS's Welsh Language Scheme); every other
# catalog must cover what prisoners read and hear, and may leave staff pages in English.
STAFF_LANGUAGES = ("en", "cy")
# Where prisoners read or hear the words: the two doors and what they show of the core.
PRISONER_FACING_SOURCES = (
    "kiosk/",
    "ivr/",
    "safeguarding/catalogue.py",
    "safeguarding/messages.py",
    "safeguarding/followup.py",
    "safeguarding/wishes.py",  # its choices are shown and said at the kiosk (issue 15.1)
    "safeguarding/checkin_answers.py",  # "Are you safe now?": its choices, likewise (15.5)
    "triage/slip.py",  # the slip staff print and hand to the prisoner
    "posters/",  # the posters and leaflets on the wings
)


def get_language(code: str) -> Language:
    return BY_CODE[code]


def has_catalog(code: str) -> bool:
    """English is the source; any other language needs a compiled catalog to be offered."""
    if code == SOURCE_LANGUAGE:
        return True
    return (CATALOG_DIR / code / "LC_MESSAGES" / "messages.mo").exists()


def offerable_languages() -> list[str]:
    return [language.code for language in LANGUAGES if has_catalog(language.code)]


# Reviewed before shipping (the source language). Reviews since are kept in the database
# (``safereport languages review``; safeguarding/language_reviews.py).
SHIPPED_REVIEWED = frozenset(language.code for language in LANGUAGES if language.reviewed)
