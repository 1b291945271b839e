"""Processed update ids: a re-delivered update is recognised and not answered twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import ProcessedUpdate, utcnow


async def first_delivery(session: AsyncSession, channel: str, update_id: str) -> bool:
    """Record the update id; False when it was already recorded (a duplicate delivery).

    Inside the caller's transaction: if handling fails and rolls back, the id is not kept and
    a re-delivery is handled afresh. On PostgreSQL a concurrent insert of the same id waits for
    the first transaction and then sees the conflict.
    """
    existing = await session.scalar(
        select(ProcessedUpdate.update_id).where(
            ProcessedUpdate.channel == channel, ProcessedUpdate.update_id == update_id
        )
    )
    if existing is not None:
        return False
    session.add(ProcessedUpdate(channel=channel, update_id=update_id))
    await session.flush()
    return True


async def forget_older_than(session: AsyncSession, age: timedelta) -> int:
    """Telegram re-delivers for at most a day; older ids only take space."""
    cutoff: datetime = utcnow() - age
    result = await session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < cutoff))
    return result.rowcount or 0
