"""Dialogue state per citizen, stored so a restart (or another process) resumes the conversation.

Core statements, built once: this runs for every message a citizen sends. A turn is: `lock`
(PostgreSQL: one citizen's updates one at a time across processes), `load` (the state and the
citizen's row in one round trip), the dialogue, `save` (only when the state changed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, bindparam, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Citizen, DialogueState, utcnow

STATES = DialogueState.__table__
CITIZENS = Citizen.__table__


@dataclass(frozen=True, slots=True)
class Loaded:
    """What a turn starts from: the dialogue state and, if the citizen has a row, its id."""

    state: str
    data: dict[str, Any]
    citizen_id: int | None
    chat_id: str | None
    blocked_at: datetime | None


_KEY = select(literal("k").label("k")).subquery("turn")  # one row to hang the two lookups on
_LOAD = (
    select(
        STATES.c.state,
        STATES.c.data,
        CITIZENS.c.id.label("citizen_id"),
        CITIZENS.c.chat_id,
        CITIZENS.c.blocked_at,
    )
    .select_from(_KEY)
    .outerjoin(STATES, STATES.c.key == bindparam("key"))
    .outerjoin(
        CITIZENS,
        (CITIZENS.c.channel == bindparam("channel")) & (CITIZENS.c.external_id == bindparam("external_id")),
    )
)
_LOCK = select(func.pg_advisory_xact_lock(func.hashtextextended(bindparam("key", type_=String), 0)))


async def lock(session: AsyncSession, key: str) -> None:
    """PostgreSQL: hold the citizen's lock until the transaction ends, so their updates run one
    at a time whichever process has them — a brand-new citizen too (no row needed). SQLite is
    one process with one connection: its transactions never overlap."""
    if session.bind.dialect.name == "postgresql":
        await session.execute(_LOCK, {"key": key})


async def load_turn(session: AsyncSession, key: str, channel: str, external_id: str) -> Loaded:
    """The dialogue state (idle for someone new) and the citizen's row, in one round trip."""
    row = (await session.execute(_LOAD, {"key": key, "channel": channel, "external_id": external_id})).one()
    return Loaded(row.state or "idle", dict(row.data or {}), row.citizen_id, row.chat_id, row.blocked_at)


def _upsert(insert):  # type: ignore[no-untyped-def]
    statement = insert(DialogueState).values(
        key=bindparam("key"), state=bindparam("state"), data=bindparam("data"), updated_at=bindparam("updated_at")
    )
    return statement.on_conflict_do_update(
        index_elements=["key"],
        set_={
            "state": statement.excluded.state,
            "data": statement.excluded.data,
            "updated_at": statement.excluded.updated_at,
        },
    )


_SAVE = {"postgresql": _upsert(postgresql.insert), "sqlite": _upsert(sqlite.insert)}


async def save(
    session: AsyncSession, key: str, state: str, data: dict[str, Any], loaded: tuple[str, dict[str, Any]] | None = None
) -> None:
    """Store the state; nothing is written when it is what `load` returned."""
    if loaded is not None and loaded == (state, data):
        return
    params = {"key": key, "state": state, "data": data, "updated_at": utcnow()}
    await session.execute(_SAVE[session.bind.dialect.name], params)
