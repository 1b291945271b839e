"""The case store as the dialogue sees it: one unit of work (session + transaction) per update."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from .db import Database


@dataclass(slots=True)
class UnitOfWork:
    """One transaction. Handlers pass `session` to the repository functions in backend.repo."""

    session: AsyncSession
    dialect: str


class Store:
    def __init__(self, db: Database) -> None:
        self.db = db

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[UnitOfWork]:
        async with self.db.session() as session:
            yield UnitOfWork(session, self.db.dialect)
