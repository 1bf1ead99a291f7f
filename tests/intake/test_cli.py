"""``testament intake init|token|serve``: an instance from the command line, and clear errors."""

from __future__ import annotations

import hashlib
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time

import requests
from pyrage import x25519

from testament.intake.settings import load_settings
from tests.support.cli import run_cli


def test_init_creates_an_instance_that_loads(capsys, tmp_path):
    recipient = str(x25519.Identity.generate().to_public())
    result = run_cli(capsys, "intake", "init", str(tmp_path / "i"), "--recipient", recipient)
    assert result.exit_code == 0, result.stderr
    settings = load_settings(tmp_path / "i")
    assert settings.recipients == (recipient,)
    assert len(settings.pepper) == 32
    assert (tmp_path / "i" / "intake.toml").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "i" / "intake.sqlite").exists()
    assert settings.pepper.hex() not in result.stdout


def test_init_refuses_a_bad_recipient_and_an_existing_instance(capsys, tmp_path):
    bad = run_cli(capsys, "intake", "init", str(tmp_path / "i"), "--recipient", "age1nope")
    assert bad.exit_code == 1
    assert "--recipient" in bad.stderr
    recipient = str(x25519.Identity.generate().to_public())
    run_cli(capsys, "intake", "init", str(tmp_path / "j"), "--recipient", recipient)
    again = run_cli(capsys, "intake", "init", str(tmp_path / "j"), "--recipient", recipient)
    assert again.exit_code == 1
    assert "already exists" in again.stderr


def test_token_prints_a_new_token_and_stores_only_its_hash(capsys, tmp_path):
    recipient = str(x25519.Identity.generate().to_public())
    run_cli(capsys, "intake", "init", str(tmp_path / "i"), "--recipient", recipient)
    first = run_cli(capsys, "intake", "token", str(tmp_path / "i")).stdout.strip()
    second = run_cli(capsys, "intake", "token", str(tmp_path / "i")).stdout.strip()
    assert first != second
    stored = (tmp_path / "i" / "intake.toml").read_text()
    assert first not in stored
    assert second not in stored
    assert (
        load_settings(tmp_path / "i").desk_token_sha256
        == hashlib.sha256(second.encode()).hexdigest()
    )


def test_serve_without_an_instance_says_what_to_do(capsys, tmp_path):
    result = run_cli(capsys, "intake", "serve", str(tmp_path / "none"))
    assert result.exit_code == 1
    assert "testament intake init" in result.stderr


def make_instance(capsys, folder) -> None:
    recipient = str(x25519.Identity.generate().to_public())
    assert run_cli(capsys, "intake", "init", str(folder), "--recipient", recipient).exit_code == 0


def test_serve_on_a_port_in_use_says_so_and_exits_1(capsys, tmp_path):
    make_instance(capsys, tmp_path / "i")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = run_cli(capsys, "intake", "serve", str(tmp_path / "i"), "--port", str(port))

    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert f"127.0.0.1:{port}" in result.stderr
    assert "in use" in result.stderr
    assert "--port" in result.stderr  # what to do


def test_serve_on_an_address_not_of_this_machine_says_so(capsys, tmp_path):
    make_instance(capsys, tmp_path / "i")

    result = run_cli(capsys, "intake", "serve", str(tmp_path / "i"), "--host", "192.0.2.1")

    assert result.exit_code == 1
    assert "192.0.2.1:8080" in result.stderr
    assert "--host" in result.stderr


def test_serve_says_where_it_listens(capsys, tmp_path):
    """Run as a person does (its own process), with --port 0: it must say which port it got."""
    make_instance(capsys, tmp_path / "i")
    command = [sys.executable, "-m", "testament", "intake", "serve", str(tmp_path / "i")]
    env = os.environ | {"PYTHONPATH": os.pathsep.join(sys.path)}
    with subprocess.Popen(
        [*command, "--port", "0"], stderr=subprocess.PIPE, text=True, env=env
    ) as server:
        try:
            match = wait_for(server, re.compile(r"http://127\.0\.0\.1:(\d+)"), timeout=60)
            answer = requests.get(match.group(0) + "/", timeout=10)
            assert answer.status_code == 200
        finally:
            server.terminate()
            server.wait(timeout=30)


def wait_for(process: subprocess.Popen[str], pattern: re.Pattern[str], timeout: float) -> re.Match:
    """The first match of ``pattern`` in what ``process`` writes to stderr, within ``timeout``."""
    assert process.stderr is not None
    lines: queue.Queue[str] = queue.Queue()
    stream = process.stderr
    threading.Thread(target=lambda: [lines.put(line) for line in stream], daemon=True).start()
    deadline = time.monotonic() + timeout
    seen = []
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        seen.append(line)
        if match := pattern.search(line):
            return match
    raise AssertionError(f"the intake did not say where it listens: {seen}")
