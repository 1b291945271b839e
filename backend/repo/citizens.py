"""Citizens as the transports know them."""

from __future__ import annotations

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import NotFound
from ..models import Citizen, utcnow


async def get_or_create(
    session: AsyncSession, channel: str, external_id: str, chat_id: str, display_name: str | None = None
) -> Citizen:
    citizen = await session.scalar(
        select(Citizen).where(Citizen.channel == channel, Citizen.external_id == external_id)
    )
    if citizen is None:
        citizen = Citizen(channel=channel, external_id=external_id, chat_id=chat_id, display_name=display_name)
        session.add(citizen)
        await session.flush()
    else:
        if citizen.chat_id != chat_id:
            citizen.chat_id = chat_id
        if citizen.blocked_at is not None:
            citizen.blocked_at = None  # they wrote to us again: they unblocked the bot
    return citizen


def _upsert(insert):  # type: ignore[no-untyped-def]
    statement = insert(Citizen).values(
        channel=bindparam("channel"),
        external_id=bindparam("external_id"),
        chat_id=bindparam("chat_id"),
        created_at=bindparam("created_at"),
    )
    return statement.on_conflict_do_update(
        index_elements=[Citizen.channel, Citizen.external_id],
        set_={"chat_id": statement.excluded.chat_id, "blocked_at": None},
    ).returning(Citizen.id)


_UPSERT = {"postgresql": _upsert(postgresql.insert), "sqlite": _upsert(sqlite.insert)}  # built once


async def upsert(session: AsyncSession, channel: str, external_id: str, chat_id: str) -> int:
    """The citizen's id in one statement, creating them on first contact.

    Writing to us again also means they have not blocked the bot (any more)."""
    params = {"channel": channel, "external_id": external_id, "chat_id": chat_id, "created_at": utcnow()}
    return (await session.execute(_UPSERT[session.bind.dialect.name], params)).scalar_one()


async def get(session: AsyncSession, citizen_id: int) -> Citizen:
    citizen = await session.get(Citizen, citizen_id)
    if citizen is None:
        raise NotFound(f"citizen {citizen_id}")
    return citizen


async def mark_blocked(session: AsyncSession, channel: str, chat_id: str) -> None:
    await session.execute(
        update(Citizen).where(Citizen.channel == channel, Citizen.chat_id == chat_id).values(blocked_at=utcnow())
    )


async def find(session: AsyncSession, channel: str, external_id: str) -> int | None:
    """The citizen's id if this transport has seen them (no row is created)."""
    return await session.scalar(
        select(Citizen.id).where(Citizen.channel == channel, Citizen.external_id == external_id)
    )
