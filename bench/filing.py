"""Filing throughput on SQLite and PostgreSQL, against bare inserts in the same run.

"Filing" is what the case store does with a complaint the dialogue has confirmed: the repeat
check, the similar-case lookup, a 受理编号 from the day's counter, deadlines, the case row and its
audit events — one transaction per case, `--concurrency` at a time. The keyword routing and
segmentation that precede it are measured too ("with nlp"), though they run in the dialogue
before the transaction (their own latency: bench/routing.py). The baseline inserts the same case
rows with nothing else (no counter, no events, no lookups).

    python -m bench.filing [--cases 1000] [--concurrency 16] [--skip-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from backend.db import Database
from backend.filing import CaseDraft, Routing, file_case
from backend.models import Case
from backend.repo import citizens
from backend.store import Store
from bench.common import dev_file
from bot.app import department_rows
from knowledge import load_knowledge
from nlp import Engine

NOW = datetime(2026, 11, 25, 2, tzinfo=UTC)
TODAY = date(2026, 11, 25)


async def run(db_url: str, engine: Engine, texts: list[str], concurrency: int) -> tuple[float, float, float]:
    db = Database(db_url, pool_size=concurrency)
    await db.upgrade()
    store = Store(db)
    await store.sync_departments(department_rows(engine))
    async with store.unit() as uow:
        ids = [(await citizens.get_or_create(uow.session, "bench", f"u{i}", f"u{i}")).id for i in range(len(texts))]
    gate = asyncio.Semaphore(concurrency)

    async def baseline(i: int, text: str) -> None:
        async with gate, store.unit() as uow:
            uow.session.add(
                Case(
                    ticket=f"B-{i:08d}",
                    citizen_id=ids[i],
                    channel="bench",
                    chat_id="c",
                    name="张三",
                    address="A市",
                    facts=text,
                    request="请处理",
                    accept_due=TODAY,
                    received_at=NOW,
                    created_at=NOW,
                    updated_at=NOW,
                )
            )

    def prepare(i: int, text: str) -> tuple[CaseDraft, Routing, list[str]]:
        title, _, body = text.partition("\n")
        decision = engine.route(body, title=title)
        words = engine.segmenter.words(body[:600])
        draft = CaseDraft(
            citizen_id=ids[i],
            channel="bench",
            chat_id="c",
            name="张三",
            address="A市",
            facts=body,
            request="请处理",
            summary=title,
        )
        routing = Routing(
            decision.category,
            decision.department_id,
            decision.confidence,
            list(decision.keywords),
            decision.needs_triage,
        )
        return draft, routing, words

    async def ours(prepared: tuple[CaseDraft, Routing, list[str]]) -> None:
        async with gate, store.unit() as uow:
            await file_case(uow.session, *prepared, NOW, TODAY, nlp=engine)

    async def with_nlp(i: int, text: str) -> None:
        await ours(prepare(i, text))

    t = time.perf_counter()
    await asyncio.gather(*(baseline(i, x) for i, x in enumerate(texts)))
    base_rate = len(texts) / (time.perf_counter() - t)
    half = len(texts) // 2
    prepared = [prepare(i, x) for i, x in enumerate(texts[:half])]
    t = time.perf_counter()
    await asyncio.gather(*(ours(p) for p in prepared))
    ours_rate = half / (time.perf_counter() - t)
    t = time.perf_counter()
    await asyncio.gather(*(with_nlp(half + i, x) for i, x in enumerate(texts[half:])))
    nlp_rate = (len(texts) - half) / (time.perf_counter() - t)
    await db.dispose()
    return ours_rate, nlp_rate, base_rate


async def main_async(args: argparse.Namespace) -> None:
    engine = Engine.build(load_knowledge(), Path(tempfile.mkdtemp()))
    rows = list(csv.DictReader(dev_file("routing_dev.csv").open(encoding="utf-8")))
    texts = [rows[i % len(rows)]["text"] for i in range(args.cases)]
    targets = [("SQLite", f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/bench.db")]
    if not args.skip_postgres:
        from tests.auxil import postgres

        reason = postgres.unavailable_reason()
        if reason:
            print(f"PostgreSQL skipped: {reason}")
        else:
            targets.append(("PostgreSQL", await postgres.create_database()))
    for name, url in targets:
        ours_rate, nlp_rate, base_rate = await run(url, engine, texts, args.concurrency)
        print(
            f"{name:<11} filing {ours_rate:6.0f} cases/s   with nlp {nlp_rate:6.0f}/s   "
            f"bare insert {base_rate:6.0f} rows/s   ratio filing/bare {ours_rate / base_rate:.2f}"
        )
        if url.startswith("postgresql"):
            from tests.auxil import postgres

            await postgres.drop_database(url)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--skip-postgres", action="store_true")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
