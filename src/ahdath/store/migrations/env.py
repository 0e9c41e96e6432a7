"""Alembic environment: run migrations on the connection ``ahdath.store.migrate`` hands over."""
from __future__ import annotations

from alembic import context

from ahdath.store.schema import metadata

connection = context.config.attributes["connection"]
# migrate.upgrade hands over a connection already in its transaction (holding the write lock), so
# alembic runs every revision in it and transaction_per_migration only applies to other callers
context.configure(connection=connection, target_metadata=metadata, transaction_per_migration=True,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
