"""Running a real intake as its own process on loopback, for the intake benchmarks."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

TESTAMENT = [sys.executable, "-m", "testament"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_intake(instance: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    """``testament intake serve`` on 127.0.0.1:``port``, returned once it accepts connections."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*TESTAMENT, "intake", "serve", str(instance), "--port", str(port)],
            stdout=out,
            stderr=out,
        )
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"the intake did not start: {log.read_text()}")
