"""The staff case list at scale in PostgreSQL: the first page, every queue, filters, sorts,
searches, deep pages, the officer's view, the queue counts, the year's statistics and the 督查通报.

Loads N cases (real letters from routing_dev.csv, cycled, with their jieba words, one every
five minutes back from today — a million is nine and a half years — in every status) with COPY,
then times `GET /api/v1/cases` through the real aiohttp app (token check, query, count, JSON),
and the repository functions behind the dashboard's counts and statistics. Each line gives its
p50 and p99 against the baseline measured in the same run: the bare indexed
`SELECT id FROM cases ORDER BY id DESC LIMIT 50` on the same table.

    python -m bench.staff [--cases 1000000] [--repeat 20]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert, text

from backend.db import Database
from backend.models import Citizen
from backend.repo import staff as staff_repo
from backend.store import Store
from backend.web import STAFF
from bench.common import dev_file, percentile
from bot.app import create_app, department_rows
from bot.config import Config
from knowledge import load_knowledge
from nlp import Engine
from tests.auxil import postgres

TZ = ZoneInfo("Asia/Shanghai")
RECENT = ["registered"] * 3 + ["accepted", "routed", "in_progress", "in_progress", "concluded", "concluded", "closed"]
OLD = ["concluded"] * 10 + ["closed"] * 9 + ["in_progress"]  # older than 90 days: mostly done


async def load(db: Database, engine: Engine, count: int) -> None:
    """`count` cases with COPY (a million in minutes), then VACUUM ANALYZE."""
    rows = list(csv.DictReader(dev_file("routing_dev.csv").open(encoding="utf-8")))
    prepared = []
    for r in rows:
        title, _, body = r["text"].partition("\n")
        decision = engine.route(body, title=title)
        prepared.append(
            (title[:60], body[:800], decision, " ".join(sorted(set(engine.segmenter.words(r["text"][:600])))))
        )
    rng = random.Random(7)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    async with db.session() as session:
        await session.execute(
            insert(Citizen),
            [
                {"id": i, "channel": "bench", "external_id": str(i), "chat_id": str(i), "created_at": now}
                for i in range(1, 5001)
            ],
        )
    columns = list(_case(0, prepared[0], now, "registered", 1).keys())
    per_day: dict[date, int] = {}
    async with db.engine.connect() as conn:
        raw = (await conn.get_raw_connection()).driver_connection
        batch: list[tuple] = []
        for i in range(count):
            received = now - timedelta(minutes=5 * (count - i))
            day = received.date()
            per_day[day] = per_day.get(day, 0) + 1
            status = rng.choice(OLD if (now - received).days > 90 else RECENT)
            case = _case(i, prepared[i % len(prepared)], received, status, per_day[day])
            batch.append(tuple(json.dumps(v) if isinstance(v, list) else v for v in case.values()))
            if len(batch) == 20_000 or i == count - 1:
                await raw.copy_records_to_table("cases", records=batch, columns=columns)
                batch = []
        # what autovacuum does after a bulk load (statistics, and the visibility map that lets
        # counts and breakdowns be read from indexes alone)
        await raw.execute("VACUUM ANALYZE cases")
        await conn.commit()


def _case(i: int, prepared: tuple, received: datetime, status: str, number: int) -> dict:
    title, body, decision, words = prepared
    day = received.date()
    done = status in ("concluded", "closed")
    return {
        "id": i + 1,
        "ticket": f"XF-{day:%Y%m%d}-{number:04d}",
        "citizen_id": i % 5000 + 1,
        "channel": "bench",
        "chat_id": "x",
        "kind": "complaint",
        "source": "chat",
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
        "conclude_due": day + timedelta(days=75) if status != "registered" else None,
        "concluded_on": day + timedelta(days=30 + i % 50) if done else None,
        "due_on": None if done else day + timedelta(days=15 if status == "registered" else 75),
        "review_stage": 1 if i % 40 == 0 else 0,
        "satisfaction": ("满意", "基本满意", "不满意")[i % 3] if done and i % 4 == 0 else None,
        "extension_days": 0,
        "assisting": [],
        "reopen_count": 0,
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


async def timed(call, repeat: int) -> tuple[list[float], object]:  # type: ignore[no-untyped-def]
    """Milliseconds per call (one warm-up call first), and the last result."""
    result = await call()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        result = await call()
        times.append((time.perf_counter() - t) * 1000)
    return times, result


async def main_async(args: argparse.Namespace) -> None:
    reason = postgres.unavailable_reason()
    if reason:
        raise SystemExit(f"PostgreSQL is needed: {reason}")
    url = args.db or await postgres.create_database()
    data = Path(tempfile.mkdtemp())
    engine = Engine.build(load_knowledge(), data / "cache")
    try:
        db = Database(url)
        t = time.perf_counter()
        await db.upgrade()
        if not args.db:
            store = Store(db)
            await store.sync_departments(department_rows(engine))
            t = time.perf_counter()
            await load(db, engine, args.cases)
            print(f"loaded {args.cases} cases in {time.perf_counter() - t:.1f} s (COPY, then VACUUM ANALYZE)")
            async with store.unit() as uow:
                await staff_repo.create(uow.session, "disp", "bench-password-1", "dispatcher", None)
                await staff_repo.create(uow.session, "edu", "bench-password-1", "officer", "jiaoyuju")
        else:
            print(f"reusing {url} (migrated in {time.perf_counter() - t:.1f} s)")
        await db.dispose()
        await measure(args, url, data, engine)
    finally:
        if args.keep and not args.db:
            print(f"kept {url} (reuse it with --db; drop it when done)")
        elif not args.db:
            await postgres.drop_database(url)


async def measure(args: argparse.Namespace, url: str, data: Path, engine: Engine) -> None:
    from aiohttp.test_utils import TestClient, TestServer

    from backend.auth import Viewer
    from backend.repo import case_list
    from backend.stats import statistics as year_statistics

    config = Config(database_url=url, data_dir=data, secret_key="bench", _env_file=None, api_rate_per_minute=100000)
    app = create_app(config, engine=engine)
    client = TestClient(TestServer(app))
    await client.start_server()
    db = Database(url)
    store = Store(db)
    try:

        async def token(user: str) -> dict[str, str]:
            r = await client.post("/api/v1/auth/token", json={"username": user, "password": "bench-password-1"})
            return {"Authorization": f"Bearer {(await r.json())['token']}"}

        async def bare() -> int:
            async with db.engine.connect() as conn:
                return len((await conn.execute(text("SELECT id FROM cases ORDER BY id DESC LIMIT 50"))).all())

        base, _ = await timed(bare, args.repeat * 2)
        baseline = statistics.median(base)
        print(f"baseline, the bare indexed SELECT id FROM cases ORDER BY id DESC LIMIT 50: p50 {baseline:.2f} ms")
        print(f"{'query':<30}{'total':>8}{'p50 ms':>9}{'p99 ms':>9}{'p50/baseline':>14}")

        def report(name: str, times: list[float], total: object) -> None:
            p50 = statistics.median(times)
            print(f"{name:<30}{total!s:>8}{p50:>9.1f}{percentile(times, 99):>9.1f}{p50 / baseline:>13.0f}×")

        dispatcher, officer = await token("disp"), await token("edu")
        today = date.today()
        month = f"{today:%Y-%m}"
        queries = [
            ("first page", "", dispatcher),
            ("page 20", "page=20", dispatcher),
            *((f"queue {label}", f"queue={queue}", dispatcher) for queue, label in case_list.QUEUES.items()),
            ("status 办理中", "status=in_progress", dispatcher),
            ("department 住建局", "department=zhujianju", dispatcher),
            ("category + status", "category=环境保护&status=registered", dispatcher),
            (
                "date range (a month)",
                f"from={today - timedelta(days=400):%Y-%m-01}&to={today - timedelta(days=370):%Y-%m-%d}",
                dispatcher,
            ),
            ("date range (this year)", f"from={today:%Y}-01-01&to={today}", dispatcher),
            ("search 噪音", "q=噪音", dispatcher),
            ("search 物业 电梯", "q=物业电梯", dispatcher),
            ("search, rare word", "q=烂尾楼", dispatcher),
            ("search name", "q=欧阳明", dispatcher),
            ("search phone digits", "q=4242", dispatcher),
            ("search ticket prefix", f"q=XF-{today:%Y%m}", dispatcher),
            ("sort by deadline", "sort=due", dispatcher),
            ("sort by received, desc", "sort=-received", dispatcher),
            ("sort by department", "sort=department", dispatcher),
            ("sort by status + page 100", "sort=status&page=100", dispatcher),
            ("page jump to 200", "page=200", dispatcher),
            ("officer first page", "", officer),
            ("officer queue 已超期", "queue=overdue", officer),
            ("officer search", "q=学校", officer),
            ("officer my cases", "assignee=me", officer),
            ("bulletin (month)", f"/api/v1/reports/bulletin?month={month}", dispatcher),
        ]
        for name, query, headers in queries:
            path = query if query.startswith("/") else f"/api/v1/cases?{query}"

            async def get(path: str = path, headers: dict = headers) -> object:
                response = await client.get(path, headers=headers)
                body = await response.json()
                assert response.status == 200, body
                return body.get("total", len(body.get("departments", [])))

            report(name, *await timed(get, args.repeat))
        coordinator = Viewer(1, "disp", "disp", "dispatcher", None)
        desk = Viewer(2, "edu", "edu", "officer", "jiaoyuju")
        topic_words = app[STAFF].topic_words
        # uncounted here: the list page keeps them for a few seconds per scope, as the badges
        for name, viewer in (("queue counts (uncached)", coordinator), ("queue counts, officer", desk)):

            async def counts(viewer: Viewer = viewer) -> object:
                async with store.unit() as uow:
                    found = await case_list.queue_counts(uow.session, viewer, today)
                return max(found.values())

            report(name, *await timed(counts, args.repeat))
        for name, viewer in (("statistics, a year", coordinator), ("statistics, a year, officer", desk)):

            async def year(viewer: Viewer = viewer) -> object:
                async with store.unit() as uow:
                    figures = await year_statistics(
                        uow.session, viewer, today - timedelta(days=365), today, TZ, today, topic_words
                    )
                return figures.received

            report(name, *await timed(year, args.repeat))
    finally:
        await client.close()
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--db", help="a database loaded before (kept): skip loading")
    parser.add_argument("--keep", action="store_true", help="keep the loaded database (for --db)")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
