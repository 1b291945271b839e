"""Dialogue state per citizen, stored so a restart (or another process) resumes the conversation."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import DialogueState, utcnow


async def load(session: AsyncSession, key: str) -> tuple[str, dict[str, Any]]:
    """(state name, data); locks the row on PostgreSQL so one citizen's updates run one at a time."""
    row = await session.scalar(select(DialogueState).where(DialogueState.key == key).with_for_update())
    if row is None:
        return "idle", {}
    return row.state, dict(row.data or {})


async def save(session: AsyncSession, key: str, state: str, data: dict[str, Any]) -> None:
    row = await session.get(DialogueState, key)
    if row is None:
        session.add(DialogueState(key=key, state=state, data=data, updated_at=utcnow()))
    elif row.state != state or row.data != data:
        row.state, row.data, row.updated_at = state, data, utcnow()
    await session.flush()
