"""The outbox: messages for citizens from the back office, delivered by each channel's transport.

A staff action writes its message here in the same transaction as the change it reports. The
transport claims a batch (SKIP LOCKED on PostgreSQL, so two processes never take the same row),
sends, and marks each row sent or failed. A row claimed by a process that died is claimable
again after `CLAIM_TIMEOUT`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Citizen, OutboxMessage, utcnow

CLAIM_TIMEOUT = timedelta(minutes=2)
MAX_ATTEMPTS = 5


async def enqueue(
    session: AsyncSession,
    channel: str,
    chat_id: str,
    text: str,
    buttons: list[Any] | None = None,
    case_id: int | None = None,
) -> OutboxMessage:
    message = OutboxMessage(channel=channel, chat_id=chat_id, text=text, buttons=buttons or [], case_id=case_id)
    session.add(message)
    await session.flush()
    return message


async def claim(session: AsyncSession, channel: str, limit: int = 50) -> Sequence[OutboxMessage]:
    """Take up to `limit` unsent rows of a channel for sending (marks them claimed)."""
    now = utcnow()
    query = (
        select(OutboxMessage)
        .where(
            OutboxMessage.channel == channel,
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.attempts < MAX_ATTEMPTS,
            or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < now - CLAIM_TIMEOUT),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = (await session.scalars(query)).all()
    for row in rows:
        row.claimed_at = now
        row.attempts += 1
    await session.flush()
    return rows


async def mark_sent(session: AsyncSession, ids: Sequence[int]) -> None:
    if ids:
        await session.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(sent_at=utcnow(), last_error=None)
        )


async def mark_failed(session: AsyncSession, message_id: int, error: str, *, final: bool = False) -> None:
    values: dict[str, Any] = {"last_error": error[:256], "claimed_at": None}
    if final:
        values["attempts"] = MAX_ATTEMPTS
    await session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values))


async def take_for_chat(session: AsyncSession, channel: str, chat_id: str) -> Sequence[OutboxMessage]:
    """For pull transports (the web chat polls): the chat's unsent messages, marked sent."""
    rows = (
        await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.channel == channel, OutboxMessage.chat_id == chat_id, OutboxMessage.sent_at.is_(None))
            .order_by(OutboxMessage.id)
            .limit(50)
            .with_for_update(skip_locked=True)
        )
    ).all()
    await mark_sent(session, [r.id for r in rows])
    return rows


async def notify_citizen(
    session: AsyncSession, citizen_id: int, text: str, case_id: int | None = None, buttons: list[Any] | None = None
) -> bool:
    """Tell a citizen something through the channel they used; False if they blocked the bot."""
    citizen = await session.get(Citizen, citizen_id)
    # console: a terminal session; offline: wrote, came or called — told by letter or phone by staff
    if citizen is None or citizen.blocked_at is not None or citizen.channel in ("console", "offline"):
        return False
    await enqueue(session, citizen.channel, citizen.chat_id, text, buttons, case_id)
    return True
