"""The counts in the dashboard's navigation: new, urgent and overdue cases, unhandled alerts.

Counted at most every few seconds per scope (all cases, a department, a leader) and capped, so a
busy office with a million cases pays for four small index scans now and then, not per page.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from ..auth import Viewer
from ..errors import StoreUnavailable
from ..repo import alerts as alert_repo
from ..repo import case_list
from .context import STAFF

TTL = 15.0
CAP = 99  # shown as 99+


@dataclass(frozen=True, slots=True)
class Badges:
    new: int
    urgent: int
    overdue: int
    alerts: int

    @staticmethod
    def shown(n: int) -> str:
        return f"{CAP}+" if n > CAP else str(n)


BADGES = web.RequestKey("nav_badges", Badges)


def _scope(viewer: Viewer) -> tuple[str, ...]:
    if viewer.sees_all_cases:
        return ("all",)
    return (viewer.role, viewer.department_id or "", viewer.username)


async def nav_badges(request: web.Request, viewer: Viewer) -> Badges | None:
    """The badges for this viewer (None while the database is unavailable: the page still works)."""
    context = request.app[STAFF]
    cache = context.badge_cache
    key = _scope(viewer)
    hit = cache.get(key)
    now = time.monotonic()
    if hit and now - hit[0] < TTL:
        return hit[1]
    try:
        async with context.store.unit() as uow:
            counts = await case_list.badge_counts(uow.session, viewer, context.today(), CAP)
            alerts = await alert_repo.open_count(uow.session, CAP) if viewer.sees_all_cases else 0
    except StoreUnavailable:
        return None
    badges = Badges(counts["new"], counts["urgent"], counts["overdue"], alerts)
    if len(cache) > 1000:
        cache.clear()
    cache[key] = (now, badges)
    return badges


async def queue_counts(request: web.Request, viewer: Viewer, session: AsyncSession, today: date) -> dict[str, int]:
    """The case list's queue counts, like the badges counted at most every TTL seconds per scope
    (seven capped counts are the list page's dearest part at a million cases)."""
    cache = request.app[STAFF].badge_cache
    key = ("queues", *_scope(viewer))
    hit = cache.get(key)
    now = time.monotonic()
    if hit and now - hit[0] < TTL:
        return hit[1]
    counts = await case_list.queue_counts(session, viewer, today)
    cache[key] = (now, counts)
    return counts


def forget(request: web.Request) -> None:
    """Drop the cached counts (after an action changes them)."""
    request.app[STAFF].badge_cache.clear()
