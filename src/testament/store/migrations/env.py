"""Alembic environment: migrations always run on a connection the casebook hands over.

There is no alembic.ini: ``testament.store.migrate`` builds the configuration in code and passes
the connection in ``config.attributes["connection"]``, so migrations run inside the caller's
transaction and use the same engine settings (foreign keys, WAL) as everything else.
"""

from __future__ import annotations

from alembic import context

from testament.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
