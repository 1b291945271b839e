"""Dialogue state per citizen, stored so a restart (or another process) resumes the conversation.

Core statements, built once: this runs for every message a citizen sends.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import DialogueState, utcnow

_LOAD = (
    select(DialogueState.state, DialogueState.data)
    .where(DialogueState.key == bindparam("key"))
    .with_for_update()  # PostgreSQL: one citizen's updates in two processes run one at a time
)


def _upsert(insert):  # type: ignore[no-untyped-def]
    statement = insert(DialogueState).values(
        key=bindparam("key"), state=bindparam("state"), data=bindparam("data"), updated_at=bindparam("updated_at")
    )
    return statement.on_conflict_do_update(
        index_elements=[DialogueState.key],
        set_={
            "state": statement.excluded.state,
            "data": statement.excluded.data,
            "updated_at": statement.excluded.updated_at,
        },
    )


_SAVE = {"postgresql": _upsert(postgresql.insert), "sqlite": _upsert(sqlite.insert)}


async def load(session: AsyncSession, key: str) -> tuple[str, dict[str, Any]]:
    """(state name, data); ("idle", {}) for someone new."""
    row = (await session.execute(_LOAD, {"key": key})).first()
    if row is None:
        return "idle", {}
    return row.state, dict(row.data or {})


async def save(
    session: AsyncSession, key: str, state: str, data: dict[str, Any], loaded: tuple[str, dict[str, Any]] | None = None
) -> None:
    """Store the state; nothing is written when it is what `load` returned."""
    if loaded is not None and loaded == (state, data):
        return
    params = {"key": key, "state": state, "data": data, "updated_at": utcnow()}
    await session.execute(_SAVE[session.bind.dialect.name], params)
