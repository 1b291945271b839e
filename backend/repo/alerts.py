"""Urgent alerts (条例第二十五条): words of self-harm, violence or a gathering, for staff to act on."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Case, UrgentAlert, utcnow


async def recent(session: AsyncSession, limit: int = 200) -> Sequence[UrgentAlert]:
    """Open alerts first, newest first."""
    query = select(UrgentAlert).order_by(UrgentAlert.handled_at.is_not(None), UrgentAlert.id.desc()).limit(limit)
    return (await session.scalars(query)).all()


async def of_case(session: AsyncSession, case_id: int) -> Sequence[UrgentAlert]:
    return (await session.scalars(select(UrgentAlert).where(UrgentAlert.case_id == case_id))).all()


async def urgent_cases(session: AsyncSession, limit: int = 50) -> Sequence[Case]:
    query = select(Case).where(Case.urgent.is_(True)).order_by(Case.id.desc()).limit(limit)
    return (await session.scalars(query)).all()


async def mark_handled(session: AsyncSession, alert_id: str, username: str, note: str) -> None:
    if alert_id.isdigit():
        await session.execute(
            update(UrgentAlert)
            .where(UrgentAlert.id == int(alert_id))
            .values(handled_at=utcnow(), handled_by=username, note=note)
        )
