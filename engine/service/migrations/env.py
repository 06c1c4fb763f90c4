"""Alembic's environment, run programmatically by `engine.service.database` (no alembic.ini).

The caller hands over an open connection in `config.attributes["connection"]`.
"""

from alembic import context

from engine.service.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
