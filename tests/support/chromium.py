"""How the browser tests and the browser benchmark start Debian's Chromium.

Never ``playwright install``: everything drives the system's Chromium, as CI installs it. The
flags keep a headless Chromium from reaching out to Google's services (this machine's network is
closed, and each refused connection costs time).
"""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
