"""Running a real intake as its own process on loopback, for the intake benchmarks."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
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


def init_intake(instance: Path, recipient: str) -> None:
    """``testament intake init`` of a new instance folder for one reviewer recipient."""
    command = [*TESTAMENT, "intake", "init", str(instance), "--recipient", recipient]
    subprocess.run(command, check=True, capture_output=True)


@contextmanager
def running_intake(instance: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """The intake of ``instance`` serving on a free loopback port (its log beside the folder),
    stopped on leaving: yields the process and the port."""
    port = free_port()
    process = start_intake(instance, port, instance.with_suffix(".log"))
    try:
        yield process, port
    finally:
        process.terminate()
        process.wait(10)
