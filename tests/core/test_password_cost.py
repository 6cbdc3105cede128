"""Staff passwords are hashed at the production cost outside the test process.

The suite lowers argon2's cost in its own process (tests/conftest.py) to stay fast; this
holds the setting servers use, so a lowered cost can never ship unnoticed.
"""

from __future__ import annotations

from argon2 import PasswordHasher, extract_parameters

from safeguarding import staff_auth


def test_production_hashes_with_rfc_9106s_second_option() -> None:
    hashed = staff_auth.PRODUCTION_HASHER.hash("correct horse battery staple")
    parameters = extract_parameters(hashed)
    assert hashed.startswith("$argon2id$")
    assert (parameters.time_cost, parameters.memory_cost, parameters.parallelism) == (
        3,
        65536,
        4,
    )


def test_a_hash_made_cheaply_is_upgraded_at_the_production_cost() -> None:
    # A hash below the production cost (say, made by an older release) needs rehashing,
    # which sign-in does on the next correct password.
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("x" * 12)
    assert staff_auth.PRODUCTION_HASHER.check_needs_rehash(cheap)
