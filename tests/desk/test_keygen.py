"""`testament desk keygen`: a reviewer identity that is useless without its passphrase."""

from __future__ import annotations

import stat

import pytest
from pyrage import x25519

from testament.crypto.age import decrypt_bytes, encrypt_bytes, parse_recipient
from testament.desk.errors import IdentityError
from testament.desk.keygen import load_identity
from tests.support.cli import run_cli

PASSPHRASE = "correct horse battery staple"


def test_keygen_prints_the_recipient_of_a_passphrase_protected_identity(
    tmp_path, capsys, monkeypatch
):
    path = tmp_path / "reviewer.age"
    monkeypatch.setenv("TESTAMENT_PASSPHRASE", PASSPHRASE)

    result = run_cli(capsys, "desk", "keygen", str(path))

    assert result.exit_code == 0, result.stderr
    recipient = result.stdout.strip()
    parse_recipient(recipient)  # an X25519 age recipient, age1...
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    content = path.read_bytes()
    assert content.startswith(b"-----BEGIN AGE ENCRYPTED FILE-----")
    assert b"AGE-SECRET-KEY" not in content

    identity = load_identity(path, PASSPHRASE)
    assert str(identity.to_public()) == recipient
    secret = encrypt_bytes(b"a testimony", [parse_recipient(recipient)])
    assert decrypt_bytes(secret, [identity]) == b"a testimony"


def test_an_existing_identity_is_never_overwritten(tmp_path, capsys, monkeypatch):
    path = tmp_path / "reviewer.age"
    path.write_bytes(b"the only copy of someone's key")
    monkeypatch.setenv("TESTAMENT_PASSPHRASE", PASSPHRASE)

    result = run_cli(capsys, "desk", "keygen", str(path))

    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert path.read_bytes() == b"the only copy of someone's key"


def test_a_short_passphrase_is_refused_before_anything_is_written(tmp_path, capsys, monkeypatch):
    path = tmp_path / "reviewer.age"
    monkeypatch.setenv("TESTAMENT_PASSPHRASE", "short")

    result = run_cli(capsys, "desk", "keygen", str(path))

    assert result.exit_code == 1
    assert "at least 10 characters" in result.stderr
    assert not path.exists()


def test_an_unprotected_identity_file_is_refused(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text(f"{x25519.Identity.generate()}\n")

    with pytest.raises(IdentityError, match="unprotected identity"):
        load_identity(path, PASSPHRASE)


def test_a_missing_identity_file_says_how_to_make_one(tmp_path):
    with pytest.raises(IdentityError, match="testament desk keygen"):
        load_identity(tmp_path / "nowhere.age", PASSPHRASE)


@pytest.mark.parametrize(
    "weak", ["password1234567", "aaaaaaaaaaaaaaaa", "qwertyuiop123", "1234567890"]
)
def test_a_long_but_guessable_passphrase_is_refused(tmp_path, capsys, monkeypatch, weak):
    path = tmp_path / "reviewer.age"
    monkeypatch.setenv("TESTAMENT_PASSPHRASE", weak)

    result = run_cli(capsys, "desk", "keygen", str(path))

    assert result.exit_code == 1
    assert "too easy to guess" in result.stderr
    assert weak not in result.stderr
    assert not path.exists()


def test_a_wrong_passphrase_is_its_own_error_and_a_missing_file_is_not_one(tmp_path):
    from testament.desk.errors import WrongPassphraseError
    from testament.desk.keygen import create_identity

    path = tmp_path / "reviewer.age"
    create_identity(path, PASSPHRASE)
    with pytest.raises(WrongPassphraseError, match="wrong passphrase"):
        load_identity(path, PASSPHRASE + " not")
    with pytest.raises(IdentityError) as missing:
        load_identity(tmp_path / "elsewhere.age", PASSPHRASE)
    assert not isinstance(missing.value, WrongPassphraseError)
