"""领导接访日: the schedule staff maintain and citizens see (the API, the web chat, the bot)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import Invalid
from ..models import ReceptionDay


async def upcoming(session: AsyncSession, today: date, limit: int = 10) -> Sequence[ReceptionDay]:
    """Reception days from today on, soonest first (what the dialogue can tell a citizen)."""
    query = select(ReceptionDay).where(ReceptionDay.day >= today).order_by(ReceptionDay.day, ReceptionDay.id)
    return (await session.scalars(query.limit(limit))).all()


async def recent(session: AsyncSession, since: date, limit: int = 100) -> Sequence[ReceptionDay]:
    """Past and future days from `since` on (the staff page shows the last weeks too)."""
    query = select(ReceptionDay).where(ReceptionDay.day >= since).order_by(ReceptionDay.day, ReceptionDay.id)
    return (await session.scalars(query.limit(limit))).all()


async def add(
    session: AsyncSession, day: date | None, leader: str, place: str, topics: str, created_by: str, today: date
) -> ReceptionDay:
    if day is None or day < today:
        raise Invalid("接访日期应为今天或以后的日期")
    leader, place, topics = leader.strip(), place.strip(), topics.strip()
    if not leader or len(leader) > 64:
        raise Invalid("请填写接访领导（不超过 64 字）")
    if not place or len(place) > 128:
        raise Invalid("请填写接访地点（不超过 128 字）")
    row = ReceptionDay(day=day, leader=leader, place=place, topics=topics[:256], created_by=created_by)
    session.add(row)
    await session.flush()
    return row


async def remove(session: AsyncSession, reception_id: int) -> None:
    await session.execute(delete(ReceptionDay).where(ReceptionDay.id == reception_id))


def as_json(row: ReceptionDay) -> dict[str, str]:
    return {"date": row.day.isoformat(), "leader": row.leader, "place": row.place, "topics": row.topics}
