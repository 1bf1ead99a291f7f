"""Running the casebook's Alembic migrations from code (no alembic.ini to lose or misplace)."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("testament.store") / "migrations")
    )
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Upgrade the schema on ``connection`` (inside the caller's transaction)."""
    command.upgrade(alembic_config(connection), revision)
