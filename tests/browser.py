"""What every browser test shares: Debian's Chromium and the flags that keep it on loopback."""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"  # never `playwright install`: no browser downloads here
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
