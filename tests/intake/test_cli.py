"""``testament intake init|token``: an instance from the command line, and clear errors."""

from __future__ import annotations

import hashlib

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
