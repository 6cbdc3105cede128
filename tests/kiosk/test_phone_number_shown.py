"""A London safeguarding line on the kiosk: shown as "020 7946 0000" (as dialled inside),
kept left to right in Arabic, and read aloud digit by digit in its groups."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from safeguarding.services import Services
from safereport.config import Config
from speech.checks import check_audio
from speech.render import SpeechRenderer
from storage.models import PhoneLine
from tests.kiosk.journey import fill_report, send
from tests.kiosk.pages import Kiosk

LONDON = "+442079460000"


@pytest.fixture
def london_line(services: Services, establishment_id: int) -> None:
    with services.db.transaction() as session:
        line = session.scalars(
            select(PhoneLine).where(PhoneLine.establishment_id == establishment_id)
        ).one()
        line.number = LONDON


@pytest.mark.usefixtures("london_line")
def test_the_sent_screen_shows_the_line_as_dialled_inside(kiosk: Kiosk) -> None:
    fill_report(kiosk)
    sent = send(kiosk)
    assert "You can call the safeguarding line on 020 7946 0000." in sent.text
    assert "02079 460000" not in sent.text and LONDON not in sent.text


@pytest.mark.usefixtures("london_line")
def test_in_arabic_the_line_stays_left_to_right(kiosk: Kiosk) -> None:
    fill_report(kiosk, language="ar")
    sent = send(kiosk)
    assert 'dir="rtl"' in sent.html
    assert "\u2066020 7946 0000\u2069" in sent.html


@pytest.mark.usefixtures("london_line")
def test_listen_reads_the_line_digit_by_digit(kiosk: Kiosk, config: Config) -> None:
    fill_report(kiosk)
    send(kiosk)
    assert kiosk.client.get("/kiosk/listen/sent").status_code == 200
    renderer = SpeechRenderer(config.audio_cache_path)
    written = "You can call the safeguarding line on \u2066020 7946 0000\u2069."
    heard = renderer.cached(written, "en", fmt="wav")
    assert heard is not None
    spelled = "You can call the safeguarding line on 0 2 0, 7 9 4 6, 0 0 0 0."
    same = check_audio(renderer.audio_for(spelled, "en", fmt="wav")).duration_seconds
    # Within espeak-ng's run-to-run 0.1 s; read as thousands it is over a second longer.
    assert abs(check_audio(heard).duration_seconds - same) < 0.25, "not read digit by digit"
