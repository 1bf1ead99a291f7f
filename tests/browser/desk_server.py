"""``testament desk serve`` in its own process, for the browser tests: the real command, its
real server and options, on a free loopback port, stopped when the block ends."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from argon2 import PasswordHasher
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from testament.desk.access import Role
from testament.desk.accounts import add_user
from testament.store import Casebook
from tests.desk.live import LiveIntake, free_port


@contextmanager
def desk_serve(casebook: Path, log_path: Path, *options: str) -> Iterator[str]:
    """Serve ``casebook`` with ``options`` (e.g. ``--intake URL``); yield the desk's address.
    What the server printed is in ``log_path`` (a test may search it for secrets)."""
    port = free_port()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "testament",
                "desk",
                "serve",
                "--db",
                str(casebook),
                "--port",
                str(port),
                *options,
            ],
            stdout=log,
            stderr=log,
            env=dict(os.environ),
        )
        try:
            deadline = time.monotonic() + 30
            while b"listens on" not in log_path.read_bytes():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(log_path.read_text())
                time.sleep(0.05)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(10)


PASSWORD = "violet harbour quantum pickle"


def add_researcher(casebook: Casebook, name: str = "amina") -> str:
    """A researcher's account with ``PASSWORD``; its TOTP secret."""
    enrolment = add_user(
        casebook.engine,
        name,
        Role.RESEARCHER,
        PASSWORD,
        actor="test",
        now=datetime.now(UTC),
        hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),  # insecure, fast
    )
    return enrolment.secret


@contextmanager
def desk_serve_with_intake(
    casebook: Path, folder: Path, intake: LiveIntake, identity: Path
) -> Iterator[tuple[str, Path]]:
    """``desk_serve`` connected to ``intake`` (its token in a file in ``folder``); yield the
    desk's address and the server's log."""
    token = folder / "token"
    token.write_text(intake.token + "\n")
    log_path = folder / "desk.log"
    options = ("--intake", intake.url, "--token-file", str(token), "--identity", str(identity))
    with desk_serve(casebook, log_path, *options) as url:
        yield url, log_path


def wait_for_the_pull(page: Page, seconds: float = 60) -> str:
    """Wait until the pull page that reloads itself every 2 s shows a finished pull; its HTML.

    The page may be reloading at any moment, so each look waits for a loaded page and a look
    that catches it mid-navigation simply looks again."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            page.wait_for_load_state("load")
            html = page.content()
            if '<ul class="counts">' in html and 'http-equiv="refresh"' not in html:
                return html
        except PlaywrightError:
            pass  # reloading right now
        assert time.monotonic() < deadline, "the pull did not finish"
        page.wait_for_timeout(300)
