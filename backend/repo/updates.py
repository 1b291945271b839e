"""Processed update ids: a re-delivered update is recognised and not answered twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import ProcessedUpdate, utcnow


async def seen(session: AsyncSession, channel: str, update_id: str) -> bool:
    """Was this update already handled? (A read: the write comes at the end, see `mark`.)"""
    found = await session.scalar(
        select(ProcessedUpdate.update_id).where(
            ProcessedUpdate.channel == channel, ProcessedUpdate.update_id == update_id
        )
    )
    return found is not None


async def mark(session: AsyncSession, channel: str, update_id: str) -> bool:
    """Record the update as handled, last thing before commit; False if another process did.

    Inside the caller's transaction: if handling fails and rolls back, the id is not kept and a
    re-delivery is handled afresh. Two processes handling the same update at once: the second
    insert conflicts (on PostgreSQL it waits for the first to commit), and its work is dropped.
    """
    try:
        async with session.begin_nested():
            session.add(ProcessedUpdate(channel=channel, update_id=update_id))
            await session.flush()
    except IntegrityError:
        return False
    return True


async def forget_older_than(session: AsyncSession, age: timedelta) -> int:
    """Telegram re-delivers for at most a day; older ids only take space."""
    cutoff: datetime = utcnow() - age
    result = await session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < cutoff))
    return result.rowcount or 0
