"""The process-wide objects every door needs, built once from the configuration."""

from __future__ import annotations

import os
from dataclasses import dataclass

from safeguarding.clock import Clock, SystemClock
from safeguarding.policy import Policy, load_policy
from safereport.config import Config
from storage.crypto import Secrets, load_or_create_keyfile, secrets_from
from storage.db import Database


@dataclass
class Services:
    config: Config
    db: Database
    secrets: Secrets
    policy: Policy
    clock: Clock


def build_services(config: Config, *, clock: Clock | None = None) -> Services:
    config.instance_path.mkdir(parents=True, exist_ok=True)
    os.chmod(config.instance_path, 0o700)  # the SQLite file and key file live here
    keyfile = load_or_create_keyfile(config.keyfile_path)
    secrets = secrets_from(
        keyfile,
        data_key_env=config.data_key,
        code_pepper_env=config.code_pepper,
        session_secret_env=config.session_secret,
    )
    return Services(
        config=config,
        db=Database.connect(config.database_url),
        secrets=secrets,
        policy=load_policy(config.policy_file),
        clock=clock or SystemClock(),
    )
