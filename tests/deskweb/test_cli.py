"""``testament desk user add|list|disable`` and ``desk serve`` as a person runs them."""

from __future__ import annotations

import re
from pathlib import Path

import pyotp
import pytest

from testament.store import Casebook
from tests.support.cli import run_cli

PASSWORD = "lantern orbit meadow cipher"


@pytest.fixture
def book(tmp_path, monkeypatch):
    path = tmp_path / "casebook.sqlite"
    Casebook.create(path).close()
    monkeypatch.setenv("TESTAMENT_DESK_PASSWORD", PASSWORD)
    return str(path)


def test_user_add_prints_the_enrolment_once(capsys, book):
    result = run_cli(
        capsys, "desk", "user", "add", "--db", book, "--name", "amina", "--role", "researcher"
    )
    assert result.exit_code == 0, result.stderr
    uri = re.search(r"otpauth://totp/\S+", result.stdout).group(0)
    secret = re.search(r"secret=([A-Z2-7]+)", uri).group(1)
    assert pyotp.TOTP(secret).now().isdigit()
    assert "▀" in result.stdout or "█" in result.stdout  # the QR code, drawn in the terminal
    assert re.search(r"/enrol/[A-Za-z0-9_-]{43}", result.stdout)
    assert "shown once" in result.stderr
    listing = run_cli(capsys, "desk", "user", "list", "--db", book)
    assert listing.stdout.split() == ["amina", "researcher", "active"]


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["--name", "amina", "--role", "boss"], PASSWORD, "unknown role 'boss'"),
        (["--name", "../amina", "--role", "viewer"], PASSWORD, "is not allowed"),
        (["--name", "amina", "--role", "viewer"], "password123", "too easy to guess"),
        (["--name", "amina", "--role", "viewer"], "short", "at least 10 characters"),
    ],
)
def test_user_add_explains_what_is_wrong(  # noqa: PLR0917 - pytest passes fixtures by position
    capsys, book, monkeypatch, args, password, message
):
    monkeypatch.setenv("TESTAMENT_DESK_PASSWORD", password)
    result = run_cli(capsys, "desk", "user", "add", "--db", book, *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_name_is_taken_once(capsys, book):
    run_cli(capsys, "desk", "user", "add", "--db", book, "--name", "amina", "--role", "viewer")
    again = run_cli(
        capsys, "desk", "user", "add", "--db", book, "--name", "amina", "--role", "admin"
    )
    assert again.exit_code == 1
    assert "exists already" in again.stderr


def test_user_disable(capsys, book):
    run_cli(capsys, "desk", "user", "add", "--db", book, "--name", "amina", "--role", "viewer")
    assert (
        run_cli(capsys, "desk", "user", "disable", "--db", book, "--name", "amina").exit_code == 0
    )
    assert run_cli(capsys, "desk", "user", "list", "--db", book).stdout.split() == [
        "amina",
        "viewer",
        "disabled",
    ]
    missing = run_cli(capsys, "desk", "user", "disable", "--db", book, "--name", "nobody")
    assert missing.exit_code == 1
    assert "no user named 'nobody'" in missing.stderr


def test_serve_refuses_a_missing_casebook_clearly(capsys, tmp_path):
    result = run_cli(capsys, "desk", "serve", "--db", str(tmp_path / "nothing.sqlite"))
    assert result.exit_code == 1
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def intake_files(tmp_path):
    token, identity = tmp_path / "token", tmp_path / "reviewer.age"
    token.write_text("a-desk-token\n")
    identity.write_text("-----BEGIN AGE ENCRYPTED FILE-----\n")  # never opened at start-up
    return token, identity


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--token-file", "TOKEN"], "--token-file need(s) --intake"),
        (["--intake", "http://127.0.0.1:9"], "--intake needs --token-file and --identity"),
        (["--intake", "http://127.0.0.1:9", "--token-file", "TOKEN"], "needs --identity"),
        (
            [
                "--intake",
                "http://" + "a" * 56 + ".onion",
                "--token-file",
                "TOKEN",
                "--identity",
                "IDENTITY",
            ],
            "--proxy socks5h://127.0.0.1:9050",
        ),
        (
            ["--intake", "http://127.0.0.1:9", "--token-file", "MISSING", "--identity", "IDENTITY"],
            "cannot read the token file",
        ),
        (
            ["--intake", "http://127.0.0.1:9", "--token-file", "TOKEN", "--identity", "MISSING"],
            "testament desk keygen",
        ),
    ],
)
def test_serve_explains_a_wrong_intake_connection(capsys, book, intake_files, args, message):
    token, identity = intake_files
    paths = {"TOKEN": str(token), "IDENTITY": str(identity), "MISSING": str(token) + ".none"}
    args = [paths.get(arg, arg) for arg in args]

    result = run_cli(capsys, "desk", "serve", "--db", book, *args)

    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_the_intake_options_make_one_setting(book, intake_files):
    from testament.cli.desk_web import intake_connection
    from testament.core.errors import SettingsError
    from testament.desk.contacts import contacts_path

    token, identity = intake_files
    assert intake_connection(book, None, None, None, None, None) is None
    made = intake_connection(book, "http://127.0.0.1:9/", token, identity, None, None)
    assert made is not None
    assert made.contacts == contacts_path(Path(book))  # the SQLite casebook's sidecar
    assert "a-desk-token" not in repr(made)
    with pytest.raises(SettingsError, match="--contacts"):
        intake_connection("postgresql:///desk", "http://127.0.0.1:9", token, identity, None, None)
