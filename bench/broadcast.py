"""Broadcasting a campaign to 10,000 subscribers through the Bot API stand-in, at a limit.

The sender runs as a separate worker process (as in the server). Midway it is stopped with
SIGTERM and started again; the totals must come out exact — every subscriber once, none twice —
and the rate must stay under the limit in every one-second window while reaching ≥ 90 % of it.
Then the same with SIGKILL (no chance to clean up): still nobody gets the message twice; rows
that were in flight are reported as interrupted rather than sent again (at most once).

    python -m bench.broadcast [--subscribers 10000] [--rate 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from backend import campaigns
from backend.db import Database
from backend.models import Citizen, Subscription
from backend.store import Store
from tests.auxil import postgres
from tests.auxil.bot_api import TOKEN, BotApiStandIn


def steady_rate(stamps: list[float]) -> float:
    """Messages per second over the whole seconds of a run (first and last partial ones left out)."""
    if len(stamps) < 3:
        return 0.0
    start = min(stamps)
    bins = Counter(int(t - start) for t in stamps)
    whole = [bins[i] for i in range(1, max(bins))]
    return sum(whole) / len(whole) if whole else 0.0


def max_in_window(stamps: list[float], window: float = 1.0) -> int:
    stamps = sorted(stamps)
    best, left = 0, 0
    for right, t in enumerate(stamps):
        while t - stamps[left] >= window:
            left += 1
        best = max(best, right - left + 1)
    return best


async def worker(args: argparse.Namespace) -> None:
    """The worker process: a CampaignSender until SIGTERM."""
    from bot.campaign_worker import BotApiSender, CampaignSender

    db = Database(args.db, pool_size=4)
    bot = BotApiSender(TOKEN, args.api)
    sender = CampaignSender(Store(db), bot, args.rate, recover_after=timedelta(seconds=2))
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, lambda: asyncio.ensure_future(sender.stop()))
    await sender.run()
    await bot.close()
    await db.dispose()


def start_worker(args: argparse.Namespace, db_url: str, api: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "bench.broadcast", "--worker", "--db", db_url, "--api", api, "--rate", str(args.rate)],
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )


async def one_run(args: argparse.Namespace, store: Store, db_url: str, api: BotApiStandIn, sig: int) -> None:
    api.sent.clear()
    async with store.unit() as uow:
        campaign = await campaigns.create(
            uow.session,
            title=f"bench {sig}",
            text="📖 条例每日一条：信访事项一般 60 日内办结。",
            created_by="bench",
            topic="daily_article",
            send_at=datetime.now(UTC),
        )
        campaign_id = campaign.id
    n = args.subscribers
    process = start_worker(args, db_url, api.base_url)
    await api.wait_until(lambda: len(api.sent) >= n * 0.4, timeout=300)
    stamps_first = [s.at for s in api.sent]
    process.send_signal(sig)
    process.wait(timeout=60)
    stopped_at = len(api.sent)
    process = start_worker(args, db_url, api.base_url)

    async def settled() -> dict:
        async with store.unit() as uow:
            return await campaigns.counts(uow.session, campaign_id)

    for _ in range(3000):
        counts = await settled()
        if counts["pending"] == 0 and counts["recipients"] == n:
            break
        await asyncio.sleep(0.1)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    per_chat = Counter(s.chat_id for s in api.sent)
    duplicates = sum(c - 1 for c in per_chat.values() if c > 1)
    stamps = [s.at for s in api.sent]
    second = [s.at for s in api.sent[stopped_at:]]
    rate_first, rate_second = steady_rate(stamps_first), steady_rate(second)
    name = {signal.SIGTERM: "SIGTERM", signal.SIGKILL: "SIGKILL"}[sig]
    print(f"— stopped with {name} after {stopped_at} sends, then restarted —")
    print(f"  delivered to {len(per_chat)}/{n} subscribers, duplicates {duplicates}")
    print(
        f"  counts: sent {counts['sent']}, failed (interrupted) {counts['failed']}, blocked {counts['blocked']}, "
        f"pending {counts['pending']}"
    )
    print(
        f"  achieved rate: {rate_first:.0f}/s before, {rate_second:.0f}/s after the restart "
        f"({min(rate_first, rate_second) / args.rate:.0%} of the {args.rate}/s limit); "
        f"most in any 1-second window: {max_in_window(stamps)} (limit {args.rate})"
    )
    lost = n - len(per_chat)
    print(
        f"  lost: {lost}"
        + ("  (in flight when killed: marked interrupted, not resent)" if lost and sig == signal.SIGKILL else "")
    )


async def main_async(args: argparse.Namespace) -> None:
    if args.worker:
        await worker(args)
        return
    reason = postgres.unavailable_reason()
    if reason:
        raise SystemExit(f"PostgreSQL is needed: {reason}")
    db_url = await postgres.create_database()
    api = BotApiStandIn()
    await api.start()
    try:
        db = Database(db_url)
        await db.upgrade()
        store = Store(db)
        now = datetime.now(UTC)
        async with db.session() as session:
            await session.execute(
                insert(Citizen),
                [
                    {
                        "id": i,
                        "channel": "telegram",
                        "external_id": str(i),
                        "chat_id": str(100_000 + i),
                        "created_at": now,
                    }
                    for i in range(1, args.subscribers + 1)
                ],
            )
            await session.execute(
                insert(Subscription),
                [
                    {
                        "citizen_id": i,
                        "topic": "daily_article",
                        "source": "bench",
                        "active": True,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in range(1, args.subscribers + 1)
                ],
            )
        print(f"{args.subscribers} subscribers, limit {args.rate} messages/s (Telegram's real limit: 30/s)")
        t = time.perf_counter()
        await one_run(args, store, db_url, api, signal.SIGTERM)
        await one_run(args, store, db_url, api, signal.SIGKILL)
        print(f"total {time.perf_counter() - t:.1f} s")
        await db.dispose()
    finally:
        await api.close()
        await postgres.drop_database(db_url)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--api", help=argparse.SUPPRESS)
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
