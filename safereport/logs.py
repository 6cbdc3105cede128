"""Logging: one line per event, never sensitive text (what a report says, who reported)."""

from __future__ import annotations

import logging
import os


def configure_logging() -> None:
    logging.basicConfig(
        level=os.environ.get("SAFEREPORT_LOG_LEVEL", "INFO").upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    # The Twilio client logs whole request bodies at INFO: phone numbers and message text.
    logging.getLogger("twilio").setLevel(logging.WARNING)
    # Each migration step at INFO drowns the demo's URLs; problems still show.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # WeasyPrint narrates every step of every poster at INFO.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
