"""Making the database fail part-way through writing a report, as a full disk would."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from safeguarding.services import Services


@dataclass
class BrokenWrites:
    """``broken()`` makes every new outbox row fail (so every report write fails late, after
    the report row itself); ``mended()`` undoes it."""

    services: Services
    database_kind: str

    def break_(self) -> None:
        with self.services.db.transaction() as session:
            if self.database_kind == "sqlite":
                session.execute(
                    text(
                        "CREATE TRIGGER kiosk_test_failure BEFORE INSERT ON outbox_message "
                        "BEGIN SELECT RAISE(ABORT, 'simulated failure'); END"
                    )
                )
                return
            session.execute(
                text(
                    "CREATE FUNCTION kiosk_test_failure() RETURNS trigger AS $$ "
                    "BEGIN RAISE EXCEPTION 'simulated failure'; END $$ LANGUAGE plpgsql"
                )
            )
            session.execute(
                text(
                    "CREATE TRIGGER kiosk_test_failure BEFORE INSERT ON outbox_message "
                    "FOR EACH ROW EXECUTE FUNCTION kiosk_test_failure()"
                )
            )

    def mend(self) -> None:
        with self.services.db.transaction() as session:
            if self.database_kind == "sqlite":
                session.execute(text("DROP TRIGGER kiosk_test_failure"))
            else:
                session.execute(text("DROP TRIGGER kiosk_test_failure ON outbox_message"))
                session.execute(text("DROP FUNCTION kiosk_test_failure()"))
