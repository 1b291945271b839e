"""Citizens as the transports know them.

A row is made only when something is stored about the person (a case, a subscription, a
guidance record, a block): a greeting or a question leaves no trace. `ensure` makes it.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import NotFound
from ..models import Citizen, utcnow

CITIZENS = Citizen.__table__


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
    statement = insert(CITIZENS).values(
        channel=bindparam("channel"),
        external_id=bindparam("external_id"),
        chat_id=bindparam("chat_id"),
        created_at=bindparam("created_at"),
        blocked_at=bindparam("blocked_at"),
    )
    return statement.on_conflict_do_update(
        index_elements=["channel", "external_id"],
        set_={"chat_id": statement.excluded.chat_id, "blocked_at": statement.excluded.blocked_at},
    ).returning(CITIZENS.c.id)


_UPSERT = {"postgresql": _upsert(postgresql.insert), "sqlite": _upsert(sqlite.insert)}  # built once


async def upsert(session: AsyncSession, channel: str, external_id: str, chat_id: str) -> int:
    """The citizen's id in one statement, creating them if needed.

    Writing to us again also means they have not blocked the bot (any more)."""
    params = {
        "channel": channel,
        "external_id": external_id,
        "chat_id": chat_id,
        "created_at": utcnow(),
        "blocked_at": None,
    }
    return (await session.execute(_UPSERT[session.bind.dialect.name], params)).scalar_one()


ensure = upsert  # the name the dialogue uses: "something is stored now, make the row"

_TOUCH = (
    update(CITIZENS)
    .where(CITIZENS.c.id == bindparam("citizen_id"))
    .values(chat_id=bindparam("chat_id"), blocked_at=None)
)


async def touch(session: AsyncSession, citizen_id: int, chat_id: str) -> None:
    """They wrote again: from this chat, and not blocking the bot (any more)."""
    await session.execute(_TOUCH, {"citizen_id": citizen_id, "chat_id": chat_id})


async def get(session: AsyncSession, citizen_id: int) -> Citizen:
    citizen = await session.get(Citizen, citizen_id)
    if citizen is None:
        raise NotFound(f"citizen {citizen_id}")
    return citizen


async def mark_blocked(session: AsyncSession, channel: str, chat_id: str) -> None:
    """Never send to this chat again (until they write). Remembered even for someone who never
    stored anything: in a private chat the chat id is the user's id."""
    now = utcnow()
    result = await session.execute(
        update(Citizen).where(Citizen.channel == channel, Citizen.chat_id == chat_id).values(blocked_at=now)
    )
    if not result.rowcount and channel == "telegram":
        params = {"channel": channel, "external_id": chat_id, "chat_id": chat_id, "created_at": now, "blocked_at": now}
        await session.execute(_UPSERT[session.bind.dialect.name], params)


async def find(session: AsyncSession, channel: str, external_id: str) -> int | None:
    """The citizen's id if this transport has seen them (no row is created)."""
    return await session.scalar(
        select(Citizen.id).where(Citizen.channel == channel, Citizen.external_id == external_id)
    )
