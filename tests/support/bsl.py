"""A sample BSL clip, made with ffmpeg (a test pattern standing in for a person signing),
and a way to put one in the database as an administrator would."""

from __future__ import annotations

import subprocess
import tempfile
from functools import cache
from pathlib import Path

from safeguarding.admin_rules import ServerOperator
from safeguarding.bsl_videos import VideoChange, upload_video
from safeguarding.services import Services


@cache
def sample_clip(kind: str = "mp4") -> bytes:
    """Two seconds of 320x240 video, MP4 (H.264, moov first) or WebM (VP9)."""
    codec = (
        ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart"]
        if kind == "mp4"
        else ["-c:v", "libvpx-vp9", "-b:v", "200k"]
    )
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / f"clip.{kind}"
        subprocess.run(
            ["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=10",
             "-t", "2", *codec, str(out)],
            check=True,
        )  # fmt: skip
        return out.read_bytes()


def give_video(
    services: Services, establishment_id: int, slot: str, data: bytes | None = None
) -> None:
    """A video for ``slot`` at the establishment, as if uploaded (by the server's operator)."""
    with services.db.transaction() as session:
        upload_video(
            session, by=ServerOperator(), change=VideoChange(establishment_id, slot),
            data=data if data is not None else sample_clip(), clock=services.clock,
        )  # fmt: skip
