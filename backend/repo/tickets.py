"""受理编号 XF-YYYYMMDD-NNNN: the day's sequence, taken atomically.

One row per day holds the last number used. `INSERT … ON CONFLICT DO UPDATE … RETURNING` takes
the next number in a single statement; on PostgreSQL the row lock serialises concurrent
filings (the second waits for the first's commit), on SQLite the write lock does — either way
no two cases get the same number, and a rolled-back filing gives its number back.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import TicketCounter

MAX_PER_DAY = 9999


def format_ticket(day: date, sequence: int) -> str:
    return f"XF-{day:%Y%m%d}-{sequence:04d}"


def _upsert(insert):  # type: ignore[no-untyped-def]
    return (
        insert(TicketCounter)
        .values(day=bindparam("day"), last=1)
        .on_conflict_do_update(index_elements=[TicketCounter.day], set_={"last": TicketCounter.last + 1})
        .returning(TicketCounter.last)
    )


_NEXT = {"postgresql": _upsert(postgresql.insert), "sqlite": _upsert(sqlite.insert)}


async def next_ticket(session: AsyncSession, day: date) -> str:
    key = f"{day:%Y%m%d}"
    sequence = (await session.execute(_NEXT[session.bind.dialect.name], {"day": key})).scalar_one()
    if sequence > MAX_PER_DAY:
        # NNNN has four digits; a busier office needs a wider format, not a silent collision
        raise OverflowError(f"more than {MAX_PER_DAY} cases on {key}")
    return format_ticket(day, sequence)
