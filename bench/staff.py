"""The staff case list with 100,000 cases in PostgreSQL: first page, filtered, sorted, searched
and deep pages, and the month's 督查通报.

Loads 100k cases (real letters from routing_dev.csv, cycled, with their jieba words, spread over
a year, in every status), then times `GET /api/v1/cases` through the real aiohttp app (token
check, query, count, JSON) for the first page and typical filters, as a dispatcher and as a
department officer. The baseline is the bare `SELECT … ORDER BY id DESC LIMIT 50` on the same
table, timed in the same run.

    python -m bench.staff [--cases 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

from backend.db import Database
from backend.models import Case, Citizen
from backend.repo import staff as staff_repo
from backend.store import Store
from bench.common import dev_file, percentile
from bot.app import create_app, department_rows
from bot.config import Config
from knowledge import load_knowledge
from nlp import Engine
from tests.auxil import postgres

STATUSES = ["registered"] * 3 + ["accepted", "routed", "in_progress", "in_progress", "concluded", "concluded", "closed"]


async def load(db: Database, engine: Engine, count: int) -> None:
    rows = list(csv.DictReader(dev_file("routing_dev.csv").open(encoding="utf-8")))
    prepared = []
    for r in rows:
        title, _, body = r["text"].partition("\n")
        decision = engine.route(body, title=title)
        prepared.append(
            (title[:60], body[:800], decision, " ".join(sorted(set(engine.segmenter.words(r["text"][:600])))))
        )
    rng = random.Random(7)
    start = datetime(2025, 11, 25, tzinfo=UTC)
    async with db.session() as session:
        await session.execute(
            insert(Citizen),
            [
                {"id": i, "channel": "bench", "external_id": str(i), "chat_id": str(i), "created_at": start}
                for i in range(1, 5001)
            ],
        )
    batch = []
    per_day: dict[date, int] = {}
    for i in range(count):
        title, body, decision, words = prepared[i % len(prepared)]
        received = start + timedelta(minutes=5 * i)
        day = received.date()
        status = rng.choice(STATUSES)
        per_day[day] = per_day.get(day, 0) + 1
        batch.append(
            {
                "ticket": f"XF-{day:%Y%m%d}-{per_day[day]:04d}",
                "citizen_id": i % 5000 + 1,
                "channel": "bench",
                "chat_id": "x",
                "kind": "complaint",
                "status": status,
                "summary": title,
                "name": "张三" if i % 50 else "欧阳明",
                "phone": f"139{i:08d}",
                "phone_tail": f"{i:08d}"[-4:],
                "address": "A市",
                "facts": body,
                "request": "请处理",
                "reason": "",
                "group_size": 1,
                "representatives": [],
                "category": decision.category,
                "department_id": decision.department_id if not decision.needs_triage else None,
                "routing_confidence": decision.confidence,
                "routing_keywords": list(decision.keywords),
                "needs_triage": decision.needs_triage and status == "registered",
                "urgent": i % 97 == 0,
                "received_at": received,
                "accept_due": day + timedelta(days=15),
                "due_on": day + timedelta(days=15 if status == "registered" else 60)
                if status not in ("concluded", "closed")
                else None,
                "review_stage": 0,
                "extension_days": 0,
                "simhash": 0,
                "simhash_band0": i % 65536,
                "simhash_band1": 0,
                "simhash_band2": 0,
                "simhash_band3": 0,
                "search_text": words,
                "similar_checked": True,
                "created_at": received,
                "updated_at": received,
            }
        )
        if len(batch) == 5000:
            await _flush(db, batch)
    if batch:
        await _flush(db, batch)
    async with db.engine.begin() as conn:
        await conn.execute(text("ANALYZE cases"))


async def _flush(db: Database, batch: list[dict]) -> None:
    async with db.session() as session:
        await session.execute(insert(Case), batch)
    batch.clear()


async def main_async(args: argparse.Namespace) -> None:
    reason = postgres.unavailable_reason()
    if reason:
        raise SystemExit(f"PostgreSQL is needed: {reason}")
    url = await postgres.create_database()
    data = Path(tempfile.mkdtemp())
    engine = Engine.build(load_knowledge(), data / "cache")
    try:
        db = Database(url)
        await db.upgrade()
        store = Store(db)
        await store.sync_departments(department_rows(engine))
        t = time.perf_counter()
        await load(db, engine, args.cases)
        print(f"loaded {args.cases} cases in {time.perf_counter() - t:.1f} s")
        async with store.unit() as uow:
            await staff_repo.create(uow.session, "disp", "bench-password-1", "dispatcher", None)
            await staff_repo.create(uow.session, "edu", "bench-password-1", "officer", "jiaoyuju")
        await db.dispose()

        from aiohttp.test_utils import TestClient, TestServer

        config = Config(database_url=url, data_dir=data, secret_key="bench", _env_file=None, api_rate_per_minute=100000)
        client = TestClient(TestServer(create_app(config, engine=engine)))
        await client.start_server()
        try:

            async def token(user: str) -> dict[str, str]:
                r = await client.post("/api/v1/auth/token", json={"username": user, "password": "bench-password-1"})
                return {"Authorization": f"Bearer {(await r.json())['token']}"}

            dispatcher, officer = await token("disp"), await token("edu")
            queries = [
                ("first page", "", dispatcher),
                ("page 20", "page=20", dispatcher),
                ("queue 待分办", "queue=triage", dispatcher),
                ("queue 已超期", "queue=overdue", dispatcher),
                ("queue 即将超期", "queue=due_soon", dispatcher),
                ("queue 紧急", "queue=urgent", dispatcher),
                ("status 办理中", "status=in_progress", dispatcher),
                ("department 住建局", "department=zhujianju", dispatcher),
                ("category + status", "category=环境保护&status=registered", dispatcher),
                ("search 噪音", "q=噪音", dispatcher),
                ("search 物业 电梯", "q=物业电梯", dispatcher),
                ("date range", "from=2026-03-01&to=2026-03-31", dispatcher),
                ("sort by deadline", "sort=due", dispatcher),
                ("sort by received, desc", "sort=-received", dispatcher),
                ("sort by department", "sort=department", dispatcher),
                ("sort by status + page 100", "sort=status&page=100", dispatcher),
                ("page jump to 200", "page=200", dispatcher),
                ("search name", "q=欧阳明", dispatcher),
                ("search phone digits", "q=4242", dispatcher),
                ("search ticket prefix", "q=XF-202603", dispatcher),
                ("officer first page", "", officer),
                ("officer search", "q=学校", officer),
                ("officer my cases", "assignee=me", officer),
                ("bulletin (month)", "/api/v1/reports/bulletin?month=2026-03", dispatcher),
            ]
            print(f"{'query':<28}{'total':>8}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
            worst = 0.0
            for name, query, headers in queries:
                times = []
                total = 0
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    path = query if query.startswith("/") else f"/api/v1/cases?{query}"
                    response = await client.get(path, headers=headers)
                    body = await response.json()
                    times.append((time.perf_counter() - t) * 1000)
                    assert response.status == 200, body
                    total = body["total"] if "total" in body else len(body.get("departments", []))
                worst = max(worst, max(times))
                print(
                    f"{name:<28}{total:>8}{statistics.median(times):>10.1f}{percentile(times, 95):>10.1f}{max(times):>10.1f}"
                )
            db = Database(url)
            times = []
            for _ in range(args.repeat):
                async with db.engine.connect() as conn:
                    t = time.perf_counter()
                    await conn.execute(text("SELECT id FROM cases ORDER BY id DESC LIMIT 50"))
                    times.append((time.perf_counter() - t) * 1000)
            await db.dispose()
            print(f"baseline bare SELECT … LIMIT 50: p50 {statistics.median(times):.2f} ms")
            print(f"slowest request: {worst:.1f} ms (bar: 200 ms)")
        finally:
            await client.close()
    finally:
        await postgres.drop_database(url)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=10)
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
