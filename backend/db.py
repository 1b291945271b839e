"""The database: one async engine per process, sessions per unit of work, migrations at start.

SQLite (aiosqlite) by default, PostgreSQL (asyncpg) in production; both run the same Alembic
migrations, applied through the application's own engine so an in-memory or freshly created
database is migrated in place.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from .errors import StoreUnavailable

log = logging.getLogger(__name__)


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("backend") / "migrations"))
    return config


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


class Database:
    """Engine + session factory. `async with db.session() as s` is one unit of work."""

    def __init__(self, url: str, *, echo: bool = False, pool_size: int = 10) -> None:
        self.url = url
        kwargs: dict = {"echo": echo, "pool_pre_ping": True}
        if is_sqlite(url):
            database = make_url(url).database
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 30}
            # SQLite has one writer at a time; several connections would only queue in its busy
            # handler (which sleeps). One pooled connection queues units of work fairly instead.
            kwargs.update(pool_size=1, max_overflow=0, pool_timeout=60)
        else:
            kwargs.update(pool_size=pool_size, max_overflow=pool_size * 2, pool_timeout=10)
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if is_sqlite(url):
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session in a transaction: committed on success, rolled back on error.

        Connection-level failures surface as StoreUnavailable, so callers can tell the citizen
        to retry without knowing about SQLAlchemy.
        """
        try:
            async with self.sessions() as session, session.begin():
                yield session
        except (TimeoutError, OperationalError, DBAPIError, OSError, ConnectionError) as exc:
            if isinstance(exc, DBAPIError) and not _is_connection_problem(exc):
                raise
            raise StoreUnavailable(str(exc).splitlines()[0][:200]) from exc

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await asyncio.wait_for(conn.execute(text("SELECT 1")), timeout=3)
            return True
        except (TimeoutError, SQLAlchemyError, OSError, ConnectionError):
            return False

    async def upgrade(self) -> None:
        """Apply every pending migration (alembic upgrade head) on this engine."""
        async with self.engine.begin() as conn:
            await conn.run_sync(_upgrade)

    async def current_revision(self) -> str | None:
        async with self.engine.connect() as conn:
            return await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_revision())

    async def dispose(self) -> None:
        await self.engine.dispose()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def _upgrade(connection: Connection) -> None:
    config = _alembic_config()
    config.attributes["connection"] = connection
    if MigrationContext.configure(connection).get_current_revision() == head_revision():
        return  # up to date: skip alembic's environment entirely (fast second start)
    log.info("正在升级数据库结构……")
    command.upgrade(config, "head")


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _is_connection_problem(exc: DBAPIError) -> bool:
    if exc.connection_invalidated:
        return True
    message = str(exc.orig).lower() if exc.orig else str(exc).lower()
    return any(
        word in message
        for word in ("connection", "connect", "could not", "terminat", "closed", "unable to open", "disk i/o", "locked")
    )
