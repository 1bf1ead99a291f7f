"""`testament desk reply`: only the source, logged in with the codename, reads the answer."""

from __future__ import annotations

import pytest

from testament.desk.errors import UnknownSourceError
from testament.desk.reply import send_reply
from tests.desk.live import SourceBrowser
from tests.support.cli import run_cli

REPLY = "Спасибо. Мы прочитали. Thank you, we have read it <b>carefully</b>."


def test_a_reply_reaches_the_source_after_a_new_log_in(desk, source):
    codename = source.new_codename()
    source.submit("what happened")
    (source_id,) = desk.pull().stored

    sent = send_reply(desk.client, desk.contacts, source_id, REPLY)

    assert sent.source_id == source_id
    returning = SourceBrowser(desk.intake)  # another day, another browser: only the codename
    returning.log_in(codename)
    page = returning.source_page()
    returning.close()
    assert "Спасибо. Мы прочитали." in page
    assert "&lt;b&gt;carefully&lt;/b&gt;" in page  # shown as text, not as markup
    # the intake keeps only ciphertext of the reply
    for path in desk.intake.folder.rglob("*"):
        if path.is_file():
            assert "Мы прочитали".encode() not in path.read_bytes()


def test_another_source_does_not_see_the_reply(desk, source):
    source.new_codename()
    source.submit("first source")
    other = SourceBrowser(desk.intake)
    other.new_codename()
    other.submit("second source")
    stored = desk.pull().stored
    assert len({desk.contacts.get(source_id).source for source_id in stored}) == 2

    send_reply(desk.client, desk.contacts, stored[0], REPLY)

    pages = [source.source_page(), other.source_page()]
    other.close()
    assert sum("Мы прочитали" in page for page in pages) == 1


def test_the_reply_command_with_a_copy_for_the_desk(desk, source, capsys, tmp_path):
    source.new_codename()
    source.submit("what happened")
    (source_id,) = desk.pull().stored
    token_file = tmp_path / "token"
    token_file.write_text(desk.intake.token)

    result = run_cli(
        capsys, "desk", "reply", source_id, "--text", REPLY, "--intake", desk.intake.url,
        "--token-file", str(token_file), "--casebook", str(desk.casebook_path),
        "--copy-to", str(desk.reviewer.to_public()),
    )  # fmt: skip

    assert result.exit_code == 0, result.stderr
    assert source_id in result.stdout
    assert "Мы прочитали" in source.source_page()


def test_a_source_that_was_never_pulled_cannot_be_answered(client, contacts):
    with pytest.raises(UnknownSourceError, match="testament desk pull"):
        send_reply(client, contacts, "intake:" + "0" * 32, REPLY)


def test_a_reply_goes_only_to_the_intake_the_source_came_from(desk, source, tmp_path, capsys):
    source.new_codename()
    source.submit("what happened")
    (source_id,) = desk.pull().stored
    token_file = tmp_path / "token"
    token_file.write_text(desk.intake.token)

    result = run_cli(
        capsys, "desk", "reply", source_id, "--text", REPLY, "--intake", "http://elsewhere.onion",
        "--proxy", "socks5h://127.0.0.1:9",  # never used: the mismatch is found first
        "--token-file", str(token_file), "--casebook", str(desk.casebook_path),
    )  # fmt: skip

    assert result.exit_code == 1
    assert "send the reply to the intake the source uses" in result.stderr
