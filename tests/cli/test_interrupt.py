"""Ctrl-C stops a command with one line and status 130: no traceback, no SQL, no output file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from testament.store import Casebook
from testament.store.persons import person_links
from tests.support.cli import run_cli
from tests.support.listed_persons import listed_persons

SRC = Path(__file__).resolve().parents[2] / "src"


def _default_sigint() -> None:
    # A shell starts background jobs with SIGINT ignored; a person at a terminal does not.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
def test_ctrl_c_during_link_leaves_nothing_and_prints_no_traceback(capsys, tmp_path):
    records = tmp_path / "records.csv"
    generated = run_cli(
        capsys, "synth", "lists", "--people", "4000", "--lists", "4", "--out", str(records)
    )
    assert generated.exit_code == 0, generated.stderr
    out = tmp_path / "clusters.csv"
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), *sys.path])}
    process = subprocess.Popen(
        [sys.executable, "-m", "testament", "link", str(records), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
        text=True,
        preexec_fn=_default_sigint,  # noqa: PLW1509 - the child is single-threaded at this point
    )
    assert process.stderr is not None
    seen: list[str] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait until DuckDB is at work
        line = process.stderr.readline()
        if not line:
            break
        seen.append(line)
        if "estimating u" in line:
            break
    assert any("estimating u" in line for line in seen), "".join(seen)
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    _, rest = process.communicate(timeout=120)
    stderr = "".join(seen) + rest
    assert process.returncode == 130, stderr
    assert "interrupted, nothing written" in stderr
    assert "Traceback" not in stderr
    assert "select" not in stderr.lower()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["records.csv"]


def test_ctrl_c_during_link_casebook_stores_nothing(capsys, tmp_path, monkeypatch):
    records, _ = listed_persons(people=60)
    db = tmp_path / "casebook.sqlite"
    with Casebook.create(db) as casebook:
        casebook.add(records, actor="analyst")  # type: ignore[arg-type]

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("testament.casework.linking.link_records", interrupted)
    history = tmp_path / "history.csv"
    result = run_cli(capsys, "link", "casebook", "--db", str(db), "--history", str(history))
    assert result.exit_code == 130
    assert result.stderr.strip() == "interrupted, nothing written"
    assert not history.exists()
    with Casebook.open(db) as casebook:
        assert person_links(casebook) == []


def test_ctrl_c_in_any_other_command_is_status_130_without_traceback(capsys, monkeypatch):
    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("testament.synth.generate_lists", interrupted)
    result = run_cli(capsys, "synth", "lists", "--people", "10", "--out", "unused.csv")
    assert result.exit_code == 130
    assert result.stderr.strip() == "interrupted"
    assert not Path("unused.csv").exists()
