"""Departments in the database mirror knowledge/data/departments.toml (synced at start-up)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import NotFound
from ..models import Department


async def sync(session: AsyncSession, departments: Iterable[tuple[str, str, str]]) -> None:
    """Upsert (id, name, category); departments no longer in the file are kept but inactive."""
    wanted = {dept_id: (name, category) for dept_id, name, category in departments}
    existing = {d.id: d for d in (await session.scalars(select(Department))).all()}
    for dept_id, (name, category) in wanted.items():
        row = existing.get(dept_id)
        if row is None:
            session.add(Department(id=dept_id, name=name, category=category, active=True))
        else:
            row.name, row.category, row.active = name, category, True
    for dept_id, row in existing.items():
        if dept_id not in wanted:
            row.active = False
    await session.flush()


async def all_active(session: AsyncSession) -> Sequence[Department]:
    return (
        await session.scalars(select(Department).where(Department.active).order_by(Department.category, Department.id))
    ).all()


async def get(session: AsyncSession, dept_id: str) -> Department:
    department = await session.get(Department, dept_id)
    if department is None or not department.active:
        raise NotFound(dept_id)
    return department
