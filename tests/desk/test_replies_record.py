"""Every reply sent is recorded in the casebook (who, when, what), by one function that the CLI
and the desk's reply form share; a pull leaves one audit row."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from testament.core.records import Source
from testament.desk.replies import record_reply, replies_of
from testament.store import Casebook
from tests.desk.live import SourceBrowser
from tests.support.cli import run_cli

REPLY = "Спасибо, мы прочитали. Адвокат позвонит в понедельник."
NOW = datetime(2026, 12, 2, 15, 30, tzinfo=UTC)


@pytest.fixture
def pulled_by_cli(capsys, desk_cli):
    """A source that submitted, pulled by `desk pull`: (its casebook id, its codename)."""
    browser = SourceBrowser(desk_cli.intake)
    codename = browser.new_codename()
    browser.submit("what happened")
    browser.close()
    pulled = run_cli(
        capsys, "desk", "pull", *desk_cli.options(), "--identity", str(desk_cli.identity),
        "--reviewer", "amina",
    )  # fmt: skip
    assert pulled.exit_code == 0, pulled.stderr
    (source_id,) = re.findall(r"(intake:[0-9a-f]{32}): stored", pulled.stderr)
    return source_id, codename


def test_the_pull_command_leaves_one_audit_row_with_its_counts(desk_cli, pulled_by_cli):
    source_id, _ = pulled_by_cli
    with Casebook.open(desk_cli.casebook) as book:
        (row,) = book.audit(record_type="intake")
    assert (row.action, row.actor, row.record_id) == ("pull", "desk:amina", desk_cli.intake.url)
    assert row.after == {
        "intake": desk_cli.intake.url,
        "stored": [source_id],
        "skipped": 0,
        "acknowledged": 1,
        "failed": 0,
        "withheld": 0,
    }


def test_the_reply_command_records_the_reply_with_its_author(capsys, desk_cli, pulled_by_cli):
    source_id, codename = pulled_by_cli

    result = run_cli(
        capsys, "desk", "reply", source_id, "--text", REPLY, *desk_cli.options(),
        "--reviewer", "amina",
    )  # fmt: skip

    assert result.exit_code == 0, result.stderr
    with Casebook.open(desk_cli.casebook) as book:
        (recorded,) = replies_of(book.engine, source_id)
        (audited,) = book.audit(record_type="desk_reply")
    assert recorded.id in result.stdout
    assert (recorded.author, recorded.text, recorded.source_id) == ("amina", REPLY, source_id)
    assert abs((datetime.now(UTC) - recorded.sent_at).total_seconds()) < 120
    assert (audited.action, audited.actor, audited.record_id) == (
        "reply",
        "desk:amina",
        recorded.id,
    )
    source = SourceBrowser(desk_cli.intake)
    source.log_in(codename)
    assert "Адвокат позвонит" in source.source_page()  # the source's key decrypts it
    source.close()


def test_replies_are_listed_oldest_first_with_who_and_when(casebook):
    casebook.add([Source(id="intake:s1", kind="testimony", text="words")], actor="test")

    record_reply(casebook, "b" * 32, "intake:s1", "  second  ", author="zaur", now=NOW)
    record_reply(casebook, "a" * 32, "intake:s1", "first", author="amina", now=NOW.replace(hour=9))

    listed = replies_of(casebook.engine, "intake:s1")
    assert [(r.author, r.text, r.sent_at) for r in listed] == [
        ("amina", "first", NOW.replace(hour=9)),
        ("zaur", "second", NOW),  # recorded as sent: stripped
    ]
    assert replies_of(casebook.engine, "intake:other") == []


@pytest.mark.postgres
def test_replies_are_recorded_on_postgresql(postgres_url):
    with Casebook.create(postgres_url) as book:
        book.add([Source(id="intake:s1", kind="testimony", text="words")], actor="test")
        record_reply(book, "c" * 32, "intake:s1", REPLY, author="amina", now=NOW)
        (recorded,) = replies_of(book.engine, "intake:s1")
        (audited,) = book.audit(record_type="desk_reply")
    assert (recorded.text, recorded.sent_at) == (REPLY, NOW)
    assert audited.after["source_id"] == "intake:s1"
