"""督查通报: each department's month — received, concluded, overdue, on-time, satisfaction,
一次性化解 — ranked, for the 信访部门 to print and circulate.

Definitions (stated on the printed page too):
- received: cases received in the month now with the department;
- concluded: cases the department concluded in the month;
- overdue: of those, the ones concluded after their deadline, plus the department's cases still
  open whose deadline passed before the month's end (or today, for the current month);
- on-time rate: concluded by the deadline / concluded with a known deadline;
- satisfaction rate: 满意 + 基本满意 / rated, with the number of ratings next to it;
- 一次性化解率: concluded without 复查 or 复核 being asked / concluded;
- rank: departments with cases first, by the mean of their rates (a rate with nothing behind it
  does not count), then fewer overdue, then more concluded.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import OPEN_STATUSES, Case, Department

SATISFIED = ("满意", "基本满意")


@dataclass
class DepartmentMonth:
    department: str
    name: str
    received: int = 0
    concluded: int = 0
    overdue: int = 0
    on_time: int = 0
    with_deadline: int = 0
    rated: int = 0
    satisfied: int = 0
    one_time: int = 0
    rank: int = 0

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(part / whole, 4) if whole else None

    @property
    def on_time_rate(self) -> float | None:
        return self._rate(self.on_time, self.with_deadline)

    @property
    def satisfaction_rate(self) -> float | None:
        return self._rate(self.satisfied, self.rated)

    @property
    def one_time_rate(self) -> float | None:
        return self._rate(self.one_time, self.concluded)

    @property
    def active(self) -> bool:
        return bool(self.received or self.concluded or self.overdue)

    def score(self) -> float:
        rates = [r for r in (self.on_time_rate, self.satisfaction_rate, self.one_time_rate) if r is not None]
        return sum(rates) / len(rates) if rates else 0.0

    def as_json(self) -> dict:
        return {
            **{k: v for k, v in asdict(self).items() if k not in ("on_time", "with_deadline", "satisfied", "one_time")},
            "on_time_rate": self.on_time_rate,
            "satisfaction_rate": self.satisfaction_rate,
            "satisfaction_count": self.rated,
            "one_time_rate": self.one_time_rate,
            "on_time": self.on_time,
            "one_time": self.one_time,
        }


async def month(session: AsyncSession, start: date, end: date, today: date, tz: ZoneInfo) -> list[DepartmentMonth]:
    departments = (await session.execute(select(Department.id, Department.name).where(Department.active))).all()
    rows = {d: DepartmentMonth(d, name) for d, name in departments}

    def row(department_id: str | None) -> DepartmentMonth | None:
        return rows.get(department_id) if department_id else None

    lo = datetime.combine(start, time.min, tz)
    hi = datetime.combine(end + timedelta(days=1), time.min, tz)
    received = await session.execute(
        select(Case.department_id, func.count(Case.id))
        .where(Case.received_at >= lo, Case.received_at < hi)
        .group_by(Case.department_id)
    )
    for department_id, n in received:
        if r := row(department_id):
            r.received = n
    concluded = await session.execute(
        select(
            Case.department_id,
            Case.concluded_on,
            Case.conclude_due,
            Case.satisfaction,
            Case.review_stage,
            Case.reopen_count,
        ).where(Case.concluded_on >= start, Case.concluded_on <= end)
    )
    for department_id, done, due, satisfaction, stage, reopened in concluded:
        r = row(department_id)
        if r is None:
            continue
        r.concluded += 1
        if due is not None:
            r.with_deadline += 1
            if done <= due:
                r.on_time += 1
            else:
                r.overdue += 1
        if satisfaction:
            r.rated += 1
            r.satisfied += satisfaction in SATISFIED
        if stage == 0 and not reopened:
            r.one_time += 1
    cutoff = min(end, today)
    still_open = await session.execute(  # count(*): from the (due_on, status) index alone
        select(Case.department_id, func.count())
        .where(
            and_(
                Case.status.in_([s.value for s in OPEN_STATUSES]),
                Case.due_on < cutoff,
                Case.received_at < hi,
            )
        )
        .group_by(Case.department_id)
    )
    for department_id, n in still_open:
        if r := row(department_id):
            r.overdue += n
    ranked = sorted(rows.values(), key=lambda r: (not r.active, -r.score(), r.overdue, -r.concluded, r.department))
    for i, r in enumerate(ranked, 1):
        r.rank = i
    return ranked


def totals(rows: list[DepartmentMonth]) -> DepartmentMonth:
    total = DepartmentMonth("", "合计")
    for r in rows:
        for name in ("received", "concluded", "overdue", "on_time", "with_deadline", "rated", "satisfied", "one_time"):
            setattr(total, name, getattr(total, name) + getattr(r, name))
    return total
