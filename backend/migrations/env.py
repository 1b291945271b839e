"""Alembic environment (async template, adapted to run on the application's connection).

`Database.upgrade()` passes its own connection in `config.attributes["connection"]`; the
`alembic` command line (from alembic.ini) builds an async engine from DATABASE_URL instead.
"""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from backend.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # write ALTERs for SQLite by hand with op.batch_alter_table (autogenerate renders plain ops)
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    url = (
        os.environ.get("DATABASE_URL") or config.get_main_option("sqlalchemy.url") or "sqlite+aiosqlite:///./xinfang.db"
    )
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif (connection := config.attributes.get("connection")) is not None:
    _run(connection)
else:
    asyncio.run(_run_async())
