"""The year's statistics on PostgreSQL read monthly tallies that triggers keep (migration 0009):
after filings, status changes, transfers, deletes and a truncate, the tallies say what counting
the cases says, and statistics over whole months and ragged edges agree with a direct count."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, func, select, text, update

from backend.auth import Viewer
from backend.models import Case, CaseEvent, CaseStatus, CaseTally
from backend.stats import statistics
from tests.auxil.cases import a_case, a_citizen

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
TZ = ZoneInfo("Asia/Shanghai")
COORDINATOR = Viewer(1, "disp", "调度员", "dispatcher", None)
OFFICER = Viewer(2, "off", "城管承办", "officer", "chengguanju")


async def tallies(store) -> Counter:  # type: ignore[no-untyped-def]
    async with store.unit() as uow:
        rows = await uow.session.execute(
            select(CaseTally.month, CaseTally.status, CaseTally.department_id, CaseTally.n)
        )
        return Counter({(m, s, d): n for m, s, d, n in rows if n})


async def counted(store) -> Counter:  # type: ignore[no-untyped-def]
    async with store.unit() as uow:
        month = func.to_char(func.timezone("Asia/Shanghai", Case.received_at), "YYYY-MM")
        keys = (month, Case.status, func.coalesce(Case.department_id, ""))
        rows = await uow.session.execute(select(*keys, func.count()).group_by(*keys))
        return Counter({(m, s, d): n for m, s, d, n in rows})


async def test_tallies_follow_every_change_and_statistics_agree(store) -> None:  # type: ignore[no-untyped-def]
    citizen = await a_citizen(store)
    # 2026-01-31 20:00 UTC is already February in China: the month is the local one
    times = [
        datetime(2026, m, d, h, tzinfo=UTC) for m, d, h in ((1, 5, 2), (1, 31, 20), (2, 10, 3), (3, 1, 1), (3, 15, 9))
    ]
    tickets = []
    for i, received in enumerate(times * 2):
        department = "chengguanju" if i % 2 else "jiaoyuju"
        result = await a_case(store, citizen, department=department, received_at=received)
        tickets.append(result.case.ticket)
    assert await tallies(store) == await counted(store)
    async with store.unit() as uow:
        await uow.session.execute(update(Case).where(Case.ticket.in_(tickets[:4])).values(status="concluded"))
        await uow.session.execute(update(Case).where(Case.ticket == tickets[5]).values(department_id=None))
        await uow.session.execute(update(Case).where(Case.ticket == tickets[6]).values(summary="只改标题"))
        gone = await uow.session.scalar(select(Case.id).where(Case.ticket == tickets[7]))
        await uow.session.execute(delete(CaseEvent).where(CaseEvent.case_id == gone))
        await uow.session.execute(delete(Case).where(Case.id == gone))
    assert await tallies(store) == await counted(store)

    async with store.unit() as uow:
        for start, end in ((date(2026, 1, 1), date(2026, 3, 31)), (date(2026, 1, 20), date(2026, 3, 10))):
            for viewer in (COORDINATOR, OFFICER):
                stats = await statistics(uow.session, viewer, start, end, TZ, date(2026, 11, 25))
                lo = datetime(start.year, start.month, start.day, tzinfo=TZ)
                hi = datetime(end.year, end.month, end.day, tzinfo=TZ).replace(hour=23, minute=59, second=59)
                query = select(Case.status, func.count()).where(Case.received_at >= lo, Case.received_at <= hi)
                if viewer is OFFICER:
                    query = query.where(Case.department_id == "chengguanju")
                expected = dict((await uow.session.execute(query.group_by(Case.status))).all())
                assert stats.received == sum(expected.values())
                assert dict(stats.by_status) == {CaseStatus(k).label: n for k, n in expected.items()}
                assert sum(n for _, n in stats.by_month) == stats.received

    async with store.unit() as uow:
        await uow.session.execute(text("TRUNCATE cases CASCADE"))
    assert await tallies(store) == Counter()
