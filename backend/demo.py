"""`xinfang demo load`: real public messages as demo data (already pseudonymised by the 2020
TipDM Cup organisers): past messages with official replies become reference replies for
drafting (and concluded cases), messages with public reactions become registered cases — so
the dashboard, the statistics and the hot topics show something real."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select

from knowledge.periods import period_end
from nlp import Engine

from .filing import CaseDraft, Routing, file_case
from .models import CaseEvent, CaseStatus, ReferenceReply
from .repo import citizens
from .store import Store

Router = Callable[[str, str], Routing]  # (body, title) → routing
Words = Callable[[str], list[str]]


@dataclass
class DemoResult:
    references: int = 0
    concluded: int = 0
    registered: int = 0


def _rows(path: Path, limit: int) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    return rows[:limit] if limit else rows


def _when(text: str, tz: ZoneInfo) -> datetime:
    for fmt in ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M", "%Y/%m/%d", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), fmt).replace(tzinfo=tz).astimezone(UTC)
        except ValueError:
            continue
    return datetime.now(UTC)


async def load_demo(
    store: Store,
    nlp: Engine,
    route: Router,
    words: Words,
    past: Path | None,
    messages: Path | None,
    limit: int,
    tz: ZoneInfo,
) -> DemoResult:
    result = DemoResult()
    counter = itertools.count(1)
    if past is not None:
        rows = _rows(past, limit)
        async with store.unit() as uow:
            known = set((await uow.session.scalars(select(ReferenceReply.source_id))).all())
            fresh = [r for r in rows if r.get("id") and r["id"] not in known and r.get("reply")]
            if fresh:
                await uow.session.execute(
                    insert(ReferenceReply),
                    [
                        {
                            "source_id": r["id"],
                            "title": (r.get("title") or "")[:256],
                            "detail": r.get("detail") or "",
                            "reply": r["reply"],
                            "search_text": " ".join(sorted(set(words(f"{r.get('title', '')} {r.get('detail', '')}")))),
                        }
                        for r in fresh
                    ],
                )
            result.references = len(fresh)
        for r in fresh[: min(len(fresh), 300)]:
            await _demo_case(
                store,
                nlp,
                route,
                words,
                r.get("title", ""),
                r.get("detail", ""),
                datetime.now(UTC),
                next(counter),
                reply=r["reply"],
                tz=tz,
            )
            result.concluded += 1
    if messages is not None:
        for r in _rows(messages, limit):
            await _demo_case(
                store,
                nlp,
                route,
                words,
                r.get("title", ""),
                r.get("detail", ""),
                _when(r.get("time", ""), tz),
                next(counter),
                tz=tz,
            )
            result.registered += 1
    return result


async def _demo_case(
    store: Store,
    nlp: Engine,
    route: Router,
    words: Words,
    title: str,
    detail: str,
    received: datetime,
    n: int,
    reply: str | None = None,
    *,
    tz: ZoneInfo,
) -> None:
    detail = detail.strip() or title
    async with store.unit() as uow:
        citizen_id = await citizens.upsert(uow.session, "demo", f"demo-{n}-{received.timestamp():.0f}", f"demo-{n}")
        draft = CaseDraft(
            citizen_id=citizen_id,
            channel="demo",
            chat_id=f"demo-{n}",
            name="（演示数据）",
            address="（演示数据）",
            facts=detail[:4000],
            request=title[:500] or "请处理",
            summary=title[:60],
        )
        day: date = received.astimezone(tz).date()
        result = await file_case(
            uow.session, draft, route(detail, title), words(f"{title} {detail}"[:1200]), received, day, nlp=nlp
        )
        if reply and not result.repeat:
            from .models import Case

            case = await uow.session.get(Case, result.case.id)
            assert case is not None
            case.accepted_on = day
            case.conclude_due = period_end(day, days=60)
            case.status = CaseStatus.CONCLUDED.value
            case.concluded_on = day
            case.review_request_due = period_end(day, days=30)
            case.opinion, case.opinion_text, case.due_on = "解释说明", reply, None
            await uow.session.execute(
                insert(CaseEvent),
                [
                    {
                        "case_id": case.id,
                        "actor": "system",
                        "kind": "concluded",
                        "note": reply[:500],
                        "at": received,
                        "data": {"opinion": "解释说明", "demo": True},
                    },
                ],
            )
