"""Broadcasting a campaign through the Bot API stand-in at a send limit, from 1 or N processes.

The senders run as separate worker processes (as `xinfang run` runs them), sharing the bot's send
budget through PostgreSQL. Midway they are stopped with SIGTERM and started again; the totals
must come out exact — every subscriber once, none twice — and the messages arriving at the
stand-in must stay under the limit in every one-second window while reaching ≥ 90 % of it. Then
the same with SIGKILL (no chance to clean up): still nobody gets the message twice; rows that
were in flight are reported as interrupted rather than sent again (at most once).

    python -m bench.broadcast [--rate 30] [--processes 2] [--subscribers N]
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import time
from collections import Counter
from datetime import UTC, datetime
from itertools import pairwise

from sqlalchemy import insert

from backend import campaigns
from backend.db import Database
from backend.models import Citizen, Subscription
from backend.sendbudget import Limits
from backend.store import Store
from tests.auxil import postgres, sender_process
from tests.auxil.bot_api import BotApiStandIn
from tests.auxil.rates import busiest_second


def steady_rate(stamps: list[float]) -> float:
    """Messages per second over the whole seconds of a run (first and last partial ones left out)."""
    if len(stamps) < 3:
        return 0.0
    start = min(stamps)
    bins = Counter(int(t - start) for t in stamps)
    whole = [bins[i] for i in range(1, max(bins))]
    return sum(whole) / len(whole) if whole else 0.0


async def start_workers(args: argparse.Namespace, db_url: str, api: str) -> list[asyncio.subprocess.Process]:
    workers = [
        await asyncio.create_subprocess_exec(
            *sender_process.command(db_url, api, args.rate, recover_after=10.0),
            env=sender_process.environment(),
            stdout=asyncio.subprocess.PIPE,
        )
        for _ in range(args.processes)
    ]
    for worker in workers:
        assert worker.stdout is not None
        assert (await worker.stdout.readline()).strip() == b"ready"
    return workers


async def stop_workers(workers: list[asyncio.subprocess.Process], sig: int) -> list[tuple[int, int]]:
    """Signal every worker and wait (without blocking the stand-in); what each says it sent."""
    for worker in workers:
        worker.send_signal(sig)
    shares = []
    for worker in workers:
        assert worker.stdout is not None
        said = dict(line.split() for line in (await asyncio.wait_for(worker.stdout.read(), 60)).decode().splitlines())
        await asyncio.wait_for(worker.wait(), 60)
        shares.append((int(said.get("sent", -1)), int(said.get("missed", -1))))
    return shares


async def one_run(args: argparse.Namespace, store: Store, db_url: str, api: BotApiStandIn, sig: int) -> float:
    api.sent.clear()
    n = args.subscribers
    workers = await start_workers(args, db_url, api.base_url)
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
    await api.wait_until(lambda: len(api.sent) >= n * 0.4, timeout=600)
    stamps_first = [s.at for s in api.sent]
    await stop_workers(workers, sig)
    stopped_at = len(api.sent)
    workers = await start_workers(args, db_url, api.base_url)

    async def settled() -> dict:
        async with store.unit() as uow:
            return await campaigns.counts(uow.session, campaign_id)

    for _ in range(6000):
        counts = await settled()
        if counts["pending"] == 0 and counts["recipients"] == n:
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)  # anything still on its way arrives
    shares = await stop_workers(workers, signal.SIGTERM)
    per_chat = Counter(s.chat_id for s in api.sent)
    duplicates = sum(c - 1 for c in per_chat.values() if c > 1)
    stamps = [s.at for s in api.sent]
    second = [s.at for s in api.sent[stopped_at:]]
    rate_first, rate_second = steady_rate(stamps_first), steady_rate(second)
    achieved = min(rate_first, rate_second) / args.rate
    name = {signal.SIGTERM: "SIGTERM", signal.SIGKILL: "SIGKILL"}[sig]
    print(f"— {args.processes} process(es) stopped with {name} after {stopped_at} sends, then restarted —")
    print(
        f"  delivered to {len(per_chat)}/{n} subscribers, duplicates {duplicates}; after the restart "
        f"(sent, slots missed by a late wake-up) per process: {shares}"
    )
    slots = (1 + Limits().jitter) / args.rate
    lost = sum(round((b - a) / slots) - 1 for a, b in pairwise(sorted(second)) if b - a > 1.5 * slots)
    print(f"  slots left unused between sends after the restart: {lost} of {len(second) + lost}")
    print(
        f"  counts: sent {counts['sent']}, failed (interrupted) {counts['failed']}, blocked {counts['blocked']}, "
        f"pending {counts['pending']}"
    )
    print(
        f"  achieved rate: {rate_first:.1f}/s before, {rate_second:.1f}/s after the restart "
        f"(achieved/configured {achieved:.2f}); busiest 1-second window: {busiest_second(stamps)} (limit {args.rate})"
    )
    lost = n - len(per_chat)
    print(
        f"  lost: {lost}"
        + ("  (in flight when killed: marked interrupted, not resent)" if lost and sig == signal.SIGKILL else "")
    )
    return achieved


async def main_async(args: argparse.Namespace) -> None:
    args.subscribers = args.subscribers or max(300, args.rate * 10)
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
        print(
            f"{args.subscribers} subscribers, limit {args.rate} messages/s (Telegram's real limit: 30/s), "
            f"{args.processes} sender process(es) sharing the budget through PostgreSQL"
        )
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
    parser.add_argument("--subscribers", type=int, help="default: 10 seconds' worth at the rate (at least 300)")
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=1, help="sender processes sharing one budget")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
