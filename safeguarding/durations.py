"""Durations in the policy file ("15m", "4h", "30d") and the error a bad file raises."""

from __future__ import annotations

import re
from datetime import timedelta

_DURATION = re.compile(r"^(\d+)([smhd])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class PolicyError(Exception):
    """The policy file is wrong; the message names the key."""


def parse_duration(value: object, key: str) -> timedelta:
    match = _DURATION.match(value) if isinstance(value, str) else None
    if match is None or int(match.group(1)) == 0:
        raise PolicyError(f"policy key {key!r}: {value!r} is not a duration like 15m, 4h or 3d")
    return timedelta(seconds=int(match.group(1)) * _UNIT_SECONDS[match.group(2)])
