"""Follow-up codes: 12 digits that survive being read off a screen and typed on a keypad.

Eleven digits come from a keyed pseudo-random function (HMAC-SHA256 under the server's
code pepper) of the door's submission nonce, itself 128 bits from ``secrets``; the twelfth
is a Damm check digit, which catches every single-digit error and every adjacent
transposition. Deriving rather than storing means that the same submission always gets
the same code back, while the database holds only a keyed hash of it.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from safeguarding.errors import CodeMalformed

CODE_LENGTH = 12
_BODY_LENGTH = CODE_LENGTH - 1

# Damm's totally anti-symmetric quasigroup of order 10.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)


def damm_check_digit(digits: str) -> str:
    interim = 0
    for char in digits:
        interim = _DAMM[interim][int(char)]
    return str(interim)


def is_valid(code: str) -> bool:
    return len(code) == CODE_LENGTH and code.isdigit() and damm_check_digit(code) == "0"


def derive_code(pepper: bytes, submission_key: str, attempt: int) -> str:
    mac = hmac.new(pepper, f"code|{attempt}|{submission_key}".encode(), hashlib.sha256).digest()
    body = str(int.from_bytes(mac[:8], "big") % 10**_BODY_LENGTH).zfill(_BODY_LENGTH)
    return body + damm_check_digit(body)


def normalise(entered: str) -> str:
    """Accept spaces, dashes and dots between groups; raise on anything else."""
    digits = re.sub(r"[\s\-.]", "", entered)
    if not is_valid(digits):
        raise CodeMalformed()
    return digits


def group(code: str, size: int = 4) -> list[str]:
    """The code in groups of four, for showing big and reading aloud."""
    return [code[i : i + size] for i in range(0, len(code), size)]


def keyed_hash(pepper: bytes, purpose: str, value: str) -> str:
    return hmac.new(pepper, f"{purpose}|{value}".encode(), hashlib.sha256).hexdigest()


def code_hash(pepper: bytes, code: str) -> str:
    return keyed_hash(pepper, "follow-up-code", code)
