"""What the dashboard's pages and the staff API share: reading the list's filters and a period
from the query string, and the words used where an identity is withheld."""

from __future__ import annotations

import re
from datetime import date, timedelta

from aiohttp import web

from ..repo.case_list import QUEUES, SORTS, CaseFilter
from .context import STAFF
from .security import VIEWER

# ── 用户可见文字 ──────────────────────────────────────────────────────────────
HIDDEN = "（依条例第三十条不予显示）"
KINDS = {"complaint": "投诉请求", "report": "检举控告", "suggestion": "建议意见"}
# ─────────────────────────────────────────────────────────────────────────────


def date_param(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def case_filter(request: web.Request) -> CaseFilter:
    q = request.query
    context = request.app[STAFF]
    text = q.get("q", "").strip()[:100]
    try:
        page = max(1, min(int(q.get("page", "1")), 10_000))
    except ValueError:
        page = 1
    queue = q.get("queue", "all")
    sort = q.get("sort", "")
    return CaseFilter(
        queue=queue if queue in QUEUES else "all",
        status=q.get("status") or None,
        category=q.get("category") or None,
        department=q.get("department") or None,
        kind=q.get("kind") or None,
        assignee=_assignee(request),
        text=text,
        words=context.words(text) if text else [],
        received_from=date_param(q.get("from")),
        received_to=date_param(q.get("to")),
        page=page,
        sort=sort if sort.lstrip("-") in SORTS else "",
        timezone=context.timezone,
    )


def _assignee(request: web.Request) -> str | None:
    value = request.query.get("assignee", "").strip()[:64]
    if value == "me":
        return request[VIEWER].username
    return value or None


def month_bounds(month: str | None) -> tuple[date, date] | None:
    """The first and last day of a `YYYY-MM` month; None when it is not one."""
    if not month or not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        return None
    year, m = map(int, month.split("-"))
    start = date(year, m, 1)
    return start, date(year + (m == 12), m % 12 + 1, 1) - timedelta(days=1)


def period(request: web.Request, today: date) -> tuple[date, date]:
    """?month=YYYY-MM, or ?from=&to= (either end defaulting to this month so far)."""
    bounds = month_bounds(request.query.get("month"))
    if bounds:
        return bounds
    start = date_param(request.query.get("from")) or today.replace(day=1)
    end = date_param(request.query.get("to")) or today
    return (start, end) if start <= end else (end, start)
