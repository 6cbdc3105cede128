"""Staff email addresses: the one rule for what counts as an address and when two are the
same. Every door, the command line and the sign-in limits compare addresses this way."""

from __future__ import annotations

import re

# Something, one @, something with a dot: the mail server is the real test (the setup link
# is emailed), so this only stops typing mistakes.
_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_EMAIL_CHARS = 254  # RFC 5321's limit on a forward path


def normal_email(value: str) -> str:
    """The address as stored and compared: without surrounding spaces, in lower case."""
    return value.strip().lower()


def is_email_address(value: str) -> bool:
    """Whether ``value``, once normalised, is an address we accept."""
    value = normal_email(value)
    return len(value) <= MAX_EMAIL_CHARS and _ADDRESS.match(value) is not None
