"""Telegram end to end: updates/second through the Bot API stand-in, against a bare PTB echo bot.

Both bots are real python-telegram-bot v22 Applications long-polling the same kind of local
stand-in over HTTP, with the same rate limiter (raised for the benchmark; Telegram's real limit
is ~30 messages/s). Ours answers a question about the regulation per update (dialogue, database,
retrieval); the echo bot sends the text back. Then the bar of issue 4: 500 users × 10 messages,
checking that every update got its replies exactly once.

The machine may be shared: the two bots run in alternating rounds (echo, ours, echo, ours, …),
so a change of load hits both alike; the ratio is the median of the rounds' ratios, and the
ratio of CPU time per update (this process's, all threads) is printed beside it.

    python -m bench.telegram [--users 500] [--messages 10] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import tempfile
import time
from collections import Counter
from pathlib import Path

from telegram import Update
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bench.common import dev_file, percentile
from bot.app import create_app
from bot.config import Config
from bot.telegram.application import SLOW_DOWN, file_url_for
from knowledge import load_knowledge
from nlp import Engine
from tests.auxil.bot_api import TOKEN, BotApiStandIn

RATE = 100_000  # messages/s for both bots: measure the bots, not the limiter
FLOOD_BURST = 1_000  # each user's messages arrive at once here; the echo bot has no flood control


async def drive(
    api: BotApiStandIn, users: int, per_user: int, questions: list[str], replies_per_update: int
) -> tuple[float, float]:
    """Push users×per_user questions, wait until every update is answered; (wall, CPU) seconds."""
    start, cpu = time.perf_counter(), time.process_time()
    for round_ in range(per_user):
        for user in range(1, users + 1):
            api.push_message(10_000 + user, questions[(user + round_) % len(questions)])
    expected = users * per_user * replies_per_update
    await api.wait_until(lambda: len(api.sent) >= expected, timeout=600)
    while len([s for s in api.sent if s.text != SLOW_DOWN]) < expected:  # a few notices to slow down
        await asyncio.sleep(0.05)
    return time.perf_counter() - start, time.process_time() - cpu


async def echo_bot(api: BotApiStandIn, users: int, per_user: int, questions: list[str]) -> tuple[float, float]:
    async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text(update.message.text or "")

    application = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(api.base_url)
        .base_file_url(file_url_for(api.base_url))
        .rate_limiter(AIORateLimiter(overall_max_rate=RATE))
        .concurrent_updates(256)
        .connection_pool_size(32)
        .pool_timeout(10.0)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0.0, timeout=1)
    try:
        return await drive(api, users, per_user, questions, 1)
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()


async def our_bot(
    api: BotApiStandIn, engine: Engine, users: int, per_user: int, questions: list[str], unloaded: bool = True
) -> tuple[tuple[float, float], list[float]]:
    from aiohttp.test_utils import TestServer

    data = Path(tempfile.mkdtemp())
    config = Config(
        database_url=f"sqlite+aiosqlite:///{data / 'bench.db'}",
        data_dir=data,
        telegram_bot_token=TOKEN,
        telegram_api_base_url=api.base_url,
        telegram_poll_timeout=1,
        telegram_global_rate=RATE,
        flood_burst=FLOOD_BURST,
        secret_key="bench",
        _env_file=None,
    )
    app = create_app(config, engine=engine)
    latencies: list[float] = []
    from handlers import Assistant

    original = Assistant._handle  # the work of one update, after its user's turn has come

    async def timed(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        try:
            return await original(self, *args, **kwargs)
        finally:
            latencies.append((time.perf_counter() - t) * 1000)

    Assistant._handle = timed  # type: ignore[method-assign]
    server = TestServer(app)
    await server.start_server()
    try:
        # unloaded: one update at a time, the round trip a citizen sees
        round_trips = []
        for i in range(200 if unloaded else 0):
            seen = len(api.sent)
            t = time.perf_counter()
            api.push_message(9_000 + i % 50, questions[i % len(questions)])
            await api.wait_until(lambda s=seen: len(api.sent) > s)
            round_trips.append((time.perf_counter() - t) * 1000)
        unloaded = list(latencies)
        latencies.clear()
        api.sent.clear()
        seconds = await drive(api, users, per_user, questions, 1)
        if round_trips:
            print(
                f"unloaded: round trip through the stand-in p50 {percentile(round_trips, 50):.1f} ms "
                f"p99 {percentile(round_trips, 99):.1f} ms; handler p50 {percentile(unloaded, 50):.1f} ms "
                f"p99 {percentile(unloaded, 99):.1f} ms"
            )
        return seconds, latencies
    finally:
        await server.close()
        Assistant._handle = original  # type: ignore[method-assign]


async def main_async(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.WARNING)
    engine = Engine.build(load_knowledge(), Path(tempfile.mkdtemp()))
    rows = [json.loads(line) for line in dev_file("qa_dev.jsonl").read_text("utf-8").splitlines() if line.strip()]
    questions = [r["q"] for r in rows if len(engine.ask(r["q"]).answers) > 2 and engine.ask(r["q"]).confident]

    users = max(1, args.users // args.rounds)  # per round; every round has its own users
    updates = users * args.messages
    echo_runs: list[tuple[float, float]] = []
    our_runs: list[tuple[float, float]] = []
    latencies: list[float] = []
    lost = duplicated = replies = notices = 0
    for round_ in range(args.rounds):
        echo_api = BotApiStandIn()
        await echo_api.start()
        echo_runs.append(await echo_bot(echo_api, users, args.messages, questions))
        await echo_api.close()

        ours_api = BotApiStandIn()
        await ours_api.start()
        run, round_latencies = await our_bot(ours_api, engine, users, args.messages, questions, round_ == 0)
        our_runs.append(run)
        latencies += round_latencies
        # the flood notice (a citizen sending 10 messages at once is told to slow down) is no answer
        notices += sum(1 for s in ours_api.sent if s.text == SLOW_DOWN)
        per_update = Counter(s.chat_id for s in ours_api.sent if s.text != SLOW_DOWN)
        replies += sum(per_update.values())
        lost += sum(1 for user in range(1, users + 1) if per_update[10_000 + user] < args.messages)
        duplicated += sum(1 for user in range(1, users + 1) if per_update[10_000 + user] > args.messages)
        await ours_api.close()
        print(
            f"round {round_ + 1}: echo {updates / echo_runs[-1][0]:6.0f} updates/s, ours {updates / run[0]:6.0f} "
            f"updates/s, ratio {echo_runs[-1][0] / run[0]:.2f}"
        )

    echo_wall, echo_cpu = (sum(r[i] for r in echo_runs) for i in (0, 1))
    our_wall, our_cpu = (sum(r[i] for r in our_runs) for i in (0, 1))
    total = updates * args.rounds
    print(f"{args.rounds} rounds × {users} users × {args.messages} messages = {total} updates each, each a question")
    print(f"echo bot (bare PTB)   {total / echo_wall:8.0f} updates/s   CPU {echo_cpu / total * 1000:.2f} ms/update")
    print(
        f"信访助手              {total / our_wall:8.0f} updates/s   CPU {our_cpu / total * 1000:.2f} ms/update   "
        f"handler under load (incl. waiting for the database) p50 {percentile(latencies, 50):.1f} ms  "
        f"p99 {percentile(latencies, 99):.1f} ms"
    )
    ratios = sorted(e[0] / o[0] for e, o in zip(echo_runs, our_runs, strict=True))
    print(
        f"ratio ours/echo: {ratios[len(ratios) // 2]:.2f} (median of rounds; CPU per update {echo_cpu / our_cpu:.2f})"
    )
    print(
        f"users with lost replies: {lost}   with duplicated replies: {duplicated}   "
        f"total replies {replies} (expected {total}), plus {notices} notices to slow down"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--messages", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; the users are split among them")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
