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

from sqlalchemy import and_, case, func, literal, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from .auth import Viewer
from .models import OPEN_STATUSES, Case, CaseEvent, CaseStatus, CaseTally, Department, Guidance
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


RECENT = 3000  # the period's latest cases whose subjects make the hot topics
BACKGROUND = 5000  # latest cases the hot topics' word rarity is judged against


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


TALLY_ZONE = "Asia/Shanghai"  # the zone migration 0009's triggers count months in


def _whole_months(start: date, end: date) -> tuple[date, date] | None:
    """The first and last day of the whole calendar months inside [start, end], if any."""
    first = start if start.day == 1 else (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    after = end + timedelta(days=1)
    last = (after if after.day == 1 else after.replace(day=1)) - timedelta(days=1)
    return (first, last) if first <= last else None


async def _tallied(session: AsyncSession, viewer: Viewer, first: date, last: date) -> list[tuple]:
    """Groups like the cases' own (category, status, department, accused, month, count) from the tallies."""
    query = select(
        CaseTally.category,
        CaseTally.status,
        CaseTally.department_id,
        CaseTally.accused_department_id,
        CaseTally.month,
        func.sum(CaseTally.n),
    ).where(CaseTally.month >= f"{first:%Y-%m}", CaseTally.month <= f"{last:%Y-%m}", CaseTally.n != 0)
    if not viewer.sees_all_cases:  # an officer: its department's (as `scoped` does for the cases)
        query = query.where(CaseTally.department_id == (viewer.department_id or "\0"))
    query = query.group_by(*query.selected_columns[:5])
    return [
        (category or None, status or None, department or None, accused or None, month, int(n))
        for category, status, department, accused, month, n in await session.execute(query)
    ]


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
    postgres = session.bind.dialect.name == "postgresql"
    if postgres:  # a year's breakdowns hash in memory, and these short scans gain nothing from JIT
        await session.execute(text("SET LOCAL work_mem = '64MB'"))
        await session.execute(text("SET LOCAL jit = off"))
    in_period = and_(Case.received_at >= lo, Case.received_at < hi)
    names = dict((await session.execute(select(Department.id, Department.name))).all())

    # one pass over the period's cases, grouped by every breakdown at once (a few hundred groups,
    # not a row per case): category, status, department, accused department and — on PostgreSQL,
    # in the database — the local month
    month = func.to_char(func.timezone(str(tz), Case.received_at), "YYYY-MM") if postgres else literal(None)
    keys = (Case.category, Case.status, Case.department_id, Case.accused_department_id, month)
    groups: list = []
    whole = _whole_months(start, end) if postgres and str(tz) == TALLY_ZONE and not viewer.is_leader else None
    if whole:  # the whole months from the tallies the triggers keep; only the edges from the cases
        groups += await _tallied(session, viewer, whole[0], whole[1])
        first, last = _bounds(whole[0], whole[1], tz)
        in_period = or_(
            and_(Case.received_at >= lo, Case.received_at < first),
            and_(Case.received_at >= last, Case.received_at < hi),
        )
    groups += (
        await session.execute(scoped(select(*keys, func.count()), viewer).where(in_period).group_by(*keys))
    ).all()
    by: list[Counter] = [Counter() for _ in keys]
    for *values, n in groups:
        for counter, value in zip(by, values, strict=True):
            counter[value] += n
    categories, statuses, departments, accused, months = by

    def ranked(counter: Counter, label=lambda k: k or "（未定）") -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
        return sorted(((label(k), n) for k, n in counter.items()), key=lambda kv: -kv[1])

    stats.by_category = ranked(categories)
    stats.by_status = ranked(
        statuses, lambda k: CaseStatus(k).label if k in CaseStatus._value2member_map_ else k or "（未定）"
    )
    stats.by_department = ranked(departments, lambda k: names.get(k, k) if k else "（未定）")
    stats.received = sum(categories.values())
    stats.most_accused = [(names.get(k, k), n) for k, n in ranked(Counter({k: n for k, n in accused.items() if k}))][
        :10
    ]
    if not postgres:  # SQLite (one small office): the local month in Python, from the received times
        months = Counter()
        for (received,) in await session.execute(scoped(select(Case.received_at), viewer).where(in_period)):
            local = received.astimezone(tz)
            months[f"{local.year}-{local.month:02d}"] += 1
    stats.by_month = sorted(months.items())

    # conclusions of the period, counted in the database (indexed by concluded_on)
    on_time = case((and_(Case.conclude_due.is_not(None), Case.concluded_on <= Case.conclude_due), 1), else_=0)
    first_time = case((Case.review_stage == 0, 1), else_=0)
    concluded = await session.execute(
        scoped(
            select(
                Case.satisfaction,
                func.count(),  # count(*), not count(id): the concluded_on index holds all it needs
                func.count(Case.conclude_due),
                func.sum(on_time),
                func.sum(first_time),
            ),
            viewer,
        )
        .where(Case.concluded_on >= start, Case.concluded_on <= end)
        .group_by(Case.satisfaction)
    )
    for satisfaction, n, with_deadline, in_time, first in concluded:
        stats.concluded += n
        stats.with_deadline += with_deadline
        stats.on_time += int(in_time or 0)
        stats.first_time_resolved += int(first or 0)
        if satisfaction:
            stats.rated[satisfaction] += n

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
        await session.scalar(  # count(*): read from the (due_on, status) index alone
            scoped(select(func.count()).select_from(Case), viewer).where(
                Case.due_on < today,
                Case.status.in_([s.value for s in OPEN_STATUSES]),
            )
        )
        or 0
    )
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
    """Subjects many complaints of the period share: the routing keywords each case was sent on
    (the words that mean something in this domain — 噪音, 拆迁, 学位 — rather than 严重 or 影响;
    only the strong ones when `topic_words` names them), weighed by how unusual they are over all
    cases; with how many cases mention each and a few of their numbers. Each case stores its
    handful of keywords when filed, so this reads a few words per case, not its text."""
    recent = (
        await session.execute(
            scoped(select(Case.ticket, Case.routing_keywords), viewer)
            .where(Case.received_at >= lo, Case.received_at < hi)
            .order_by(Case.id.desc())
            .limit(RECENT)
        )
    ).all()
    if not recent:
        return []

    def topical(words: list[str] | None) -> set[str]:
        return {
            w
            for w in words or ()
            if isinstance(w, str) and (w in topic_words if topic_words else len(w) >= 2 and w not in _GENERIC)
        }

    counts: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    for ticket, words in recent:
        for word in topical(words):
            counts[word] += 1
            examples.setdefault(word, []).append(ticket)
    # how common a word is overall, from the latest cases (the weights only order the topics)
    background = (
        (
            await session.execute(
                scoped(select(Case.routing_keywords), viewer).order_by(Case.id.desc()).limit(BACKGROUND)
            )
        )
        .scalars()
        .all()
    )
    df: Counter[str] = Counter()
    for words in background:
        df.update(topical(words))
    total = max(len(background), 1)
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
