"""The case store as the dialogue sees it: one unit of work (session + transaction) per update."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from .db import Database, is_sqlite
from .repo import departments as department_repo


@dataclass(slots=True)
class UnitOfWork:
    """One transaction. Handlers pass `session` to the repository functions in backend.repo."""

    session: AsyncSession


class Store:
    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def one_process(self) -> bool:
        """SQLite: one process, one connection — its units of work never overlap."""
        return is_sqlite(self.db.url)

    async def sync_departments(self, departments: Iterable[tuple[str, str, str]]) -> None:
        """Mirror the taxonomy's departments (id, name, category) into the database."""
        async with self.unit() as uow:
            await department_repo.sync(uow.session, departments)

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[UnitOfWork]:
        async with self.db.session() as session:
            yield UnitOfWork(session)
