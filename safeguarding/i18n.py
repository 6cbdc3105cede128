"""Marking strings for translation without importing Flask.

``N_`` only marks a message for extraction (``pybabel extract -k N_``); the door that
shows it translates it with gettext at the moment it renders, in the reader's language.
"""


def N_(message: str) -> str:
    return message
