"""A national deployment on one database: many establishments, each with a kiosk, a phone
line and an on-call lead, and a year of history made through the real intake
(``submit_report``: sealed, hash-chained in each establishment's audit chain, alerted in
the outbox), so that the live traffic meets tables and chains of a real size."""

from __future__ import annotations

import random
import secrets
import time
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from benchmarks.production.deployment import Deployment
from safeguarding.catalogue import CONCERNS
from safeguarding.clock import FixedClock
from safeguarding.intake import ReportSubmission, submit_report
from storage.models import OnCallContact, PhoneLine
from tests.conftest import START
from tests.factories import make_establishment

BATCH = 25  # reports per transaction while seeding: each is still a whole submit_report
DETAILS = "Seeded history {n}: they take my canteen and say worse will happen."


class NationalDeployment(Deployment):
    """``establishments`` prisons on one database; the first is the base Deployment's."""

    def __init__(self, *args: object, establishments: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.count = establishments
        self.establishment_ids: list[int] = []
        self.phone_numbers: list[str] = []

    def prepare(self) -> NationalDeployment:
        super().prepare()
        self.establishment_ids = [self.establishment_id]
        with self.services.db.transaction() as session:
            for n in range(1, self.count):
                establishment = make_establishment(
                    session, languages="en", name=f"HMP National {n:03d}"
                )
                session.add(
                    OnCallContact(
                        establishment_id=establishment.id, chain_position=1, role="lead",
                        display_name=f"Lead {n:03d}", phone=f"+4477009{n:05d}", created_at=START,
                    )
                )  # fmt: skip
                self.establishment_ids.append(establishment.id)
            rows = session.execute(select(PhoneLine.establishment_id, PhoneLine.number))
            numbers = {establishment: number for establishment, number in rows}
        self.phone_numbers = [numbers[e] for e in self.establishment_ids]
        return self

    def enrolments(self) -> list[Callable[[], str]]:
        """One enrolment link maker per establishment, in order."""
        return [self._enrolment_for(e) for e in self.establishment_ids]

    def _enrolment_for(self, establishment_id: int) -> Callable[[], str]:
        return lambda: self.new_kiosk_enrolment(establishment_id)

    def seed_history(
        self,
        reports: int,
        *,
        days: int = 365,
        progress: Callable[[int, float], None] | None = None,
    ) -> float:
        """``reports`` reports spread over the last ``days`` days across every establishment,
        oldest first, through ``submit_report``; returns the seconds it took."""
        chance = random.Random(20)
        began = time.monotonic()
        step = timedelta(days=days) / max(1, reports)
        clock = FixedClock(START - timedelta(days=days))
        done = 0
        while done < reports:
            with self.services.db.transaction() as session:
                for _ in range(min(BATCH, reports - done)):
                    clock.advance(step)
                    submit_report(
                        session,
                        submission=self._submission(chance, done),
                        secrets=self.services.secrets,
                        policy=self.services.policy,
                        clock=clock,
                    )
                    done += 1
            if progress is not None and done % 2000 < BATCH:
                progress(done, time.monotonic() - began)
        return time.monotonic() - began

    def _submission(self, chance: random.Random, n: int) -> ReportSubmission:
        concerns = chance.sample([c.id for c in CONCERNS], chance.randint(1, 2))
        return ReportSubmission(
            establishment_id=chance.choice(self.establishment_ids),
            channel=chance.choice(("kiosk", "phone")),
            language="en",
            submission_key=secrets.token_urlsafe(16),
            concerns=concerns,
            in_danger_now=chance.random() < 0.02,
            staff_involved=chance.choice(("no", "no", "no", "not_sure", "yes")),
            when_happened="this_week",
            details=DETAILS.format(n=n) if chance.random() < 0.6 else None,
        )
