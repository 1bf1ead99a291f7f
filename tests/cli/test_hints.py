"""Every command an error message suggests works when typed as shown.

The casebook's "create it with `testament init X`" did not (``init`` takes ``--db``), nor did
"run `testament migrate X`". These tests follow each hint: they run the suggested command, with
only the values the program cannot know (a recipient, a new file's name) filled in.
"""

from __future__ import annotations

import re
import shlex
import sqlite3
from pathlib import Path

import pytest
from pyrage import x25519

from testament.store import Casebook
from testament.store.engine import make_engine
from testament.store.migrate import upgrade
from tests.support.cli import CliResult, run_cli

_HINT = re.compile(r"`(testament [^`]+)`")


@pytest.fixture(autouse=True)
def _in_a_scratch_folder(tmp_path, monkeypatch):
    """A hint run as shown may create files where it runs: never in the repository."""
    monkeypatch.chdir(tmp_path)


def hint(result: CliResult, **placeholders: str) -> list[str]:
    """The arguments of the command the error suggests, placeholders replaced."""
    assert result.exit_code == 1, result.stderr
    (command,) = _HINT.findall(result.stderr)
    words = shlex.split(command)
    assert words[0] == "testament"
    return [placeholders.get(word, word) for word in words[1:]]


def test_a_missing_casebook_names_the_init_command_that_creates_it(capsys, tmp_path):
    path = tmp_path / "my cases" / "case book.sqlite"  # spaces: the hint must quote the path
    path.parent.mkdir()

    missing = run_cli(capsys, "sources", "--db", str(path))
    created = run_cli(capsys, *hint(missing))

    assert created.exit_code == 0, created.stderr
    assert run_cli(capsys, "sources", "--db", str(path)).exit_code == 0


def old_casebook(path: Path) -> None:
    """A casebook at schema 0001, as an earlier testament made it (its own migration, so the
    later ones need not be undone by hand)."""
    engine = make_engine(path)
    try:
        with engine.begin() as connection:
            upgrade(connection, "0001")
    finally:
        engine.dispose()


def test_an_old_casebook_names_the_migrate_command(capsys, tmp_path):
    path = tmp_path / "old (2017).sqlite"
    old_casebook(path)

    refused = run_cli(capsys, "sources", "--db", str(path))
    migrated = run_cli(capsys, *hint(refused))

    assert migrated.exit_code == 0, migrated.stderr
    assert run_cli(capsys, "sources", "--db", str(path)).exit_code == 0


def test_a_file_that_is_not_a_casebook_names_a_command_that_makes_one(capsys, tmp_path):
    other = tmp_path / "notes.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")

    refused = run_cli(capsys, "sources", "--db", str(other))
    args = hint(refused)
    created = run_cli(capsys, *args)

    assert created.exit_code == 0, created.stderr
    assert run_cli(capsys, "sources", "--db", args[args.index("--db") + 1]).exit_code == 0


def test_a_missing_intake_instance_names_the_init_command(capsys, tmp_path):
    folder = tmp_path / "my intake"
    recipient = str(x25519.Identity.generate().to_public())

    refused = run_cli(capsys, "intake", "token", str(folder))
    created = run_cli(capsys, *hint(refused, **{"age1...": recipient}))

    assert created.exit_code == 0, created.stderr
    assert run_cli(capsys, "intake", "token", str(folder)).exit_code == 0


def test_a_damaged_token_hash_names_the_way_to_a_new_token(capsys, tmp_path):
    folder = tmp_path / "intake"
    recipient = str(x25519.Identity.generate().to_public())
    assert run_cli(capsys, "intake", "init", str(folder), "--recipient", recipient).exit_code == 0
    settings = folder / "intake.toml"
    text = re.sub(r'desk_token_sha256 = "[^"]*"', 'desk_token_sha256 = "xyz"', settings.read_text())
    settings.write_text(text)

    refused = run_cli(capsys, "intake", "token", str(folder))
    assert "desk_token_sha256" in refused.stderr
    # the message says to remove the line first: do as it says, then run the command
    settings.write_text(
        "".join(line for line in text.splitlines(True) if "desk_token_sha256" not in line)
    )
    issued = run_cli(capsys, *hint(refused))

    assert issued.exit_code == 0, issued.stderr


def test_a_missing_identity_names_the_keygen_command(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("TESTAMENT_PASSPHRASE", "a long reviewer passphrase")
    identity = tmp_path / "keys" / "reviewer one.age"
    identity.parent.mkdir()
    token = tmp_path / "token"
    token.write_text("t")
    db = tmp_path / "c.sqlite"
    Casebook.create(db).close()

    refused = run_cli(
        capsys, "desk", "pull", "--intake", "http://127.0.0.1:9", "--token-file", str(token),
        "--identity", str(identity), "--casebook", str(db),
    )  # fmt: skip
    created = run_cli(capsys, *hint(refused))

    assert created.exit_code == 0, created.stderr
    assert identity.exists()


@pytest.mark.parametrize("word", ["init", "migrate"])
def test_the_casebook_commands_take_the_path_as_db(capsys, tmp_path, word):
    """What the hints rely on: --db is how these commands are told the casebook."""
    result = run_cli(capsys, word, "--help")
    assert "--db" in result.stdout


def test_an_incomplete_intake_instance_names_the_way_to_a_new_one(capsys, tmp_path):
    folder = tmp_path / "intake"
    folder.mkdir()
    (folder / "intake.toml").write_text('pepper = "' + "ab" * 32 + '"\n')
    recipient = str(x25519.Identity.generate().to_public())

    refused = run_cli(capsys, "intake", "token", str(folder))
    assert "move the folder aside" in refused.stderr
    folder.rename(tmp_path / "intake.old")  # as the message says
    created = run_cli(capsys, *hint(refused, **{"age1...": recipient}))

    assert created.exit_code == 0, created.stderr


def test_a_new_intake_names_the_token_command(capsys, tmp_path):
    folder = tmp_path / "my intake"
    recipient = str(x25519.Identity.generate().to_public())

    created = run_cli(capsys, "intake", "init", str(folder), "--recipient", recipient)
    (command,) = re.findall(r"Give the desk access with: testament (.+)", created.stdout)
    issued = run_cli(capsys, *shlex.split(command))

    assert issued.exit_code == 0, issued.stderr
