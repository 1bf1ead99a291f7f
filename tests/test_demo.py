"""``make demo`` shows what the tool exists for."""

from __future__ import annotations

from pathlib import Path

import pytest

from testament.demo.__main__ import main


def test_the_demo_builds_a_casebook_and_shows_corroboration_and_derivation(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(tmp_path / "demo") == 0
    output = " ".join(capsys.readouterr().out.split())
    assert (tmp_path / "demo" / "casebook.sqlite").exists()
    assert "The mass-detention claim stands on 4 independent lines of reporting" in output
    assert "flagged disputed and denied by authorities" in output
    assert "src-digest-2017 repeats src-novaya-2017-04-01" in output
    assert "Against the synthetic truth, the links are right" in output
    assert "LCMCR" in output
    assert (tmp_path / "demo" / "lists" / "history.csv").exists()
    assert f"Open the report: {tmp_path / 'demo' / 'report' / 'index.html'}" in output
    assert (tmp_path / "demo" / "report" / "charts" / "estimates.svg").exists()
    assert main(tmp_path / "demo") == 0  # runs again on top of its own output
    assert "The mass-detention claim" in capsys.readouterr().out
