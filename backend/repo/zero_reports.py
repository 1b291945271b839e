"""敏感节点「零报告」: sensitive periods set by an admin, and each department's daily report in
them — nothing to report (零报告) or the incidents it saw; the 信访部门 sees who has not filed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import Invalid
from ..models import Department, SensitivePeriod, ZeroReport, utcnow

MAX_INCIDENTS = 50


async def add_period(session: AsyncSession, name: str, start: date | None, end: date | None, by: str) -> None:
    name = name.strip()
    if not name or len(name) > 64:
        raise Invalid("请填写敏感节点名称（不超过 64 字）")
    if start is None or end is None or end < start or (end - start).days > 366:
        raise Invalid("请填写起止日期（止不早于起，且不超过一年）")
    session.add(SensitivePeriod(name=name, start_on=start, end_on=end, created_by=by))
    await session.flush()


async def periods(session: AsyncSession, since: date) -> Sequence[SensitivePeriod]:
    query = select(SensitivePeriod).where(SensitivePeriod.end_on >= since).order_by(SensitivePeriod.start_on)
    return (await session.scalars(query)).all()


async def period_of(session: AsyncSession, day: date) -> SensitivePeriod | None:
    return await session.scalar(
        select(SensitivePeriod)
        .where(SensitivePeriod.start_on <= day, SensitivePeriod.end_on >= day)
        .order_by(SensitivePeriod.start_on)
        .limit(1)
    )


def clean_incidents(raw: Any) -> list[dict[str, str]]:
    """The incidents as filed: a list of objects, each with a summary (other fields kept as text)."""
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > MAX_INCIDENTS:
        raise Invalid(f"incidents 应为不超过 {MAX_INCIDENTS} 项的列表；没有情况时为空列表（零报告）")
    incidents = []
    for item in raw:
        if not isinstance(item, dict) or not str(item.get("summary", "")).strip():
            raise Invalid("每项情况都需要 summary（简要情况）")
        incidents.append({str(k)[:32]: str(v).strip()[:1000] for k, v in item.items() if v is not None})
    return incidents


async def submit(
    session: AsyncSession, day: date, department_id: str, incidents: list[dict[str, str]], by: str
) -> tuple[ZeroReport, bool]:
    """File (or correct) a department's report for a day; True when it is the first for that day."""
    department = await session.get(Department, department_id)
    if department is None or not department.active:
        raise Invalid(f"没有这个部门：{department_id}")
    report = await session.scalar(
        select(ZeroReport).where(ZeroReport.day == day, ZeroReport.department_id == department_id)
    )
    created = report is None
    if report is None:
        report = ZeroReport(day=day, department_id=department_id, incidents=incidents, submitted_by=by)
        session.add(report)
    else:
        report.incidents, report.submitted_by, report.submitted_at = incidents, by, utcnow()
    await session.flush()
    return report, created


async def of_day(session: AsyncSession, day: date) -> tuple[Sequence[ZeroReport], list[tuple[str, str]]]:
    """(the day's reports, the (id, name) of every active department that has not filed)."""
    reports = (
        await session.scalars(select(ZeroReport).where(ZeroReport.day == day).order_by(ZeroReport.department_id))
    ).all()
    filed = {r.department_id for r in reports}
    departments = (
        await session.execute(select(Department.id, Department.name).where(Department.active).order_by(Department.id))
    ).all()
    return reports, [(d, name) for d, name in departments if d not in filed]


async def history(session: AsyncSession, department_id: str, since: date, until: date) -> Sequence[ZeroReport]:
    """A department's reports between two days (inclusive), newest first (at most a year's)."""
    query = (
        select(ZeroReport)
        .where(ZeroReport.department_id == department_id, ZeroReport.day >= since, ZeroReport.day <= until)
        .order_by(ZeroReport.day.desc())
        .limit(LATE_DAYS_SHOWN)
    )
    return (await session.scalars(query)).all()


LATE_DAYS_SHOWN = 400
