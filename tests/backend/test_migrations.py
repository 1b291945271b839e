"""The Alembic migrations build exactly the tables the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from backend.db import Database, head_revision
from backend.models import Base


def _ours(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    # PostgreSQL's full-text search: a generated tsvector column and its GIN index (migration 0008 only)
    return name not in ("search_vector", "ix_cases_search_vector")


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_migrations_match_the_models(database_url: str) -> None:
    db = Database(database_url)
    try:
        await db.upgrade()
        assert await db.current_revision() == head_revision()
        async with db.engine.connect() as conn:
            diff = await conn.run_sync(
                lambda c: compare_metadata(MigrationContext.configure(c, opts={"include_object": _ours}), Base.metadata)
            )
        assert diff == []
        await db.upgrade()  # a second start is a no-op
    finally:
        await db.dispose()
