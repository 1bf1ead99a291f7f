"""A real PostgreSQL server for the tests, started from Debian's binaries in a temporary folder.

No mock and no shared system cluster: ``initdb`` makes a throwaway cluster listening on a Unix
socket only (no TCP port to collide with), the tests create one database per test, and the server
is stopped at the end of the session. When the tests run as root (CI), the server runs as the
``postgres`` user, because PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_BIN_CANDIDATES = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def pg_bin() -> Path | None:
    for candidate in PG_BIN_CANDIDATES:
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextlib.contextmanager
def running_server(bin_dir: Path) -> Iterator[str]:
    """Run a throwaway PostgreSQL server; yield the folder of its Unix socket."""
    root = Path(tempfile.mkdtemp(prefix="testament-pg-"))
    data, socket_dir = root / "data", root / "socket"
    socket_dir.mkdir()
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
        os.chown(socket_dir, user.pw_uid, user.pw_gid)
    try:
        subprocess.run(
            _as_server_user(
                [
                    str(bin_dir / "initdb"),
                    "-D",
                    str(data),
                    "-A",
                    "trust",
                    "-U",
                    "testament",
                    "--no-sync",
                    "-E",
                    "UTF8",
                ]
            ),
            check=True,
            capture_output=True,
        )
        subprocess.run(
            _as_server_user(
                [
                    str(bin_dir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-w",
                    "-l",
                    str(root / "server.log"),
                    "-o",
                    (
                        f"-k {socket_dir} -c listen_addresses='' -c fsync=off "
                        "-c synchronous_commit=off"
                    ),
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )
        yield str(socket_dir)
    finally:
        subprocess.run(
            _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


def create_database(socket_dir: str) -> str:
    """A fresh, empty database on the server, as a ``postgresql://`` URL."""
    import psycopg

    name = f"casebook_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(
        f"host={socket_dir} user=testament dbname=postgres", autocommit=True
    ) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql://testament@/{name}?host={socket_dir}"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """Start a PostgreSQL server for the test session; yield the folder of its Unix socket."""
    from tests.conftest import require_component

    bin_dir = pg_bin()
    require_component(bin_dir is not None, "PostgreSQL server binaries (Debian package postgresql)")
    assert bin_dir is not None
    with running_server(bin_dir) as socket_dir:
        yield socket_dir


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A fresh, empty database on the test server, as a ``postgresql://`` URL."""
    return create_database(postgres_server)
