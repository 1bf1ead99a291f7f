"""Run the CLI in-process, the way a person runs it, and keep what it printed."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from testament.cli import run


@dataclass(frozen=True)
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> CliResult:
    """Run ``testament ARGS`` in this process and return its exit status and output."""
    capsys.readouterr()  # forget what earlier steps printed
    code = run(list(args))
    out, err = capsys.readouterr()
    return CliResult(code, out, err)
