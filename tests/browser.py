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
    # Nothing leaves loopback: every other address goes to a proxy that is not there (port 9,
    # discard, refused at once). Loopback is never proxied (Chromium's implicit bypass). Done
    # here rather than by intercepting requests, which would turn off the browser's cache.
    "--proxy-server=http://127.0.0.1:9",
]
