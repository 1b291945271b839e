"""Finding cases for staff: the queues, filters and full-text search, scoped by role.

Index-backed: status/department/category/due date each have an index, search uses a GIN index
on PostgreSQL (over a stored tsvector of the jieba words of each case, read by the 'simple'
parser), and
related rows are loaded in one extra query per page (no N+1).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, func, literal_column, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from knowledge.periods import add_working_days

from ..auth import Viewer
from ..errors import NotFound
from ..models import OPEN_STATUSES, Case, CaseAssist, CaseStatus

QUEUES = {
    "all": "全部",
    "triage": "待分办",
    "new": "新件",
    "due_soon": "即将超期",
    "overdue": "已超期（督办）",
    "urgent": "紧急",
    "supervised": "督办中",
    "backlog": "积案",
}
_OPEN = [s.value for s in OPEN_STATUSES]
COUNT_CAP = 10_000  # counts beyond this are shown as "10000+", and pages end there
TRUST_ESTIMATE = 3  # the planner expects this many times the cap: "more than the cap", uncounted
_PLAIN = (str, int, float, date, datetime)  # parameter values asyncpg takes as they are (bool is an int)
BACKLOG_REOPENED = 2
_TICKET = re.compile(r"^XF-\d{8}-\d{4}$", re.IGNORECASE)
_TICKET_PREFIX = re.compile(r"^XF-?\d{0,8}(-\d{0,4})?$", re.IGNORECASE)
_DIGITS = re.compile(r"^\d{4,11}$")
_NAME = re.compile(r"^[\u4e00-\u9fa5·]{1,4}$")
# the list's sortable columns (each has a (column, id) index); "-" in front: descending
SORTS = {
    "ticket": Case.ticket,
    "received": Case.received_at,
    "status": Case.status,
    "category": Case.category,
    "department": Case.department_id,
    "due": Case.due_on,
    "assignee": Case.assignee,
}


@dataclass
class CaseFilter:
    queue: str = "all"
    status: str | None = None
    category: str | None = None
    department: str | None = None
    kind: str | None = None
    assignee: str | None = None  # a username (the API's ?assignee=me is resolved to the caller's)
    words: list[str] = field(default_factory=list)  # jieba words of the search box
    text: str = ""  # the search box as typed (a 受理编号 is matched exactly)
    received_from: date | None = None
    received_to: date | None = None
    page: int = 1
    per_page: int = 50
    sort: str = ""  # a key of SORTS, "-" first for descending; "" is newest first
    name_match: bool = False  # the search box is (the beginning of) some petitioner's name
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))

    def query_string(self, **override: Any) -> str:
        from urllib.parse import urlencode

        return urlencode(self.params(**override))

    def params(self, **override: Any) -> dict[str, Any]:
        """The filter as query parameters (the ones left at their defaults omitted)."""
        values = {
            "queue": self.queue,
            "status": self.status,
            "category": self.category,
            "department": self.department,
            "kind": self.kind,
            "assignee": self.assignee,
            "q": self.text,
            "from": self.received_from,
            "to": self.received_to,
            "sort": self.sort,
            "page": self.page,
        }
        values.update(override)
        return {k: v for k, v in values.items() if v not in (None, "", "all") or (k == "page" and v is not None)}


def scoped(query: Select, viewer: Viewer, extra: Sequence[int] = ()) -> Select:
    """What Viewer.can_see allows, as a condition: coordinators everything, a leader the cases it
    leads, an officer its department's — plus `extra`, the few others it may see (those its
    department assists in, 协办, and those assigned to it: see `officer_extra`). Kept apart so the
    common case stays one indexed equality, not an OR the planner cannot walk in id order."""
    if viewer.sees_all_cases:
        return query
    if viewer.is_leader:
        return query.where(Case.leader == viewer.username)
    department = Case.department_id == (viewer.department_id or "\0")
    return query.where(or_(department, Case.id.in_(extra)) if extra else department)


async def officer_extra(session: AsyncSession, viewer: Viewer, limit: int = 2000) -> list[int]:
    """The cases outside its department an officer may see: its department assists (协办), or
    they are assigned to it personally. Few; each found by its own index."""
    if viewer.sees_all_cases or viewer.is_leader:
        return []
    department = viewer.department_id or "\0"
    assisted = select(CaseAssist.case_id).where(CaseAssist.department_id == department).limit(limit)
    assigned = (
        select(Case.id)
        .where(Case.assignee == viewer.username, or_(Case.department_id.is_(None), Case.department_id != department))
        .limit(limit)
    )
    ids = set((await session.scalars(assisted)).all()) | set((await session.scalars(assigned)).all())
    return sorted(ids)[:limit]


def identity_shown(viewer: Viewer) -> list[Any]:
    """Viewer.sees_identity as conditions: no case that accuses the viewer's department, and no
    report unless the viewer may see who made reports (administrators, the 纪检监察 body)."""
    shown: list[Any] = []
    if viewer.department_id is not None:
        shown.append(or_(Case.accused_department_id.is_(None), Case.accused_department_id != viewer.department_id))
    if not (viewer.is_admin or viewer.handles_reports):
        shown.append(Case.kind != "report")
    return shown


def _conditions(f: CaseFilter, today: date, dialect: str, viewer: Viewer | None = None) -> list[Any]:
    where: list[Any] = []
    if f.queue == "triage":
        where += [Case.needs_triage.is_(True), Case.status.in_(_OPEN)]
    elif f.queue == "new":
        where += [Case.status == CaseStatus.REGISTERED.value, Case.needs_triage.is_(False)]
    elif f.queue == "due_soon":
        where += [Case.due_on >= today, Case.due_on <= add_working_days(today, 3), Case.status.in_(_OPEN)]
    elif f.queue == "overdue":
        where += [Case.due_on < today, Case.status.in_(_OPEN)]
    elif f.queue == "urgent":
        where += [Case.urgent.is_(True), Case.status.in_(_OPEN)]
    elif f.queue == "backlog":  # open past the deadline, or reopened (复查、复核) twice
        where += [Case.status.in_(_OPEN), or_(Case.due_on < today, Case.reopen_count >= BACKLOG_REOPENED)]
    elif f.queue == "supervised":
        where += [Case.supervise_due.is_not(None), Case.status.in_(_OPEN)]
    if f.status:
        where.append(Case.status == f.status)
    if f.category:
        where.append(Case.category == f.category)
    if f.department:
        where.append(Case.department_id == f.department)
    if f.kind:
        where.append(Case.kind == f.kind)
    if f.assignee:
        where.append(Case.assignee == f.assignee)
    if f.received_from:
        where.append(Case.received_at >= datetime.combine(f.received_from, time.min, f.timezone))
    if f.received_to:
        where.append(Case.received_at < datetime.combine(f.received_to + timedelta(days=1), time.min, f.timezone))
    where += _search(f, dialect, viewer)
    return where


def _search(f: CaseFilter, dialect: str, viewer: Viewer | None) -> list[Any]:
    """The search box: a 受理编号 (or its beginning), a phone's last digits, a name, or words."""
    text = f.text.strip()
    if not text:
        return []
    if _TICKET.match(text):
        return [Case.ticket == text.upper()]
    if _TICKET_PREFIX.match(text) and len(text) >= 4:
        prefix = text.upper() if "-" in text[:3] else f"XF-{text[2:]}"
        return [Case.ticket.like(f"{prefix}%")]
    # a name or a phone points at a person: not where 条例第三十条 hides who they are from this viewer
    shielded = identity_shown(viewer) if viewer is not None else []
    if _DIGITS.match(text):
        match = [Case.phone_tail == text[-4:]]
        if len(text) > 4:
            match.append(Case.phone.like(f"%{text}"))
        return [*match, *shielded]
    words = _words(f, dialect)
    if f.name_match:
        by_name = and_(Case.name.like(f"{text}%"), *shielded)
        return [or_(by_name, and_(*words))] if words else [by_name]
    return words


def _words(f: CaseFilter, dialect: str) -> list[Any]:
    if not f.words:
        return []
    if dialect == "postgresql":
        query = " & ".join(w.replace("'", "''").replace("&", "").replace("|", "").replace("!", "") for w in f.words)
        # the stored tsvector (PostgreSQL only, migration 0008), read through its GIN index
        return [literal_column("cases.search_vector").op("@@")(func.to_tsquery("simple", query))]
    return [Case.search_text.like(f"%{w}%") for w in f.words]


def _order(f: CaseFilter, dialect: str) -> list[Any]:
    key = f.sort.lstrip("-")
    column = SORTS.get(key)
    if column is None and (f.received_from or f.received_to):
        # newest first within a date range: by the (received_at, id) index the range is read from,
        # not by walking every later case's id backwards to reach the range
        return [Case.received_at.desc(), Case.id.desc()]
    if column is None:
        return [Case.id.desc()]
    descending = f.sort.startswith("-")
    ordered = column.desc() if descending else column.asc()
    if key == "due" and not descending and dialect == "sqlite":
        ordered = ordered.nulls_last()  # as PostgreSQL does by itself (and its index with it)
    return [ordered, Case.id.desc() if descending else Case.id.asc()]


def _live_first(f: CaseFilter) -> bool:
    """The default order (no sort chosen, no date range): cases with a deadline running first."""
    return not f.sort and not (f.received_from or f.received_to)


async def _live_first_page(session: AsyncSession, base: Select, f: CaseFilter, total: int, cap: int) -> list[Case]:
    """Live cases (登记 … 办理中, 复查, 复核) nearest deadline first, then the rest (concluded,
    archived, demo history) newest first — two ordered reads, each along its own index, so that
    historic cases loaded later never bury the ones with a deadline running."""
    live = Case.status.in_(_OPEN)
    start = (f.page - 1) * f.per_page
    live_total = await capped_count(session, base.where(live), cap) if start or total else 0
    ids: list[int] = []
    if start < live_total:
        due = Case.due_on.asc().nulls_last() if session.bind.dialect.name == "sqlite" else Case.due_on.asc()
        query = base.where(live).order_by(due, Case.id.desc()).limit(f.per_page).offset(start)
        ids += (await session.scalars(query)).all()
    if len(ids) < f.per_page:
        rest = base.where(~live).order_by(Case.id.desc())
        rest = rest.limit(f.per_page - len(ids)).offset(max(0, start - live_total))
        ids += (await session.scalars(rest)).all()
    if not ids:
        return []
    rows = {
        c.id: c
        for c in (
            await session.scalars(select(Case).where(Case.id.in_(ids)).options(selectinload(Case.department)))
        ).all()
    }
    return [rows[i] for i in ids if i in rows]


async def _someone_named(session: AsyncSession, prefix: str) -> bool:
    return await session.scalar(select(Case.id).where(Case.name.like(f"{prefix}%")).limit(1)) is not None


async def list_cases(
    session: AsyncSession, viewer: Viewer, f: CaseFilter, today: date, cap: int = COUNT_CAP
) -> tuple[list[Case], int]:
    """A page of the list, and how many there are — counted up to COUNT_CAP only: beyond it the
    count says "10000+" and the pages stop (narrow the filter), so no request walks a million rows."""
    dialect = session.bind.dialect.name
    # a short Chinese text may be a name or a word: look for the name only if someone has it
    # (one indexed probe), so searching 「噪音」 stays a pure full-text search
    f.name_match = bool(_NAME.match(f.text.strip())) and await _someone_named(session, f.text.strip())
    where = _conditions(f, today, dialect, viewer)
    extra = await officer_extra(session, viewer)
    base = scoped(select(Case.id), viewer, extra)
    if where:
        base = base.where(and_(*where))
    total = await capped_count(session, base, cap)
    last_page = max(1, -(-min(total, cap) // f.per_page))
    f.page = min(max(f.page, 1), last_page)
    if _live_first(f):
        return await _live_first_page(session, base, f, total, cap), total
    order = _order(f, dialect)
    page = base
    if dialect == "postgresql" and f.words and total <= cap:
        # few matches, scattered: read them from the GIN index first, then order them (walking
        # the table in order would visit every newer case to find them)
        matches = base.cte("matches").prefix_with("MATERIALIZED")
        page = select(Case.id).where(Case.id.in_(select(matches.c.id)))
    page_ids = (await session.scalars(page.order_by(*order).limit(f.per_page).offset((f.page - 1) * f.per_page))).all()
    if not page_ids:
        return [], total
    rows = (
        await session.scalars(
            select(Case).where(Case.id.in_(page_ids)).options(selectinload(Case.department)).order_by(*order)
        )
    ).all()
    return list(rows), total


async def capped_count(session: AsyncSession, query: Select, cap: int) -> int:
    """How many rows the query has, counting no further than cap + 1 (a million-row queue is
    "10000+", and counting it costs what counting 10,001 costs). On PostgreSQL a query the planner
    expects to match far more than `cap` rows is not counted at all: it is "more than cap"."""
    if cap > 0 and await estimated_rows(session, query) >= TRUST_ESTIMATE * cap:
        return cap + 1
    return await session.scalar(select(func.count()).select_from(query.limit(cap + 1).subquery())) or 0


async def estimated_rows(session: AsyncSession, query: Select) -> float:
    """The planner's estimate of the query's rows (PostgreSQL; elsewhere 0: count them). The
    values stay bound parameters (EXPLAIN of the same statement, on the same connection)."""
    if session.bind.dialect.name != "postgresql":
        return 0.0
    compiled = query.compile(dialect=session.bind.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    values = [params[name] for name in compiled.positiontup or ()]
    if not all(v is None or isinstance(v, _PLAIN) for v in values):
        return 0.0  # a value asyncpg might refuse: count instead (a failed EXPLAIN would abort the transaction)
    raw = (await (await session.connection()).get_raw_connection()).driver_connection
    plan = await raw.fetchval(f"EXPLAIN (FORMAT JSON) {compiled.string}", *values)
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return float(plan[0]["Plan"]["Plan Rows"])


async def queue_counts(session: AsyncSession, viewer: Viewer, today: date, cap: int = COUNT_CAP) -> dict[str, int]:
    counts = {}
    extra = await officer_extra(session, viewer)
    for queue in QUEUES:
        if queue == "all":
            continue
        where = _conditions(CaseFilter(queue=queue), today, session.bind.dialect.name)
        counts[queue] = await capped_count(session, scoped(select(Case.id), viewer, extra).where(and_(*where)), cap)
    return counts


async def badge_counts(session: AsyncSession, viewer: Viewer, today: date, cap: int) -> dict[str, int]:
    """The navigation's badges: new (待分办 and 新件), urgent and overdue, each capped."""
    dialect = session.bind.dialect.name
    counts = {}
    extra = await officer_extra(session, viewer)
    for badge, queues in (("new", ("triage", "new")), ("urgent", ("urgent",)), ("overdue", ("overdue",))):
        counts[badge] = 0
        for queue in queues:
            where = _conditions(CaseFilter(queue=queue), today, dialect)
            query = scoped(select(Case.id), viewer, extra).where(and_(*where))
            counts[badge] += await capped_count(session, query, cap)
    return counts


async def case_for(session: AsyncSession, viewer: Viewer, ticket: str) -> Case:
    """The case if this staff member may see it; NotFound otherwise (an officer gets 404 for
    another department's case, exactly as for a number that does not exist)."""
    case = await session.scalar(
        select(Case)
        .where(Case.ticket == ticket.upper())
        .options(selectinload(Case.department), selectinload(Case.events))
    )
    if case is None or not viewer.can_see(case):
        raise NotFound(ticket)
    return case


async def ids_of(session: AsyncSession, tickets: list[str]) -> list[int]:
    if not tickets:
        return []
    return list((await session.scalars(select(Case.id).where(Case.ticket.in_(tickets)))).all())


async def led_cases(session: AsyncSession, viewer: Viewer, limit: int = 500) -> list[Case]:
    """The 包案 ledger: cases with a leader, by leader, newest first (a leader sees its own)."""
    query = (
        scoped(select(Case), viewer, await officer_extra(session, viewer))
        .where(Case.leader.is_not(None))
        .options(selectinload(Case.department))
        .order_by(Case.leader, Case.id.desc())
        .limit(limit)
    )
    return list((await session.scalars(query)).all())
