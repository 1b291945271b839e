"""Reading cases: a citizen's own (others' are NotFound, the same as non-existent), repeats, similars."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Row, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from ..errors import NotFound
from ..models import OPEN_STATUSES, Case, CaseLink


async def citizens_case(session: AsyncSession, citizen_id: int, ticket: str) -> Case:
    """The case, if it is this citizen's. Someone else's number is NotFound, like a wrong one."""
    case = await session.scalar(
        select(Case)
        .where(Case.ticket == ticket.upper(), Case.citizen_id == citizen_id)
        .options(selectinload(Case.department), selectinload(Case.events))
    )
    if case is None:
        raise NotFound(ticket)
    return case


async def citizens_cases(session: AsyncSession, citizen_id: int, limit: int = 10) -> Sequence[Case]:
    return (
        await session.scalars(
            select(Case)
            .where(Case.citizen_id == citizen_id)
            .order_by(Case.id.desc())
            .limit(limit)
            .options(selectinload(Case.department))
        )
    ).all()


async def open_cases_for_repeat(session: AsyncSession, citizen_id: int) -> list[Row]:
    """The citizen's open cases, light rows: enough for the repeat check and for telling them."""
    query = select(
        Case.id,
        Case.ticket,
        Case.status,
        Case.accept_due,
        Case.department_id,
        Case.needs_triage,
        Case.routing_keywords,
        Case.search_text,
        Case.kind,
        Case.accused_department_id,
    ).where(Case.citizen_id == citizen_id, Case.status.in_([s.value for s in OPEN_STATUSES]))
    return list(await session.execute(query))


async def similar_candidates(
    session: AsyncSession, case_id: int, citizen_id: int, bands: Sequence[int], category: str | None, recent: int = 80
) -> list[Row]:
    """(id, search_text) of earlier cases of other citizens sharing a SimHash band, plus the
    latest of the same category — one round trip."""
    columns = (Case.id, Case.search_text)
    banded = (
        select(*columns)
        .where(
            Case.id < case_id,
            Case.citizen_id != citizen_id,
            or_(
                Case.simhash_band0 == bands[0],
                Case.simhash_band1 == bands[1],
                Case.simhash_band2 == bands[2],
                Case.simhash_band3 == bands[3],
            ),
        )
        .limit(100)
    )
    parts = [banded]
    if category:
        parts.append(
            select(*columns)
            .where(Case.id < case_id, Case.citizen_id != citizen_id, Case.category == category)
            .order_by(Case.id.desc())
            .limit(recent)
        )
    query = union_all(*(select(*p.subquery().c) for p in parts))
    seen: dict[int, Row] = {}
    for row in await session.execute(query):
        seen.setdefault(row.id, row)
    return list(seen.values())


async def links_of(session: AsyncSession, case_id: int, kind: str | None = None) -> list[tuple[CaseLink, Case]]:
    """Linked cases in both directions, best score first."""
    query = select(CaseLink, Case).join(Case, Case.id == CaseLink.other_id).where(CaseLink.case_id == case_id)
    reverse = select(CaseLink, Case).join(Case, Case.id == CaseLink.case_id).where(CaseLink.other_id == case_id)
    if kind:
        query, reverse = query.where(CaseLink.kind == kind), reverse.where(CaseLink.kind == kind)
    rows = [(link, case) for link, case in (await session.execute(query)).all()]
    rows += [(link, case) for link, case in (await session.execute(reverse)).all()]
    return sorted(rows, key=lambda r: -r[0].score)
