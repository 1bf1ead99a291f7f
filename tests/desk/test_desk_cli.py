"""`testament desk pull|reply` from the command line: what the reviewer sees and types."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest

from testament.crypto.age import encrypt_bytes, parse_recipient
from testament.crypto.items import MAGIC
from testament.desk.client import IntakeClient
from tests.desk.live import SourceBrowser
from tests.support.cli import run_cli


def test_pull_progress_shows_what_a_source_sent_literally(capsys, desk_cli, reviewer_file):
    """A hostile source's item header quoted in a failure is text, not markup that breaks the
    pull (``[/]`` made Rich raise) nor an escape sequence the terminal obeys."""
    header = json.dumps({"kind": "[/][bold]x", "filename": None, "content_type": "text/plain"})
    plaintext = MAGIC + header.encode() + b"\nbody"
    browser = SourceBrowser(desk_cli.intake)
    browser.new_codename()
    ciphertext = encrypt_bytes(plaintext, [parse_recipient(reviewer_file.recipient)])
    browser.submit(sealed=(("sealed_message", ciphertext),))
    browser.close()

    result = run_cli(
        capsys, "desk", "pull", *desk_cli.options(), "--identity", str(desk_cli.identity)
    )

    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert "NOT stored: item" in result.stderr
    assert "[/][bold]x" in result.stderr


def test_a_pull_into_a_read_only_casebook_leaves_the_submission_on_the_intake(
    capsys, desk_cli, refuse_writes
):
    secret = "They took my brother on 3 March; SECRET-TESTIMONY-TEXT"
    browser = SourceBrowser(desk_cli.intake)
    browser.new_codename()
    browser.submit(secret)
    browser.close()
    refuse_writes()

    result = run_cli(
        capsys, "desk", "pull", *desk_cli.options(), "--identity", str(desk_cli.identity)
    )

    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert secret not in result.stderr + result.stdout
    assert "read-only" in result.stderr
    assert str(desk_cli.casebook) in result.stderr
    pending = IntakeClient(desk_cli.intake.url, desk_cli.intake.token).submissions()
    assert len(pending) == 1  # not acknowledged: nothing is lost


# -- desk reply: where the text comes from -----------------------------------------------------

REPLY = "Спасибо, мы прочитали.\nThank you: we read it [carefully]."


@pytest.fixture
def answerable(capsys, desk_cli):
    """A source that submitted, pulled by the desk: (its casebook id, the source's browser)."""
    browser = SourceBrowser(desk_cli.intake)
    browser.new_codename()
    browser.submit("what happened")
    pulled = run_cli(
        capsys, "desk", "pull", *desk_cli.options(), "--identity", str(desk_cli.identity)
    )
    assert pulled.exit_code == 0, pulled.stderr
    (source_id,) = re.findall(r"(intake:[0-9a-f]{32}): stored", pulled.stderr)
    yield source_id, browser
    browser.close()


class Terminal(io.StringIO):
    """Standard input that is a terminal (nothing typed into it)."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def piped_stdin(monkeypatch):
    """Standard input that is not a terminal, and empty."""
    monkeypatch.setattr("sys.stdin", io.StringIO(""))


def reply(capsys, desk_cli, source_id, *options):
    return run_cli(capsys, "desk", "reply", source_id, *desk_cli.options(), *options)


def test_the_reply_is_read_from_a_file(capsys, desk_cli, answerable, tmp_path):
    source_id, browser = answerable
    draft = tmp_path / "reply.txt"
    draft.write_text(REPLY, encoding="utf-8")

    result = reply(capsys, desk_cli, source_id, "--file", str(draft))

    assert result.exit_code == 0, result.stderr
    assert "Спасибо, мы прочитали." in browser.source_page()


def test_the_reply_is_read_from_standard_input(capsys, desk_cli, answerable, monkeypatch):
    source_id, browser = answerable
    monkeypatch.setattr("sys.stdin", io.StringIO(REPLY))

    result = reply(capsys, desk_cli, source_id, "--file", "-")

    assert result.exit_code == 0, result.stderr
    assert "Спасибо, мы прочитали." in browser.source_page()


def test_the_reply_is_written_in_the_editor_in_a_private_folder_then_deleted(
    capsys, desk_cli, answerable, monkeypatch, tmp_path
):
    source_id, browser = answerable
    seen = tmp_path / "seen.json"
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import json, os, pathlib, sys\n"
        "draft = pathlib.Path(sys.argv[1])\n"
        "mode = draft.parent.stat().st_mode & 0o777\n"
        f"pathlib.Path({str(seen)!r}).write_text(json.dumps([str(draft), mode]))\n"
        f"draft.write_text({REPLY!r}, encoding='utf-8')\n"
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setattr("sys.stdin", Terminal())

    result = reply(capsys, desk_cli, source_id)

    assert result.exit_code == 0, result.stderr
    assert "Спасибо, мы прочитали." in browser.source_page()
    draft, mode = json.loads(seen.read_text())
    assert mode == 0o700
    assert not Path(draft).exists()
    assert not Path(draft).parent.exists()


def test_an_editor_that_fails_sends_nothing(capsys, desk_cli, answerable, monkeypatch):
    source_id, _ = answerable
    monkeypatch.setenv("EDITOR", f"{sys.executable} -c 'raise SystemExit(3)'")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setattr("sys.stdin", Terminal())

    result = reply(capsys, desk_cli, source_id)

    assert result.exit_code == 1
    assert "nothing was sent" in result.stderr
    assert "exited with status 3" in result.stderr


def test_an_empty_draft_sends_nothing(capsys, desk_cli, answerable, monkeypatch):
    source_id, _ = answerable
    monkeypatch.setenv("EDITOR", "true")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setattr("sys.stdin", Terminal())

    result = reply(capsys, desk_cli, source_id)

    assert result.exit_code == 1
    assert "empty" in result.stderr


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ([], "--file -"),  # stdin is not a terminal: no editor, say how to give the text
        (["--text", "x", "--file", "-"], "not both"),
        (["--file", "/no/such/reply.txt"], "/no/such/reply.txt"),
    ],
    ids=["no-text", "both", "missing-file"],
)
@pytest.mark.usefixtures("piped_stdin")
def test_a_reply_without_usable_text_is_refused_clearly(
    capsys, desk_cli, answerable, options, expected
):
    source_id, _ = answerable

    result = reply(capsys, desk_cli, source_id, *options)

    assert result.exit_code == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert expected in result.stderr


def test_a_reply_file_that_is_not_utf8_is_refused(capsys, desk_cli, answerable, tmp_path):
    source_id, _ = answerable
    draft = tmp_path / "reply.txt"
    draft.write_bytes("Спасибо".encode("cp1251"))

    result = reply(capsys, desk_cli, source_id, "--file", str(draft))

    assert result.exit_code == 1
    assert "UTF-8" in result.stderr


def test_the_help_warns_that_text_lands_in_shell_history(capsys):
    result = run_cli(capsys, "desk", "reply", "--help")

    assert "history" in " ".join(result.stdout.split())
    assert "$EDITOR" in result.stdout
