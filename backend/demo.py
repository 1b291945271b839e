"""`xinfang demo load`: real public messages as demo data (already pseudonymised by the 2020
TipDM Cup organisers), loaded as what they are:

- past messages with their official reply become reference replies for drafting and, when the
  reply is dated, concluded cases: answered on that date, with the reply as the opinion. The data
  has no date of receipt, so the case is dated by its answer (said in its timeline);
- messages with public reactions (dated, but without any outcome) become archived historic cases
  (终结) on their own date, with the deadlines they had — not thousands of open, overdue cases.

Loading twice adds nothing: each row is a citizen of its own ("demo", "<file>-<id>").
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, update

from knowledge.periods import period_end

from .filing import CONCLUDE_DAYS, REVIEW_REQUEST_DAYS, CaseDraft, Routing, file_case
from .models import Case, CaseEvent, CaseStatus, Citizen, ReferenceReply
from .repo import citizens
from .store import Store

Router = Callable[[str, str], Routing]  # (body, title) → routing
Words = Callable[[str], list[str]]

PAST = "past_cases_with_replies.csv"
MESSAGES = "messages_with_likes.csv"
BATCH = 200
_REPLY_DATE = re.compile(r"(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")

# ── 用户可见文字 ──────────────────────────────────────────────────────────────
ANSWERED_NOTE = "演示数据：原始数据只有答复日期，登记、受理日期按答复日期记"
ARCHIVED_NOTE = "演示数据：历史留言，原始数据未含办理结果，按已归档导入"
MISSING = (
    "找不到演示数据 {files}。\n"
    "请把这两个文件放到与代码目录并列的 shared/dev/ 目录（{expected}），"
    "或用 --data-dir 指定它们所在的目录（也可设置环境变量 XINFANG_SHARED_DIR 指向 shared 目录）。\n"
    "已查找：{looked}"
)
# ─────────────────────────────────────────────────────────────────────────────


class DemoDataMissing(Exception):
    """The demo files are nowhere we looked; the message says where to put them."""


@dataclass
class DemoResult:
    references: int = 0
    concluded: int = 0
    archived: int = 0
    undated: int = 0  # replies without a date: kept as references only
    skipped: int = 0  # already loaded


def locate(explicit: Path | None, candidates: list[Path]) -> Path:
    """The directory holding the demo files: the explicit one, or the first candidate that has them."""
    places = [explicit] if explicit else candidates
    for place in places:
        if place is not None and (place / PAST).exists():
            return place
    expected = candidates[0] if candidates else Path("shared/dev")
    raise DemoDataMissing(
        MISSING.format(files=f"{PAST}、{MESSAGES}", expected=expected, looked="；".join(str(p) for p in places))
    )


def _rows(path: Path, limit: int) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    return rows[:limit] if limit else rows


def reply_date(reply: str) -> date | None:
    """The date an official reply was signed: the last date written in it."""
    for m in reversed(list(_REPLY_DATE.finditer(reply))):
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
    return None


def message_time(text: str, tz: ZoneInfo) -> datetime | None:
    for fmt in ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M", "%Y/%m/%d", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), fmt).replace(tzinfo=tz).astimezone(UTC)
        except ValueError:
            continue
    return None


async def load_demo(
    store: Store, route: Router, words: Words, data: Path, limit: int, tz: ZoneInfo, past: Path | None = None
) -> DemoResult:
    result = DemoResult()
    past = past or data / PAST
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
    answered = []
    for r in rows:
        day = reply_date(r.get("reply") or "")
        if not r.get("id") or not r.get("reply"):
            continue
        if day is None:
            result.undated += 1
        else:
            answered.append((r, day))
    for i in range(0, len(answered), BATCH):
        async with store.unit() as uow:
            for r, day in answered[i : i + BATCH]:
                when = datetime.combine(day, time(9), tz)
                case_id = await _file(uow.session, route, words, f"past-{r['id']}", r, when, day)
                if case_id is None:
                    result.skipped += 1
                    continue
                await _conclude(uow.session, case_id, r["reply"], when, day)
                result.concluded += 1
    messages = data / MESSAGES
    if messages.exists():
        dated = [(r, message_time(r.get("time", ""), tz)) for r in _rows(messages, limit) if r.get("id")]
        dated = [(r, when) for r, when in dated if when is not None]
        for i in range(0, len(dated), BATCH):
            async with store.unit() as uow:
                for r, when in dated[i : i + BATCH]:
                    day = when.astimezone(tz).date()
                    case_id = await _file(uow.session, route, words, f"msg-{r['id']}", r, when, day)
                    if case_id is None:
                        result.skipped += 1
                        continue
                    await _archive(uow.session, case_id, when)
                    result.archived += 1
    return result


async def _file(session, route: Router, words: Words, key: str, row: dict, when: datetime, day: date) -> int | None:  # type: ignore[no-untyped-def]
    """File the row as a case of its own citizen, on its own date; None when already loaded."""
    if await session.scalar(select(Citizen.id).where(Citizen.channel == "demo", Citizen.external_id == key)):
        return None
    citizen_id = await citizens.upsert(session, "demo", key, key)
    title = (row.get("title") or "").strip()
    detail = (row.get("detail") or "").strip() or title
    draft = CaseDraft(
        citizen_id=citizen_id,
        channel="demo",
        chat_id=key,
        name="（演示数据）",
        address="（演示数据）",
        facts=detail[:4000],
        request=title[:500] or "请处理",
        summary=title[:60],
        source="demo",
    )
    filed = await file_case(session, draft, route(detail, title), words(f"{title} {detail}"[:1200]), when, day)
    return filed.case.id


async def _conclude(session, case_id: int, reply: str, when: datetime, day: date) -> None:  # type: ignore[no-untyped-def]
    await session.execute(
        update(Case)
        .where(Case.id == case_id)
        .values(
            status=CaseStatus.CONCLUDED.value,
            accepted_on=day,
            conclude_due=period_end(day, days=CONCLUDE_DAYS),
            concluded_on=day,
            answer_received_on=day,
            review_request_due=period_end(day, days=REVIEW_REQUEST_DAYS),
            opinion_text=reply,
            due_on=None,
        )
    )
    await session.execute(
        insert(CaseEvent),
        [
            {
                "case_id": case_id,
                "actor": "system",
                "kind": "accepted",
                "note": ANSWERED_NOTE,
                "at": when,
                "data": {"demo": True},
            },
            {
                "case_id": case_id,
                "actor": "system",
                "kind": "concluded",
                "note": reply[:2000],
                "at": when,
                "data": {"demo": True},
            },
        ],
    )


async def _archive(session, case_id: int, when: datetime) -> None:  # type: ignore[no-untyped-def]
    await session.execute(update(Case).where(Case.id == case_id).values(status=CaseStatus.CLOSED.value, due_on=None))
    await session.execute(
        insert(CaseEvent),
        [
            {
                "case_id": case_id,
                "actor": "system",
                "kind": "closed",
                "note": ARCHIVED_NOTE,
                "at": when,
                "data": {"demo": True},
            }
        ],
    )
