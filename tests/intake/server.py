"""A real intake process for the tests that need one (canary, crash): uvicorn on a free port."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx

CSRF_FIELD = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
CODENAME = re.compile(r'<p class="codename" id="codename">([^<]+)</p>')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class IntakeProcess:
    """``testament intake serve`` in a child process, its output in ``log``, its TMPDIR ``tmp``."""

    def __init__(self, folder: Path, log: Path, tmp: Path) -> None:
        self.folder, self.log, self.tmp = folder, log, tmp
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> IntakeProcess:
        self.tmp.mkdir(exist_ok=True)
        env = {**os.environ, "TMPDIR": str(self.tmp)}
        command = [sys.executable, "-m", "testament", "intake", "serve", str(self.folder)]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [*command, "--port", str(self.port)], stdout=log, stderr=log, env=env
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(self.log.read_text()) from None
                time.sleep(0.05)
        raise RuntimeError("the intake did not start")

    def kill(self) -> None:
        """``kill -9``: no chance to clean up."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def new_source(client: httpx.Client, lang: str = "en") -> str:
    front = client.get(f"/?lang={lang}")
    page = client.post(f"/codename?lang={lang}", data={"csrf_token": csrf(front.text)})
    page.raise_for_status()
    match = CODENAME.search(page.text)
    assert match
    return match.group(1)


def csrf(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match
    return match.group(1)
