"""Processed update ids: a re-delivered update is recognised and not answered twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import ProcessedUpdate, utcnow


def _mark(insert):  # type: ignore[no-untyped-def]
    return (
        insert(ProcessedUpdate)
        .values(channel=bindparam("channel"), update_id=bindparam("update_id"), processed_at=bindparam("processed_at"))
        .on_conflict_do_nothing(index_elements=[ProcessedUpdate.channel, ProcessedUpdate.update_id])
        .returning(ProcessedUpdate.update_id)
    )


_MARK = {"postgresql": _mark(postgresql.insert), "sqlite": _mark(sqlite.insert)}  # built once


async def mark(session: AsyncSession, channel: str, update_id: str) -> bool:
    """Record the update as handled, last thing before commit; False if it already was.

    The only check: a re-delivered update, or one another process is handling at this moment,
    conflicts here (on PostgreSQL the second insert waits for the first transaction), and the
    caller rolls its whole work back. If handling fails, the id is not kept and a re-delivery
    is handled afresh.
    """
    params = {"channel": channel, "update_id": update_id, "processed_at": utcnow()}
    return (await session.execute(_MARK[session.bind.dialect.name], params)).first() is not None


async def forget_older_than(session: AsyncSession, age: timedelta) -> int:
    """Telegram re-delivers for at most a day; older ids only take space."""
    cutoff: datetime = utcnow() - age
    result = await session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < cutoff))
    return result.rowcount or 0
