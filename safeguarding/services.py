"""What every door needs from the core, built once per process by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from safeguarding.clock import Clock
from safeguarding.policy import Policy
from storage.crypto import Secrets
from storage.db import Database


@dataclass
class Services:
    db: Database
    secrets: Secrets
    policy: Policy
    clock: Clock
