"""Updates in and out: the durable inbox of acknowledged updates, processed ids of the pull
transports (the web chat), and the running instances whose claims are alive.

Core statements on the tables, built once: these run for every message a citizen sends.

The inbox's life of one update: `store` (before the transport is told "got it") → one handling
transaction ends with `finish` (the replies owed, claimed by the handling instance) → the sender
records each message it sent with `record_sent` → `forget_older_than` after Telegram's memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from ..models import InboxUpdate, Instance, ProcessedUpdate, utcnow

INBOX = InboxUpdate.__table__
INSTANCES = Instance.__table__


def _dialect(session: AsyncSession) -> str:
    return session.bind.dialect.name


# ── processed ids (pull transports: the web chat answers in its HTTP response) ──────────────


def _mark(insert):  # type: ignore[no-untyped-def]
    return (
        insert(ProcessedUpdate.__table__)
        .values(channel=bindparam("channel"), update_id=bindparam("update_id"), processed_at=bindparam("processed_at"))
        .on_conflict_do_nothing(index_elements=["channel", "update_id"])
        .returning(ProcessedUpdate.__table__.c.update_id)
    )


_MARK = {"postgresql": _mark(postgresql.insert), "sqlite": _mark(sqlite.insert)}  # built once


async def mark(session: AsyncSession, channel: str, update_id: str) -> bool:
    """Record the update as handled, last thing before commit; False if it already was.

    A re-delivered update, or one another process is handling at this moment, conflicts here (on
    PostgreSQL the second insert waits for the first transaction), and the caller rolls its whole
    work back. If handling fails, the id is not kept and a re-delivery is handled afresh.
    """
    params = {"channel": channel, "update_id": update_id, "processed_at": utcnow()}
    return (await session.execute(_MARK[_dialect(session)], params)).first() is not None


# ── the inbox ───────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class Stored:
    """An inbox row as the workers see it."""

    id: int
    chat_key: str
    payload: dict[str, Any]
    seq: int


@dataclass(frozen=True, slots=True)
class Owed:
    """Replies a handled update still owes: `messages[sent_parts:]` are to be sent."""

    id: int
    chat_key: str
    messages: list[dict[str, Any]]
    sent_parts: int
    claimed_by: str | None


def _store(insert):  # type: ignore[no-untyped-def]
    return (
        insert(INBOX)
        .on_conflict_do_nothing(index_elements=["channel", "update_id"])
        .returning(INBOX.c.id, INBOX.c.update_id)
    )


_STORE = {"postgresql": _store(postgresql.insert), "sqlite": _store(sqlite.insert)}


async def store(
    session: AsyncSession, channel: str, updates: Sequence[tuple[int, str, dict[str, Any]]]
) -> list[Stored]:
    """Keep (update id, chat key, payload) rows; returns those that are new, in the given order.

    An update already in the inbox (Telegram delivered it again) is not stored twice. The id
    (growing, as Telegram's do) orders one citizen's updates."""
    if not updates:
        return []
    now = utcnow()
    params = [
        {
            "channel": channel,
            "update_id": str(u),
            "seq": u,
            "chat_key": k,
            "payload": p,
            "received_at": now,
            "sent_parts": 0,
        }
        for u, k, p in updates
    ]
    # one statement for the batch; the rows returned are the new ones, named by their update id
    ids = {r.update_id: r.id for r in await session.execute(_STORE[_dialect(session)], params)}
    return [Stored(ids[str(u)], k, p, u) for u, k, p in updates if str(u) in ids]


_EARLIER = aliased(INBOX)
_FINISH = (
    update(INBOX)
    .where(
        INBOX.c.id == bindparam("inbox_id"),
        INBOX.c.handled_at.is_(None),
        # strictly in order: an earlier update of the same citizen still waiting → not yet
        ~exists().where(
            _EARLIER.c.chat_key == INBOX.c.chat_key, _EARLIER.c.handled_at.is_(None), _EARLIER.c.seq < INBOX.c.seq
        ),
    )
    .values(
        handled_at=bindparam("now"),
        replies=bindparam("replies"),
        claimed_by=bindparam("instance"),
        sent_at=bindparam("sent_at"),
    )
)


async def finish(session: AsyncSession, inbox_id: int, messages: list[dict[str, Any]], instance: str) -> bool:
    """Mark the update handled, owing `messages`, sent by `instance`; the last statement of the
    handling transaction. False (roll back) when it was handled already, or an earlier update of
    the same citizen still waits."""
    now = utcnow()
    params = {
        "inbox_id": inbox_id,
        "now": now,
        "replies": messages,
        "instance": instance,
        "sent_at": None if messages else now,
    }
    return (await session.execute(_FINISH, params)).rowcount == 1


_NEXT = (
    select(INBOX.c.id, INBOX.c.chat_key, INBOX.c.payload, INBOX.c.seq)
    .where(INBOX.c.chat_key == bindparam("chat_key"), INBOX.c.handled_at.is_(None))
    .order_by(INBOX.c.seq)
    .limit(1)
)


async def next_pending(session: AsyncSession, chat_key: str) -> Stored | None:
    """The citizen's oldest update not yet handled."""
    row = (await session.execute(_NEXT, {"chat_key": chat_key})).first()
    return None if row is None else Stored(row.id, row.chat_key, row.payload, row.seq)


_SENT = (
    update(INBOX)
    .where(INBOX.c.id == bindparam("inbox_id"), INBOX.c.claimed_by == bindparam("instance"))
    .values(sent_parts=bindparam("parts"), sent_at=bindparam("sent_at"))
)


async def record_sent(session: AsyncSession, inbox_id: int, instance: str, parts: int, done: bool) -> bool:
    """`parts` messages of the update's replies are out (`done`: all, or the rest given up)."""
    params = {"inbox_id": inbox_id, "instance": instance, "parts": parts, "sent_at": utcnow() if done else None}
    return (await session.execute(_SENT, params)).rowcount == 1


async def record_sent_many(session: AsyncSession, instance: str, progress: dict[int, tuple[int, bool]]) -> None:
    """`record_sent` for many updates in one statement (inbox id → (parts sent, all done))."""
    now = utcnow()
    params = [
        {"inbox_id": i, "instance": instance, "parts": parts, "sent_at": now if done else None}
        for i, (parts, done) in progress.items()
    ]
    if params:
        await session.execute(_SENT, params)


async def waiting_chats(session: AsyncSession, older_than: timedelta, limit: int = 200) -> list[str]:
    """Citizens with updates nobody has handled for a while (their process died, or was busy)."""
    cutoff = utcnow() - older_than
    query = (
        select(INBOX.c.chat_key)
        .where(INBOX.c.sent_at.is_(None), INBOX.c.handled_at.is_(None), INBOX.c.received_at < cutoff)
        .group_by(INBOX.c.chat_key)
        .order_by(func.min(INBOX.c.received_at))
        .limit(limit)
    )
    return list((await session.scalars(query)).all())


async def orphaned(session: AsyncSession, live: Sequence[str], limit: int = 200) -> list[Owed]:
    """Handled updates whose replies are not all sent, claimed by an instance that is gone."""
    query = (
        select(INBOX.c.id, INBOX.c.chat_key, INBOX.c.replies, INBOX.c.sent_parts, INBOX.c.claimed_by)
        .where(
            INBOX.c.sent_at.is_(None),
            INBOX.c.handled_at.is_not(None),
            or_(INBOX.c.claimed_by.is_(None), INBOX.c.claimed_by.not_in(list(live))),
        )
        .order_by(INBOX.c.seq)
        .limit(limit)
    )
    return [
        Owed(r.id, r.chat_key, list(r.replies or []), r.sent_parts, r.claimed_by) for r in await session.execute(query)
    ]


async def take_over(session: AsyncSession, owed: Owed, instance: str) -> bool:
    """Claim another (dead) instance's unsent replies; False if someone else took them first."""
    claimed = INBOX.c.claimed_by.is_(None) if owed.claimed_by is None else INBOX.c.claimed_by == owed.claimed_by
    result = await session.execute(
        update(INBOX).where(INBOX.c.id == owed.id, INBOX.c.sent_at.is_(None), claimed).values(claimed_by=instance)
    )
    return result.rowcount == 1


async def owed_by(session: AsyncSession, chat_key: str, instance: str) -> list[Owed]:
    """This instance's unsent replies for one citizen, oldest first."""
    query = (
        select(INBOX.c.id, INBOX.c.chat_key, INBOX.c.replies, INBOX.c.sent_parts, INBOX.c.claimed_by)
        .where(
            INBOX.c.chat_key == chat_key,
            INBOX.c.sent_at.is_(None),
            INBOX.c.handled_at.is_not(None),
            INBOX.c.claimed_by == instance,
        )
        .order_by(INBOX.c.seq)
    )
    return [
        Owed(r.id, r.chat_key, list(r.replies or []), r.sent_parts, r.claimed_by) for r in await session.execute(query)
    ]


async def forget_older_than(session: AsyncSession, age: timedelta) -> int:
    """Telegram re-delivers for at most a day; older ids only take space (answered inbox rows too)."""
    cutoff: datetime = utcnow() - age
    result = await session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < cutoff))
    done = await session.execute(delete(INBOX).where(INBOX.c.sent_at.is_not(None), INBOX.c.received_at < cutoff))
    return (result.rowcount or 0) + (done.rowcount or 0)


# ── instances ───────────────────────────────────────────────────────────────────────────────


def _beat(insert):  # type: ignore[no-untyped-def]
    statement = insert(INSTANCES).values(
        id=bindparam("id"),
        host=bindparam("host"),
        pid=bindparam("pid"),
        role=bindparam("role"),
        started_at=bindparam("now"),
        seen_at=bindparam("now"),
    )
    return statement.on_conflict_do_update(index_elements=["id"], set_={"seen_at": statement.excluded.seen_at})


_BEAT = {"postgresql": _beat(postgresql.insert), "sqlite": _beat(sqlite.insert)}


async def heartbeat(session: AsyncSession, instance: str, host: str, pid: int, role: str) -> None:
    params = {"id": instance, "host": host, "pid": pid, "role": role, "now": utcnow()}
    await session.execute(_BEAT[_dialect(session)], params)


async def live_instances(session: AsyncSession, ttl: timedelta) -> list[str]:
    """Instances seen within `ttl`; older ones are forgotten (their claims are free to take)."""
    cutoff = utcnow() - ttl
    await session.execute(delete(INSTANCES).where(INSTANCES.c.seen_at < cutoff - timedelta(hours=1)))
    return list((await session.scalars(select(INSTANCES.c.id).where(INSTANCES.c.seen_at >= cutoff))).all())


async def leave(session: AsyncSession, instance: str) -> None:
    """A clean stop: this instance's claims are free at once."""
    await session.execute(delete(INSTANCES).where(INSTANCES.c.id == instance))


__all__ = [
    "Owed",
    "Stored",
    "finish",
    "forget_older_than",
    "heartbeat",
    "leave",
    "live_instances",
    "mark",
    "next_pending",
    "orphaned",
    "owed_by",
    "record_sent",
    "record_sent_many",
    "store",
    "take_over",
    "waiting_chats",
]
