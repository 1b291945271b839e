"""A real database outage in a test: the SQLite file is replaced by a directory (unopenable) while
the citizen acts, then comes back — no mock of the store."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from backend.db import Database
from backend.store import Store
from bot.app import department_rows
from nlp import Engine


async def a_store_of_its_own(path: Path, engine: Engine) -> tuple[Database, Store]:
    """A migrated SQLite database at `path` (so a test can take it away), and its store."""
    db = Database(f"sqlite+aiosqlite:///{path}")
    await db.upgrade()
    store = Store(db)
    await store.sync_departments(department_rows(engine))
    return db, store


@contextlib.asynccontextmanager
async def database_away(db: Database, path: Path) -> AsyncIterator[None]:
    """The database at `path` cannot be opened inside the block; it is back, unchanged, after."""
    await db.dispose()
    away = path.with_name(f"{path.name}.away")
    path.rename(away)
    path.mkdir()
    try:
        yield
    finally:
        path.rmdir()
        away.rename(path)
