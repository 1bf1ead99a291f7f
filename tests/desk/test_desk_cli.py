"""`testament desk pull|reply` from the command line: what the reviewer sees and types."""

from __future__ import annotations

import json

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
