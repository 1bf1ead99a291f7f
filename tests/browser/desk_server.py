"""``testament desk serve`` in its own process, for the browser tests: the real command, its
real server and options, on a free loopback port, stopped when the block ends."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.desk.live import free_port


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
