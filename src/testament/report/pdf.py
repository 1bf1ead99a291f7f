"""The PDF of the report, printed by Debian's Chromium from the HTML itself.

Printing the same HTML keeps one source of truth for both formats. Chromium runs headless, with
no network services (the report has no external resources; a closed network only costs time),
a throw-away profile, and no header or footer (they would print the file's local path).
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from datetime import date
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


# Chromium writes /CreationDate and /ModDate as (D:YYYYMMDDHHmmSS+HH'mm') in the document's
# information dictionary; the cross-reference table holds byte offsets, so they are replaced by
# strings of exactly the same length.
_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}[+-]\d{2}'\d{2}'\)")


def stamp_day(pdf: Path, day: date) -> None:
    """Give the PDF's creation and modification dates the report's day at midnight UTC, so the
    same report gives the same PDF bytes on the same day (the HTML's generation line says the
    same day): Chromium stamps the second it printed."""
    data = pdf.read_bytes()
    stamp = f"D:{day:%Y%m%d}000000+00'00'".encode()
    pdf.write_bytes(_PDF_DATE.sub(lambda m: b"/" + m.group(1) + b" (" + stamp + b")", data))


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
