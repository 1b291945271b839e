"""The bot's send budget from outside: two real sender processes on one PostgreSQL share it, and
the dialogue's bot (python-telegram-bot) waits for it — counted where the messages arrive, at the
Bot API stand-in."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections import Counter
from datetime import UTC, datetime

import pytest
from telegram.ext import ExtBot

from backend import campaigns
from backend.repo import citizens
from backend.sendbudget import Limits, SendBudget
from bot.send_budget import BudgetRateLimiter
from bot.telegram.application import file_url_for
from tests.auxil import sender_process
from tests.auxil.bot_api import TOKEN
from tests.auxil.rates import busiest_second, pace


async def _subscribers(store, n: int) -> None:  # type: ignore[no-untyped-def]
    async with store.unit() as uow:
        for i in range(n):
            citizen = await citizens.upsert(uow.session, "telegram", f"sub{i}", str(50_000 + i))
            await campaigns.subscribe(uow.session, citizen, "daily_article", "test")


async def _line(process: asyncio.subprocess.Process, timeout: float = 20.0) -> str:
    assert process.stdout is not None
    return (await asyncio.wait_for(process.stdout.readline(), timeout)).decode().strip()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_two_processes_send_one_campaign_under_30_a_second_and_near_it(  # type: ignore[no-untyped-def]
    store, database_url, telegram
) -> None:
    await _subscribers(store, 90)
    processes = [
        await asyncio.create_subprocess_exec(
            *sender_process.command(database_url, telegram.base_url, 30),
            env=sender_process.environment(),
            stdout=asyncio.subprocess.PIPE,
        )
        for _ in range(2)
    ]
    try:
        assert [await _line(p) for p in processes] == ["ready", "ready"]
        async with store.unit() as uow:
            await campaigns.create(
                uow.session,
                title="条例",
                text="📖 条例每日一条",
                created_by="t",
                topic="daily_article",
                send_at=datetime.now(UTC),
            )
        await telegram.wait_until(lambda: len(telegram.sent) >= 90, timeout=12)
        await asyncio.sleep(0.3)  # nothing more arrives
    finally:
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
        said = [(await asyncio.wait_for(p.communicate(), 10))[0].decode().split() for p in processes]
    stamps = [s.at for s in telegram.sent]
    assert sorted(Counter(s.chat_id for s in telegram.sent).values()) == [1] * 90  # each once
    assert busiest_second(stamps) <= 30
    assert pace(stamps) >= 24
    shares = [int(words[words.index("sent") + 1]) for words in said]
    assert sum(shares) == 90 and min(shares) > 0, shares  # both processes sent


async def test_the_dialogues_bot_waits_for_the_budget_and_pauses_on_retry_after(telegram) -> None:  # type: ignore[no-untyped-def]
    budget = SendBudget(Limits(rate=20.0))
    bot = ExtBot(
        TOKEN,
        base_url=telegram.base_url,
        base_file_url=file_url_for(telegram.base_url),
        rate_limiter=BudgetRateLimiter(budget),
    )
    async with bot:
        await asyncio.gather(*(bot.send_message(chat_id=800 + i, text=f"答复 {i}") for i in range(25)))
        first = [s.at for s in telegram.sent]
        assert len(first) == 25 and busiest_second(first) <= 20
        # Telegram says "retry after 1 s": the message waits and goes; so does everyone else's
        telegram.throttle[900] = [1, 1]
        started = time.monotonic()
        await asyncio.gather(bot.send_message(chat_id=900, text="a"), bot.send_message(chat_id=901, text="b"))
        assert time.monotonic() - started >= 0.9
        assert [s.chat_id for s in telegram.sent[25:]] in ([900, 901], [901, 900])
        # button spinners and keyboards are not messages: no slot, no wait
        started = time.monotonic()
        await asyncio.gather(*(bot.send_chat_action(chat_id=902, action="typing") for _ in range(30)))
        assert time.monotonic() - started < 1.0
