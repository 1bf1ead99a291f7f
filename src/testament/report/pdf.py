"""The PDF of the report, printed by Debian's Chromium from the HTML itself.

Printing the same HTML keeps one source of truth for both formats. Chromium runs headless, with
no network services (the report has no external resources; a closed network only costs time),
a throw-away profile, and no header or footer (they would print the file's local path).
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from testament.report.errors import ReportError

TIMEOUT_SECONDS = 180
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-pdf-header-footer",
    "--run-all-compositor-stages-before-draw",
)


def chromium_missing(chromium: Path) -> str | None:
    """Why no PDF can be printed with ``chromium``, or None when it can."""
    if not chromium.exists():
        return (
            f"no PDF: Chromium was not found at {chromium} (install the Debian package "
            "'chromium', or pass --no-pdf); the HTML report is complete without it"
        )
    return None


def print_pdf(chromium: Path, page: Path, out: Path) -> None:
    """Print ``page`` (an HTML file) to ``out`` with ``chromium``."""
    with tempfile.TemporaryDirectory(prefix="testament-chromium-") as profile:
        command = [
            str(chromium),
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={out}",
            page.resolve().as_uri(),
        ]
        try:
            done = subprocess.run(  # noqa: S603 (a fixed program and our own file)
                command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired as error:
            raise ReportError(
                f"Chromium did not finish printing the PDF within {TIMEOUT_SECONDS} s "
                "(use --no-pdf to write the HTML only)"
            ) from error
        except OSError as error:
            raise ReportError(f"Chromium could not be started ({error.strerror})") from error
    if done.returncode != 0 or not out.exists() or out.stat().st_size == 0:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise ReportError(
            f"Chromium could not print the PDF (exit status {done.returncode}): " + " / ".join(tail)
        )
