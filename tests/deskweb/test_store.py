"""Migration 0003 on old casebooks, and the desk's queries on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from argon2 import PasswordHasher
from sqlalchemy import inspect

from testament.core.records import Source
from testament.desk.access import Role
from testament.desk.accounts import LockoutPolicy, add_user, authenticate
from testament.desk.inbox import POSTGRESQL_DOCUMENT, inbox
from testament.store import Casebook
from testament.store.engine import make_engine
from testament.store.migrate import upgrade

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_migrating_a_0002_casebook_indexes_the_sources_it_already_holds(tmp_path):
    path = tmp_path / "old.sqlite"
    engine = make_engine(path)
    try:
        with engine.begin() as connection:
            upgrade(connection, "0002")
            connection.exec_driver_sql(
                "INSERT INTO source (id, confidentiality, version, created_at, created_by, "
                "updated_at, updated_by, kind, text) VALUES ('old-1', 'public', 1, "
                "'2020-01-01', 'x', '2020-01-01', 'x', 'testimony', 'words from before')"
            )
    finally:
        engine.dispose()
    Casebook.migrate(path)
    with Casebook.open(path) as book:
        found = inbox(book.engine, role=Role.VIEWER, user_id=0, query="befor")
        assert found.search_method == "fts5"
        assert [row.source_id for row in found.rows] == ["old-1"]
        # the index follows changes made after the migration
        book.update(
            Source(id="old-1", kind="testimony", confidentiality="public", text="new words"),
            actor="test",
        )
        assert inbox(book.engine, role=Role.VIEWER, user_id=0, query="befor").rows == []
        assert inbox(book.engine, role=Role.VIEWER, user_id=0, query="new").total == 1


def test_the_migration_downgrades_cleanly(tmp_path):
    from alembic import command

    from testament.store.migrate import alembic_config

    path = tmp_path / "c.sqlite"
    Casebook.create(path).close()
    engine = make_engine(path)
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0002")
            tables = set(inspect(connection).get_table_names())
            assert not {"desk_user", "desk_session", "desk_read", "source_fts"} & tables
            assert "reason" not in {c["name"] for c in inspect(connection).get_columns("audit_log")}
            upgrade(connection)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_accounts_confidentiality_and_search_on_postgresql(postgres_url):
    with Casebook.create(postgres_url) as book:
        book.add(
            [
                Source(id="s-secret", kind="testimony", confidentiality="secret", text="Руслана"),
                Source(id="s-public", kind="testimony", confidentiality="public", text="50% of_it"),
            ],
            actor="test",
        )
        enrolment = add_user(
            book.engine,
            "amina",
            Role.ANALYST,
            "violet harbour quantum pickle",
            actor="test",
            now=NOW,
            hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
        )
        import pyotp

        user = authenticate(
            book.engine,
            "amina",
            "violet harbour quantum pickle",
            pyotp.TOTP(enrolment.secret).at(NOW),
            now=NOW,
            policy=LockoutPolicy(),
        )
        assert getattr(user, "name", None) == "amina"
        page = inbox(book.engine, role=Role.ANALYST, user_id=1)
        assert page.search_method == "postgresql"
        assert [row.source_id for row in page.rows] == ["s-public"]
        assert inbox(book.engine, role=Role.RESEARCHER, user_id=1, query="руслан").total == 1
        assert inbox(book.engine, role=Role.ANALYST, user_id=1, query="руслан").total == 0


@pytest.mark.postgres
def test_postgresql_search_matches_word_beginnings_through_its_index(postgres_url):
    texts = {
        "s-1": "Руслана задержали в Грозном",
        "s-2": "50% of_it; it's O'Brien\\'s \\ case",
        "s-3": "nothing here",
    }
    with Casebook.create(postgres_url) as book:
        book.add(
            [
                Source(id=key, kind="testimony", confidentiality="public", text=value)
                for key, value in texts.items()
            ],
            actor="test",
        )

        def found(query: str) -> list[str]:
            page = inbox(book.engine, role=Role.ADMIN, user_id=1, query=query)
            return sorted(row.source_id for row in page.rows)

        assert found("руслан") == ["s-1"]  # a prefix, whatever the case
        assert found("РУСЛАНА грозн") == ["s-1"]  # every word must match
        assert found("руслан nothing") == []
        assert found("задерж") == ["s-1"]
        assert found("ани") == []  # the beginning of a word, not any part of it
        # the query's punctuation is never tsquery syntax
        for hostile in ["o'brien", "it's", "\\", "a|b", "!nothing", "<->", "here:*", "(nothing"]:
            found(hostile)  # no error
        assert found("!nothing") == ["s-3"]
        assert found("a|b") == []
        assert found("!!!") == []  # nothing searchable: nothing found, not everything
        assert found("here !!!") == ["s-3"]
        with book.engine.connect() as connection:
            indexes = {row["name"] for row in inspect(connection).get_indexes("source")}
            assert "ix_source_fulltext" in indexes
            connection.exec_driver_sql("SET enable_seqscan = off")
            plan = "\n".join(
                row[0]
                for row in connection.exec_driver_sql(
                    "EXPLAIN SELECT id FROM source WHERE "
                    + POSTGRESQL_DOCUMENT
                    + " @@ to_tsquery('simple', 'руслан:*')"
                )
            )
            assert "ix_source_fulltext" in plan


def test_every_desk_setting_is_documented(request):
    import dataclasses

    from testament.desk.web import DeskWebSettings

    readme = (request.config.rootpath / "README.md").read_text(encoding="utf-8")
    names = [item.name for item in dataclasses.fields(DeskWebSettings)]
    assert [name for name in names if f"| `{name}` |" not in readme] == []


@pytest.mark.postgres
def test_the_desk_serves_a_postgresql_casebook(postgres_url):
    """Log-in, sessions, read marks and the audit of a secret opening, on the team backend."""
    import re

    import pyotp
    from starlette.testclient import TestClient

    from testament.desk.web import DeskWebSettings, create_app

    with Casebook.create(postgres_url) as book:
        book.add(
            [Source(id="s-secret", kind="testimony", confidentiality="secret", text="Руслана")],
            actor="test",
        )
        enrolment = add_user(
            book.engine,
            "amina",
            Role.RESEARCHER,
            "violet harbour quantum pickle",
            actor="test",
            now=NOW,
            hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
        )
    app = create_app(DeskWebSettings(casebook=postgres_url), clock=lambda: NOW)
    with TestClient(app, base_url="https://desk.test") as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
        client.post(
            "/login",
            data={
                "csrf_token": token,
                "name": "amina",
                "password": "violet harbour quantum pickle",
                "code": pyotp.TOTP(enrolment.secret).at(NOW),
            },
        )
        inbox_page = client.get("/inbox", params={"q": "руслан", "unread": "1"})
        assert "/records/source/s-secret" in inbox_page.text
        token = re.search(r'name="csrf_token" value="([^"]+)"', inbox_page.text).group(1)
        opened = client.post(
            "/records/source/s-secret", data={"csrf_token": token, "reason": "dates"}
        )
        assert "Руслана" in opened.text
        assert "/records/source/s-secret" not in client.get("/inbox", params={"unread": "1"}).text
        assert client.get("/audit").status_code == 404  # a researcher has no audit page
    with Casebook.open(postgres_url) as book:
        assert [entry.action for entry in book.audit("s-secret")] == ["create", "view"]
