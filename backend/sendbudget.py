"""One Telegram send budget per bot, shared by every process that sends for it.

Telegram lets a bot send about 30 messages/s over all chats and about one per second to one chat
(short bursts tolerated). Every sender — dialogue replies, the back office's outbox, campaigns —
asks the budget for a *slot*, a moment at which it may send. The slots of a bot form one schedule
(GCRA: the schedule's end is the earliest free slot), and each chat has its own pace, so:

- No two sends anywhere are closer than `interval` = (1 + jitter) / rate. Sends may then arrive up
  to `jitter` seconds out of step (network, a busy event loop) and still no one-second window at
  Telegram's end holds more than `rate`; the schedule runs at rate / (1 + jitter) ≈ 93 % of it.
- A slot its sender misses by more than `grace` (a stalled loop) is given up, never used late.
- Dialogue first: a reply appends to the schedule whenever it comes; a campaign leases a block of
  slots (`span` seconds of it) only when the schedule is nearly drained, so replies already
  waiting go first and a reply never waits more than about one block behind a campaign.
- A campaign message waits for the chat's pace (one per `chat_interval`); a reply may run up to
  `reply_burst` messages ahead of it, as Telegram tolerates, so a turn of several messages is not
  spread over seconds.
- Telegram's RetryAfter pauses the whole schedule, for every process.

The schedule lives in the process (SQLite: one process), in PostgreSQL (a row per bot and a row
per recently served chat, updated under the bot row's lock, on the database's clock), or in Redis
when REDIS_URL is set (WATCH/MULTI, on Redis's clock). When the shared store cannot be reached,
the process falls back to its own schedule rather than go silent.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import text

from .db import Database, is_sqlite
from .errors import StoreUnavailable

log = logging.getLogger(__name__)

REPLY = "reply"
CAMPAIGN = "campaign"
PRUNE_EVERY = 30.0  # s between clean-ups of chats whose pace is long past
FORGET_AFTER = 60.0  # a chat last served this long ago needs no row
CLOCK_READINGS = 5  # readings of a shared store's clock at start (the quickest is trusted)


@dataclass(frozen=True, slots=True)
class Limits:
    rate: float = 30.0  # messages/s, all chats together
    chat_interval: float = 1.0  # s between messages to one chat
    reply_burst: int = 10  # replies may run this many messages ahead of the chat's pace (about the
    # burst the flood control lets a citizen run ahead of theirs, plus a turn of several messages)
    jitter: float = 0.07  # s by which sends may arrive out of step and still keep the limit
    grace: float = 0.02  # s a slot may still be used late (the rest of `jitter` is the network's)
    span: float = 0.2  # s of the schedule one campaign lease takes
    head: float = 0.1  # campaigns lease only when the schedule ends within this many s

    def __post_init__(self) -> None:
        if not self.rate > 0:
            raise ValueError("the send rate must be positive")

    @property
    def interval(self) -> float:
        return (1.0 + self.jitter) / self.rate

    @property
    def block(self) -> int:
        """Slots in one campaign lease."""
        return max(1, math.floor(self.span * self.rate))


@dataclass(frozen=True, slots=True)
class Turn:
    at: float  # a time on the caller's clock (time.monotonic())
    granted: bool  # True: send at `at`; False: ask again at `at`
    chat_busy: bool = False  # not granted because the chat's pace says wait


@dataclass(slots=True)
class Plan:
    turns: list[Turn]  # times on the store's clock
    end: float  # the schedule's new end
    paces: dict[str, float] = field(default_factory=dict)  # chats' new paces


def plan(
    end: float, paces: Mapping[str, float], now: float, chats: Sequence[str], priority: str, limits: Limits
) -> Plan:
    """The pure rule: grant slots to `chats` (in order) given the schedule's end and the chats' paces."""
    start = max(end, now)
    if priority == REPLY:
        (chat,) = chats
        pace = paces.get(chat, -math.inf)
        ready = pace - (limits.reply_burst - 1) * limits.chat_interval
        if ready > start:  # wait for the chat without holding up the schedule of every other chat
            return Plan([Turn(ready, False, chat_busy=True)], end)
        return Plan([Turn(start, True)], start + limits.interval, {chat: max(pace, start) + limits.chat_interval})
    if start > now + limits.head:  # replies (or another process's block) are ahead: yield
        return Plan([Turn(start - limits.head, False)] * len(chats), end)
    result = Plan([], end)
    slot, granted = start, 0
    for chat in chats:
        pace = result.paces.get(chat, paces.get(chat, -math.inf))
        if granted >= limits.block:
            result.turns.append(Turn(slot - limits.head, False))
        elif pace > slot:
            result.turns.append(Turn(pace, False, chat_busy=True))
        else:
            result.turns.append(Turn(slot, True))
            result.paces[chat] = slot + limits.chat_interval
            slot += limits.interval
            granted += 1
            result.end = slot
    return result


Decide = Callable[[float, float, dict[str, float]], Plan]  # (end, now, paces) → plan


class Schedule(Protocol):
    """Where a bot's schedule lives: reads it, lets `decide` plan, writes the plan, atomically.

    Returns the plan and the store's clock minus time.monotonic() at the moment it was read."""

    async def transact(self, chats: Sequence[str], decide: Decide) -> tuple[Plan, float]: ...

    async def close(self) -> None: ...


class StoreClock:
    """The store's clock as an offset from time.monotonic(), NTP-style: of the recent readings, the
    one that took the shortest round trip (least room for error) is trusted."""

    def __init__(self, keep: float = 30.0) -> None:
        self.keep = keep
        self._best: tuple[float, float, float] | None = None  # (round trip, offset, when)

    def reading(self, store_now: float, before: float, after: float) -> float:
        round_trip, offset = after - before, store_now - (before + after) / 2
        best = self._best
        if best is None or round_trip <= best[0] or after - best[2] > self.keep:
            self._best = best = (round_trip, offset, after)
        return best[1]


class LocalSchedule:
    """In this process only (one process, or the fallback while the shared store is away)."""

    def __init__(self) -> None:
        self.end = 0.0
        self.paces: dict[str, float] = {}
        self._pruned = time.monotonic()

    async def transact(self, chats: Sequence[str], decide: Decide) -> tuple[Plan, float]:
        now = time.monotonic()
        result = decide(self.end, now, {c: self.paces[c] for c in chats if c in self.paces})
        self.end = result.end
        self.paces.update(result.paces)
        if now - self._pruned > PRUNE_EVERY:
            self._pruned = now
            self.paces = {c: p for c, p in self.paces.items() if p > now - FORGET_AFTER}
        return result, 0.0

    async def close(self) -> None:
        return None


class PostgresSchedule:
    """The schedule in two small UNLOGGED tables; every transaction locks the bot's row first."""

    def __init__(self, database: Database, bot: str) -> None:
        self.db, self.bot = database, bot
        self.clock = StoreClock()
        self._ready = False
        self._pruned = 0.0

    async def _start(self) -> None:
        """The bot's row, and a first reading of the database's clock (the best of a few)."""
        async with self.db.session() as session:
            await session.execute(
                text("INSERT INTO send_budget (bot, next_at) VALUES (:bot, 0) ON CONFLICT (bot) DO NOTHING"),
                {"bot": self.bot},
            )
            for _ in range(CLOCK_READINGS):
                before = time.monotonic()
                now = (await session.execute(text("SELECT extract(epoch FROM clock_timestamp())::float8"))).scalar_one()
                self.clock.reading(now, before, time.monotonic())
        self._ready = True

    async def transact(self, chats: Sequence[str], decide: Decide) -> tuple[Plan, float]:
        if not self._ready:
            await self._start()
        async with self.db.session() as session:
            end = (
                await session.execute(
                    text("SELECT next_at FROM send_budget WHERE bot = :bot FOR UPDATE"), {"bot": self.bot}
                )
            ).scalar_one()
            # the clock is read after the lock is ours, so no one plans on a time that has passed
            before = time.monotonic()
            now, paces = (
                await session.execute(
                    text(
                        "SELECT extract(epoch FROM clock_timestamp())::float8, "
                        "(SELECT coalesce(json_object_agg(chat_id, next_at), '{}') FROM send_chats "
                        " WHERE bot = :bot AND chat_id = ANY(:chats))"
                    ),
                    {"bot": self.bot, "chats": list(chats)},
                )
            ).one()
            offset = self.clock.reading(now, before, time.monotonic())
            result = decide(end, now, json.loads(paces) if isinstance(paces, str) else dict(paces))
            if result.paces:
                await session.execute(
                    text(
                        "WITH schedule AS (UPDATE send_budget SET next_at = :end WHERE bot = :bot) "
                        "INSERT INTO send_chats (bot, chat_id, next_at) "
                        "SELECT :bot, chat, pace FROM unnest(CAST(:chats AS text[]), CAST(:paces AS float8[])) "
                        "AS given(chat, pace) "
                        "ON CONFLICT (bot, chat_id) DO UPDATE SET next_at = excluded.next_at"
                    ),
                    {
                        "bot": self.bot,
                        "end": result.end,
                        "chats": list(result.paces),
                        "paces": list(result.paces.values()),
                    },
                )
            elif result.end != end:
                await session.execute(
                    text("UPDATE send_budget SET next_at = :end WHERE bot = :bot"), {"bot": self.bot, "end": result.end}
                )
        if now - self._pruned > PRUNE_EVERY:
            self._pruned = now
            async with self.db.session() as session:
                await session.execute(
                    text("DELETE FROM send_chats WHERE bot = :bot AND next_at < :old"),
                    {"bot": self.bot, "old": now - FORGET_AFTER},
                )
        return result, offset

    async def close(self) -> None:
        return None  # the database belongs to the application


class RedisSchedule:
    """The schedule in Redis: optimistic transactions (WATCH the keys, write with MULTI/EXEC)."""

    def __init__(self, url: str, bot: str) -> None:
        import redis.asyncio as redis  # only needed when REDIS_URL is set

        self.client = redis.from_url(url)
        self.prefix = f"xinfang:send:{bot}"
        self.clock = StoreClock()
        self._ready = False

    async def transact(self, chats: Sequence[str], decide: Decide) -> tuple[Plan, float]:
        from redis.exceptions import RedisError, WatchError

        keys = [f"{self.prefix}:end", *(f"{self.prefix}:chat:{c}" for c in chats)]
        try:
            if not self._ready:
                for _ in range(CLOCK_READINGS):
                    before = time.monotonic()
                    seconds, micros = await self.client.time()
                    self.clock.reading(seconds + micros / 1e6, before, time.monotonic())
                self._ready = True
            async with self.client.pipeline(transaction=True) as pipe:
                while True:
                    try:
                        await pipe.watch(*keys)
                        values = await pipe.mget(keys)
                        before = time.monotonic()
                        seconds, micros = await pipe.time()
                        now = seconds + micros / 1e6
                        offset = self.clock.reading(now, before, time.monotonic())
                        end = float(values[0]) if values[0] is not None else 0.0
                        paces = {c: float(v) for c, v in zip(chats, values[1:], strict=True) if v is not None}
                        result = decide(end, now, paces)
                        pipe.multi()
                        pipe.set(keys[0], repr(result.end), ex=3600)
                        for chat, pace in result.paces.items():
                            keep = max(1, math.ceil(pace - now + FORGET_AFTER))
                            pipe.set(f"{self.prefix}:chat:{chat}", repr(pace), ex=keep)
                        await pipe.execute()
                        return result, offset
                    except WatchError:  # another process planned first: plan again on what it wrote
                        continue
        except (RedisError, OSError) as exc:
            raise StoreUnavailable(f"redis: {exc}") from exc

    async def close(self) -> None:
        await self.client.aclose()


class SendBudget:
    """What a sender calls: `async with budget.slot(chat_id, priority="reply"): await send(...)`."""

    def __init__(self, limits: Limits, shared: Schedule | None = None) -> None:
        self.limits = limits
        self.shared = shared
        self.local = LocalSchedule()
        self._warned = -math.inf

    async def lease(self, chats: Sequence[str], priority: str = CAMPAIGN) -> list[Turn]:
        """One turn per chat, on time.monotonic(): a slot to send in, or when to ask again.

        A reply asks for one chat; a campaign for several (granted as one block, in order)."""
        if priority == REPLY and len(chats) != 1:
            raise ValueError("a reply asks for one chat at a time")

        def decide(end: float, now: float, paces: dict[str, float]) -> Plan:
            return plan(end, paces, now, chats, priority, self.limits)

        schedule = self.shared or self.local
        try:
            result, offset = await schedule.transact(chats, decide)
        except StoreUnavailable as exc:
            if schedule is self.local:
                raise
            if time.monotonic() - self._warned > 60:
                self._warned = time.monotonic()
                log.warning("发送配额：共享存储不可用（%s），暂按本进程配额发送", exc)
            result, offset = await self.local.transact(chats, decide)
        return [Turn(t.at - offset, t.granted, t.chat_busy) for t in result.turns]

    async def acquire(self, chat_id: str, priority: str = REPLY) -> float:
        """Wait until this process holds a slot for a message to `chat_id`, and it is time; the
        slot's time (time.monotonic())."""
        while True:
            (turn,) = await self.lease([chat_id], priority)
            await asyncio.sleep(max(0.0, turn.at - time.monotonic()))
            if turn.granted and time.monotonic() - turn.at <= self.limits.grace:
                return turn.at

    @asynccontextmanager
    async def slot(self, chat_id: str, priority: str = REPLY) -> AsyncIterator[None]:
        await self.acquire(chat_id, priority)
        yield

    async def pause(self, seconds: float) -> None:
        """Telegram said RetryAfter: no slot for anyone until it has passed."""

        def decide(end: float, now: float, _paces: dict[str, float]) -> Plan:
            return Plan([], max(end, now + seconds))

        await self.local.transact([], decide)  # the fallback pauses too
        if self.shared is not None:
            try:
                await self.shared.transact([], decide)
            except StoreUnavailable as exc:
                log.warning("发送配额：共享存储不可用（%s），暂停只记在本进程", exc)

    async def close(self) -> None:
        if self.shared is not None:
            await self.shared.close()


def bot_key(token: str | None) -> str:
    """Which bot a budget belongs to: the numeric id before the token's colon (not the secret)."""
    return (token or "").split(":", 1)[0] or "bot"


def send_budget(
    limits: Limits, *, database: Database | None = None, redis_url: str | None = None, bot: str
) -> SendBudget:
    """Redis when configured, else PostgreSQL when that is the database, else this process alone."""
    if redis_url:
        return SendBudget(limits, RedisSchedule(redis_url, bot))
    if database is not None and not is_sqlite(database.url):
        return SendBudget(limits, PostgresSchedule(database, bot))
    return SendBudget(limits)
