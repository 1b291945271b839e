"""Oversight numbers (the report's 台账, 督查通报, 满意率) for any period, scoped by role.

Everything counts cases *received* in the period, except the conclusion figures, which count
cases *concluded* in it.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from .auth import Viewer
from .models import OPEN_STATUSES, Case, CaseEvent, CaseStatus, Department, Guidance
from .repo.case_list import scoped

_GENERIC = frozenset(
    [
        "问题",
        "反映",
        "情况",
        "希望",
        "政府",
        "部门",
        "相关",
        "要求",
        "处理",
        "解决",
        "进行",
        "没有",
        "一个",
        "我们",
        "他们",
        "现在",
        "目前",
        "已经",
        "工作",
        "领导",
        "市民",
        "居民",
        "群众",
        "小区",
        "我家",
    ]
)


@dataclass
class Statistics:
    start: date
    end: date
    received: int = 0
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_department: list[tuple[str, int]] = field(default_factory=list)
    by_status: list[tuple[str, int]] = field(default_factory=list)
    by_month: list[tuple[str, int]] = field(default_factory=list)
    concluded: int = 0
    on_time: int = 0
    with_deadline: int = 0  # concluded cases whose deadline is known (on-time is judged on these)
    rated: Counter = field(default_factory=Counter)
    first_time_resolved: int = 0  # concluded without 复查
    steered: list[tuple[str, int]] = field(default_factory=list)
    repeats: int = 0
    overdue_open: int = 0  # 督办
    routed: int = 0  # 转送·交办 actions
    rerouted: int = 0
    extended: int = 0
    most_accused: list[tuple[str, int]] = field(default_factory=list)
    hot_topics: list[tuple[str, int, list[str]]] = field(default_factory=list)

    @staticmethod
    def rate(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def on_time_rate(self) -> float | None:
        return self.rate(self.on_time, self.with_deadline)

    @property
    def satisfaction_rate(self) -> float | None:
        total = sum(self.rated.values())
        return self.rate(self.rated["满意"] + self.rated["基本满意"], total)

    @property
    def rated_count(self) -> int:
        return sum(self.rated.values())

    @property
    def satisfied(self) -> int:
        return self.rated["满意"] + self.rated["基本满意"]

    @property
    def first_time_rate(self) -> float | None:
        return self.rate(self.first_time_resolved, self.concluded)


def _bounds(start: date, end: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    return datetime.combine(start, time.min, tz), datetime.combine(end + timedelta(days=1), time.min, tz)


async def statistics(
    session: AsyncSession,
    viewer: Viewer,
    start: date,
    end: date,
    tz: ZoneInfo,
    today: date,
    topic_words: frozenset[str] = frozenset(),
) -> Statistics:
    stats = Statistics(start, end)
    lo, hi = _bounds(start, end, tz)
    in_period = and_(Case.received_at >= lo, Case.received_at < hi)

    async def grouped(column) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
        query = scoped(select(column, func.count(Case.id)), viewer).where(in_period).group_by(column)
        return sorted(((k or "（未定）", n) for k, n in await session.execute(query)), key=lambda kv: -kv[1])

    stats.by_category = await grouped(Case.category)
    stats.by_status = [
        (CaseStatus(k).label if k in CaseStatus._value2member_map_ else k, n) for k, n in await grouped(Case.status)
    ]
    names = dict((await session.execute(select(Department.id, Department.name))).all())
    stats.by_department = [(names.get(k, k), n) for k, n in await grouped(Case.department_id)]
    stats.received = sum(n for _, n in stats.by_category)

    # months: bucketed in Python from one indexed range scan of the received times
    months: Counter[str] = Counter()
    for (received,) in await session.execute(scoped(select(Case.received_at), viewer).where(in_period)):
        local = received.astimezone(tz)
        months[f"{local.year}-{local.month:02d}"] += 1
    stats.by_month = sorted(months.items())

    concluded_in = and_(Case.concluded_on >= start, Case.concluded_on <= end)
    rows = (
        await session.execute(
            scoped(select(Case.concluded_on, Case.conclude_due, Case.review_stage, Case.satisfaction), viewer).where(
                concluded_in
            )
        )
    ).all()
    stats.concluded = len(rows)
    stats.with_deadline = sum(1 for _, due, _, _ in rows if due is not None)
    stats.on_time = sum(1 for done, due, _, _ in rows if due is not None and done <= due)
    stats.first_time_resolved = sum(1 for _, _, stage, _ in rows if stage == 0)
    stats.rated = Counter(sat for _, _, _, sat in rows if sat)

    guidance_lo, guidance_hi = lo, hi
    if viewer.sees_all_cases:
        steered = await session.execute(
            select(Guidance.channel, func.count(Guidance.id))
            .where(Guidance.at >= guidance_lo, Guidance.at < guidance_hi, Guidance.channel != "petition")
            .group_by(Guidance.channel)
        )
        stats.steered = sorted(steered.all(), key=lambda kv: -kv[1])

    async def events(kind: str) -> int:
        query = (
            select(func.count(CaseEvent.id))
            .join(Case, Case.id == CaseEvent.case_id)
            .where(CaseEvent.kind == kind, CaseEvent.at >= lo, CaseEvent.at < hi)
        )
        return await session.scalar(scoped(query, viewer)) or 0

    stats.repeats = await events("repeat")
    stats.routed = await events("assigned")
    stats.extended = await events("extended")
    from .models import RoutingCorrection

    stats.rerouted = (
        await session.scalar(
            select(func.count(RoutingCorrection.id)).where(RoutingCorrection.at >= lo, RoutingCorrection.at < hi)
        )
        or 0
    )
    stats.overdue_open = (
        await session.scalar(
            scoped(select(func.count(Case.id)), viewer).where(
                Case.due_on < today,
                Case.status.in_([s.value for s in OPEN_STATUSES]),
            )
        )
        or 0
    )
    accused = await session.execute(
        scoped(select(Case.accused_department_id, func.count(Case.id)), viewer)
        .where(in_period, Case.accused_department_id.is_not(None))
        .group_by(Case.accused_department_id)
    )
    stats.most_accused = sorted(((names.get(k, k), n) for k, n in accused), key=lambda kv: -kv[1])[:10]
    stats.hot_topics = await hot_topics(session, viewer, lo, hi, topic_words)
    return stats


async def hot_topics(
    session: AsyncSession,
    viewer: Viewer,
    lo: datetime,
    hi: datetime,
    topic_words: frozenset[str] = frozenset(),
    limit: int = 10,
) -> list[tuple[str, int, list[str]]]:
    """Subjects many complaints of the period share: words of the routing vocabulary (the
    keywords that mean something in this domain — 噪音, 拆迁, 学位 — rather than 严重 or 影响),
    weighed by how unusual they are over all cases; with how many cases mention each and a few
    of their numbers. Without a vocabulary, any uncommon word of two characters or more."""
    recent = (
        await session.execute(
            scoped(select(Case.ticket, Case.search_text), viewer)
            .where(Case.received_at >= lo, Case.received_at < hi)
            .order_by(Case.id.desc())
            .limit(3000)
        )
    ).all()
    if not recent:
        return []
    background = (
        (await session.execute(scoped(select(Case.search_text), viewer).order_by(Case.id.desc()).limit(20000)))
        .scalars()
        .all()
    )
    df: Counter[str] = Counter()
    for text in background:
        df.update(set(text.split()))
    total = max(len(background), 1)
    counts: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    for ticket, text in recent:
        for word in set(text.split()):
            if word in topic_words if topic_words else len(word) >= 2 and word not in _GENERIC and not word.isdigit():
                counts[word] += 1
                examples.setdefault(word, []).append(ticket)
    scored = sorted(
        ((n * math.log(1 + total / (df[w] or 1)), w, n) for w, n in counts.items() if n >= 3),
        reverse=True,
    )
    topics: list[tuple[str, int, list[str]]] = []
    for _, word, n in scored:
        if any(word in t or t in word for t, _, _ in topics):
            continue
        topics.append((word, n, examples[word][:3]))
        if len(topics) == limit:
            break
    return topics
