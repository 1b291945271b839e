"""The database: one async engine per process, sessions per unit of work, migrations at start.

SQLite (aiosqlite) by default, PostgreSQL (asyncpg) in production; both run the same Alembic
migrations, applied through the application's own engine so an in-memory or freshly created
database is migrated in place.
"""

from __future__ import annotations

import asyncio
import contextlib
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
from sqlalchemy.exc import TimeoutError as PoolTimeout
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
                with contextlib.suppress(OSError):  # not creatable now: start degraded, try again later
                    Path(database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 30}
            # SQLite has one writer at a time; several connections would only queue in its busy
            # handler (which sleeps). One pooled connection queues units of work fairly instead.
            kwargs.update(pool_size=1, max_overflow=0, pool_timeout=60)
            # a file, not a server: no connection to go stale (no ping per checkout), and every
            # unit of work ends in commit or rollback (no extra rollback when it is returned)
            kwargs.update(pool_pre_ping=False, pool_reset_on_return=None)
        else:
            kwargs.update(pool_size=pool_size, max_overflow=pool_size * 2, pool_timeout=10)
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if is_sqlite(url):
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # False while the start-up migration has not run yet (the database was down at start):
        # units of work are refused as "unavailable" rather than run on a schema that is not there
        self.ready = True

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session in a transaction: committed on success, rolled back on error.

        Connection-level failures surface as StoreUnavailable, so callers can tell the citizen
        to retry without knowing about SQLAlchemy.
        """
        if not self.ready:
            raise StoreUnavailable("数据库尚未就绪（启动时的升级还在等待数据库）")
        try:
            async with self.sessions() as session, session.begin():
                yield session
        except (TimeoutError, PoolTimeout, OperationalError, DBAPIError, OSError, ConnectionError) as exc:
            # PoolTimeout: every connection busy for `pool_timeout` — to the caller, the same "busy"
            if isinstance(exc, DBAPIError) and not _is_connection_problem(exc):
                raise
            raise StoreUnavailable(str(exc).splitlines()[0][:200]) from exc

    async def ping(self) -> bool:
        if not self.ready:
            return False
        try:
            async with self.engine.connect() as conn:
                await asyncio.wait_for(conn.execute(text("SELECT 1")), timeout=3)
            return True
        except (TimeoutError, SQLAlchemyError, OSError, ConnectionError):
            return False

    async def upgrade(self) -> None:
        """Apply every pending migration (alembic upgrade head) on this engine."""
        if is_sqlite(self.url) and (database := make_url(self.url).database) and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
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


def is_unavailable(exc: BaseException) -> bool:
    """Does this error mean "the database cannot be reached" (rather than a bug or bad data)?"""
    if isinstance(exc, StoreUnavailable | TimeoutError | OSError | ConnectionError):
        return True
    if isinstance(exc, DBAPIError):
        return _is_connection_problem(exc)
    return isinstance(exc, OperationalError)


def _is_connection_problem(exc: DBAPIError) -> bool:
    if exc.connection_invalidated:
        return True
    message = str(exc.orig).lower() if exc.orig else str(exc).lower()
    return any(
        word in message
        for word in ("connection", "connect", "could not", "terminat", "closed", "unable to open", "disk i/o", "locked")
    )


class SoleHolder:
    """At most one process holding `name` at a time (e.g. the one long-polling Telegram).

    PostgreSQL: a session advisory lock on a connection kept for the purpose; SQLite: an OS file
    lock beside the database file. Either is released by the operating system or the server when
    the holding process dies, so a restart after a crash is not refused.
    """

    def __init__(self, db: Database, name: str) -> None:
        self.db, self.name = db, name
        self._conn = None
        self._file = None

    @property
    def held(self) -> bool:
        return self._conn is not None or self._file is not None

    async def acquire(self) -> bool:
        """True when held by us now; False when another process holds it. StoreUnavailable: no database."""
        if is_sqlite(self.db.url):
            return self._acquire_file()
        try:
            conn = await self.db.engine.connect()
        except (OperationalError, DBAPIError, OSError, ConnectionError) as exc:
            raise StoreUnavailable(str(exc).splitlines()[0][:200]) from exc
        try:
            held = await conn.scalar(
                text("SELECT pg_try_advisory_lock(hashtextextended(:name, 0))"), {"name": self.name}
            )
            await conn.commit()
        except BaseException:
            await conn.close()
            raise
        if not held:
            await conn.close()
            return False
        self._conn = conn
        return True

    def _acquire_file(self) -> bool:
        import fcntl

        database = make_url(self.db.url).database
        if not database or database == ":memory:":
            return True
        path = Path(f"{database}.{self.name}.lock")
        handle = path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._file = handle
        return True

    async def release(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.close()  # the server drops a session lock with its session
            self._conn = None
        if self._file is not None:
            self._file.close()
            self._file = None
