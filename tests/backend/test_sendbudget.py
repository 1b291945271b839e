"""The bot's send budget: the slot rule, and one schedule shared through PostgreSQL and Redis."""

from __future__ import annotations

import asyncio
import itertools
import math
import statistics
import time
import uuid

import pytest

from backend.db import Database
from backend.sendbudget import (
    CAMPAIGN,
    REPLY,
    Limits,
    PostgresSchedule,
    RedisSchedule,
    SendBudget,
    plan,
    send_budget,
)
from tests.auxil.rates import busiest_second

LIMITS = Limits(rate=30.0)


def test_a_campaign_block_is_spaced_under_the_rate_and_as_long_as_its_span() -> None:
    result = plan(0.0, {}, 100.0, [f"c{i}" for i in range(20)], CAMPAIGN, LIMITS)
    granted = [t.at for t in result.turns if t.granted]
    assert len(granted) == LIMITS.block == 6
    assert granted[0] == 100.0
    assert all(b - a == pytest.approx((1 + LIMITS.jitter) / 30) for a, b in itertools.pairwise(granted))
    assert result.end == pytest.approx(granted[-1] + LIMITS.interval)
    later = [t for t in result.turns if not t.granted]
    assert all(t.at == pytest.approx(result.end - LIMITS.head) and not t.chat_busy for t in later)
    # every chat served waits a second for its next message
    assert result.paces["c0"] == pytest.approx(101.0)


def test_any_second_of_a_full_schedule_holds_fewer_than_the_rate_with_room_for_jitter() -> None:
    end, stamps = 0.0, []
    for i in range(60):
        result = plan(end, {}, max(end - LIMITS.head / 2, 0.0), [f"c{i}-{j}" for j in range(6)], CAMPAIGN, LIMITS)
        stamps += [t.at for t in result.turns if t.granted]
        end = result.end
    assert len(stamps) == 360
    assert busiest_second(stamps) <= 29  # 30 only once sends arrive more than `jitter` out of step
    assert busiest_second(stamps, 1.0 - LIMITS.jitter) <= 30
    assert len(stamps) / (stamps[-1] - stamps[0] + LIMITS.interval) >= 0.9 * 30


def test_campaigns_yield_while_replies_are_waiting() -> None:
    # three replies arrive while the schedule is free: each takes the next slot at once
    end = 0.0
    for i in range(3):
        result = plan(end, {}, 10.0, [f"r{i}"], REPLY, LIMITS)
        assert result.turns[0].granted and result.turns[0].at == pytest.approx(10.0 + i * LIMITS.interval)
        end = result.end
    # a campaign asking now is told to come back when the replies' slots have nearly run out
    result = plan(end, {}, 10.0, ["a", "b"], CAMPAIGN, LIMITS)
    assert not any(t.granted for t in result.turns) and result.end == end
    assert result.turns[0].at == pytest.approx(end - LIMITS.head)
    # …whereas a reply behind a campaign's block is served right after it
    block = plan(0.0, {}, 20.0, [f"c{i}" for i in range(6)], CAMPAIGN, LIMITS)
    reply = plan(block.end, {}, 20.0, ["r"], REPLY, LIMITS)
    assert reply.turns[0].granted and reply.turns[0].at == pytest.approx(block.end)
    assert reply.turns[0].at - 20.0 <= LIMITS.span + LIMITS.interval


def test_one_message_per_second_to_a_chat_with_a_burst_for_replies() -> None:
    limits = Limits(rate=1000.0, reply_burst=3)
    busy = plan(0.0, {"c": 50.5}, 50.0, ["c", "d"], CAMPAIGN, limits)
    assert busy.turns[0] == busy.turns[0].__class__(50.5, False, chat_busy=True)
    assert busy.turns[1].granted and busy.turns[1].at == 50.0  # the others go on meanwhile
    # replies: three at once, then one a second — without holding up anyone else's slots
    paces: dict[str, float] = {}
    end, times = 0.0, []
    now = 0.0
    while len(times) < 5:
        result = plan(end, paces, now, ["c"], REPLY, limits)
        (turn,) = result.turns
        if turn.granted:
            times.append(turn.at)
            end = result.end
            paces.update(result.paces)
        else:
            assert turn.chat_busy and result.end == end
            now = turn.at
    assert times[2] - times[0] < 0.01
    assert times[3] - times[0] == pytest.approx(1.0) and times[4] - times[3] == pytest.approx(1.0)


def test_the_same_chat_twice_in_a_block_waits_for_its_pace() -> None:
    result = plan(0.0, {}, 0.0, ["c", "c"], CAMPAIGN, LIMITS)
    assert result.turns[0].granted and result.turns[1].chat_busy and result.turns[1].at == pytest.approx(1.0)


async def test_replies_and_a_campaign_in_one_process_share_the_rate_replies_first() -> None:
    budget = SendBudget(Limits(rate=200.0))
    stamps: list[float] = []
    reply_waits: list[float] = []

    async def campaign() -> None:
        queue = [f"c{i}" for i in range(300)]
        while queue:
            turns = await budget.lease(queue[: budget.limits.block])
            granted = [c for c, t in zip(queue, turns, strict=False) if t.granted]
            stamps.extend(t.at for t in turns if t.granted)
            queue = queue[len(granted) :]
            await asyncio.sleep(max(0.0, min(t.at for t in turns) - time.monotonic()))

    async def reply(i: int) -> None:
        await asyncio.sleep(0.05 * i)  # citizens write while the campaign goes out
        asked = time.monotonic()
        await budget.acquire(f"r{i}")
        reply_waits.append(time.monotonic() - asked)
        stamps.append(time.monotonic())

    started = time.monotonic()
    await asyncio.gather(campaign(), *(reply(i) for i in range(20)))
    took = time.monotonic() - started
    assert len(stamps) == 320
    assert busiest_second(stamps) <= 200
    assert 320 / took >= 0.85 * 200
    # a reply waits for the block already leased to the campaign (leased `head` early), not for
    # the campaign (once more if a busy loop made it miss its slot)
    limits = budget.limits
    block = limits.head + limits.block * limits.interval
    assert statistics.median(reply_waits) <= block and max(reply_waits) <= 3 * block


async def test_retry_after_pauses_every_sender() -> None:
    budget = SendBudget(Limits(rate=1000.0))
    await budget.pause(0.3)
    started = time.monotonic()
    await budget.acquire("c")
    assert time.monotonic() - started >= 0.28


async def test_an_unreachable_store_falls_back_to_this_process() -> None:
    db = Database("postgresql+asyncpg://postgres@127.0.0.1:9/nowhere")
    budget = SendBudget(Limits(rate=1000.0), PostgresSchedule(db, "bot"))
    try:
        started = time.monotonic()
        for i in range(3):
            async with budget.slot(f"c{i}"):
                pass
        assert time.monotonic() - started < 5
    finally:
        await db.dispose()


async def _two_processes_hammering(budgets: list[SendBudget]) -> list[float]:
    """Two budgets on one store (as two processes would be), each with replies and a campaign."""
    stamps: list[float] = []

    async def replies(budget: SendBudget, tag: str) -> None:
        for i in range(15):
            stamps.append(await budget.acquire(f"{tag}-r{i}"))

    async def campaign(budget: SendBudget, tag: str) -> None:
        queue = [f"{tag}-c{i}" for i in range(40)]
        while queue:
            turns = await budget.lease(queue[: budget.limits.block])
            for chat, turn in zip(list(queue), turns, strict=False):
                if turn.granted:
                    stamps.append(turn.at)
                    queue.remove(chat)
            await asyncio.sleep(max(0.0, min(t.at for t in turns) - time.monotonic()))

    await asyncio.gather(*(f(b, str(i)) for i, b in enumerate(budgets) for f in (replies, campaign)))
    return sorted(stamps)


def _assert_spaced(stamps: list[float], limits: Limits) -> None:
    assert len(stamps) == 2 * (15 + 40)
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    # one schedule for both: no two slots closer than the interval (less the clock reading's error)
    assert min(gaps) >= limits.interval - 0.004
    assert busiest_second(stamps) <= limits.rate


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_two_processes_share_one_schedule_in_postgresql(database_url: str) -> None:
    limits = Limits(rate=60.0)
    dbs = [Database(database_url) for _ in range(2)]
    await dbs[0].upgrade()
    try:
        budgets = [send_budget(limits, database=db, bot="4242") for db in dbs]
        assert all(isinstance(b.shared, PostgresSchedule) for b in budgets)
        _assert_spaced(await _two_processes_hammering(budgets), limits)
    finally:
        for db in dbs:
            await db.dispose()


async def test_two_processes_share_one_schedule_in_redis() -> None:
    pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/0"
    limits = Limits(rate=60.0)
    bot = f"test-{uuid.uuid4().hex[:8]}"
    budgets = [SendBudget(limits, RedisSchedule(url, bot)) for _ in range(2)]
    try:
        try:
            await budgets[0].shared.client.ping()  # type: ignore[union-attr]
        except Exception as exc:
            pytest.skip(f"Redis is not reachable at 127.0.0.1:6379 ({exc})")
        _assert_spaced(await _two_processes_hammering(budgets), limits)
    finally:
        for budget in budgets:
            await budget.shared.client.delete(f"xinfang:send:{bot}:end")  # type: ignore[union-attr]
            await budget.close()


def test_limits_are_checked() -> None:
    with pytest.raises(ValueError):
        Limits(rate=0)
    assert Limits(rate=1000).block == 200 and Limits(rate=2).block == 1
    assert math.isclose(Limits(rate=30).interval * 30, 1 + Limits().jitter)
