"""Urgent alerts (条例第二十五条): words of self-harm, violence or a gathering, for staff to act on."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import NotFound
from ..models import Case, Citizen, UrgentAlert, utcnow


async def recent(session: AsyncSession, limit: int = 200) -> list[tuple[UrgentAlert, Citizen]]:
    """Open alerts first, newest first, with the person as their channel knows them."""
    query = (
        select(UrgentAlert, Citizen)
        .join(Citizen, Citizen.id == UrgentAlert.citizen_id)
        .order_by(UrgentAlert.handled_at.is_not(None), UrgentAlert.id.desc())
        .limit(limit)
    )
    return [(alert, citizen) for alert, citizen in await session.execute(query)]


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


async def open_count(session: AsyncSession, cap: int) -> int:
    """Unhandled alerts, counted up to cap + 1."""
    ids = select(UrgentAlert.id).where(UrgentAlert.handled_at.is_(None)).limit(cap + 1).subquery()
    return await session.scalar(select(func.count()).select_from(ids)) or 0


async def get(session: AsyncSession, alert_id: str) -> UrgentAlert:
    alert = await session.get(UrgentAlert, int(alert_id)) if alert_id.isdigit() else None
    if alert is None:
        raise NotFound(f"alert {alert_id}")
    return alert


async def contacts(session: AsyncSession, citizen_ids: Sequence[int]) -> dict[int, tuple[str, str, str]]:
    """How to reach each person: (name, phone, ticket) of their latest case that left a phone."""
    if not citizen_ids:
        return {}
    rows = await session.execute(
        select(Case.citizen_id, Case.name, Case.phone, Case.ticket)
        .where(Case.citizen_id.in_(set(citizen_ids)), Case.phone.is_not(None))
        .order_by(Case.id)
    )
    return {r.citizen_id: (r.name, r.phone, r.ticket) for r in rows}  # the latest wins
