"""Alembic environment: migrations run on the connection `lab.store.db.upgrade` hands over."""

from __future__ import annotations

from alembic import context

from lab.store.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only `lab.store.db.upgrade` runs these migrations
    raise RuntimeError("Run migrations with `vpn-lab db upgrade`.")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
