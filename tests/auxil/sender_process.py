"""A campaign sender in a process of its own, built as the server builds it: the real
CampaignSender, the bot's send budget shared through PostgreSQL (or Redis), the Bot API sender.

    python -m tests.auxil.sender_process --db URL --api BASE_URL --rate 30 [--redis URL]

Prints "ready" once it runs, and when it stops (SIGTERM: a graceful stop) how many slots it woke
too late for ("missed N") and how many messages it sent ("sent N", the last line)."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from datetime import timedelta
from pathlib import Path

from backend.db import Database
from backend.sendbudget import Limits, bot_key, send_budget
from backend.store import Store
from bot.campaign_worker import BotApiSender, CampaignSender
from tests.auxil.bot_api import TOKEN

REPO = Path(__file__).resolve().parents[2]


async def main(args: argparse.Namespace) -> None:
    db = Database(args.db, pool_size=4)
    budget = send_budget(Limits(rate=args.rate), database=db, redis_url=args.redis, bot=bot_key(TOKEN))
    bot = BotApiSender(TOKEN, args.api)
    sent = 0

    async def counted(row, text, buttons):  # type: ignore[no-untyped-def]
        nonlocal sent
        await bot(row, text, buttons)
        sent += 1

    sender = CampaignSender(
        Store(db), counted, args.rate, budget=budget, recover_after=timedelta(seconds=args.recover_after)
    )
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, lambda: asyncio.ensure_future(sender.stop()))
    print("ready", flush=True)
    await sender.run()
    print(f"missed {sender.missed}", flush=True)
    print(f"sent {sent}", flush=True)
    await bot.close()
    await budget.close()
    await db.dispose()


def command(db: str, api: str, rate: float, *, redis: str | None = None, recover_after: float = 300.0) -> list[str]:
    argv = [sys.executable, "-m", "tests.auxil.sender_process", "--db", db, "--api", api, "--rate", str(rate)]
    argv += ["--recover-after", str(recover_after)] + (["--redis", redis] if redis else [])
    return argv


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--api", required=True)
    parser.add_argument("--rate", type=float, default=30.0)
    parser.add_argument("--redis")
    parser.add_argument("--recover-after", type=float, default=300.0)
    asyncio.run(main(parser.parse_args()))
