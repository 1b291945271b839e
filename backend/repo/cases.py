"""Reading cases: a citizen's own (others' are NotFound, the same as non-existent), repeats, similars."""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, delete, func, insert, or_, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from ..errors import NotFound
from ..models import OPEN_STATUSES, Case, CaseAssist, CaseLink


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


async def set_assisting(session: AsyncSession, case: Case, departments: list[str]) -> None:
    """The case's 协办 departments: on the case (what can_see reads) and indexed (officers' lists)."""
    case.assisting = list(departments)
    await session.execute(delete(CaseAssist).where(CaseAssist.case_id == case.id))
    if departments:
        await session.execute(insert(CaseAssist), [{"case_id": case.id, "department_id": d} for d in departments])


async def for_lookup(session: AsyncSession, ticket: str, phone: str) -> Case:
    """A case by its 受理编号, for someone who knows the phone number on it (normalised). A wrong
    phone is NotFound exactly like an unknown number, so a lookup tells nothing to a guesser."""
    case = await session.scalar(
        select(Case)
        .where(Case.ticket == ticket.strip().upper())
        .options(selectinload(Case.department), selectinload(Case.events))
    )
    if case is None or not case.phone or not hmac.compare_digest(case.phone.encode(), phone.encode()):
        raise NotFound(ticket)
    return case


async def by_ticket(session: AsyncSession, ticket: str) -> Case | None:
    return await session.scalar(select(Case).where(Case.ticket == ticket.strip().upper()))


async def join_groups(session: AsyncSession, case: Case, other: Case) -> int:
    """Put two cases (and the groups they are already in) into one group, named by its first case."""
    groups = {g for g in (case.group_id, other.group_id) if g is not None}
    group = min(groups | {case.id, other.id})
    members = [Case.id.in_([case.id, other.id])]
    if groups:
        members.append(Case.group_id.in_(groups))
    await session.execute(update(Case).where(or_(*members)).values(group_id=group))
    case.group_id = other.group_id = group
    return group


async def leave_group(session: AsyncSession, case: Case) -> None:
    group = case.group_id
    case.group_id = None
    await session.flush()
    left = (await session.scalars(select(Case.id).where(Case.group_id == group))).all()
    if len(left) == 1:  # a group of one is no group
        await session.execute(update(Case).where(Case.id == left[0]).values(group_id=None))


async def group_members(session: AsyncSession, group_id: int) -> Sequence[Case]:
    return (
        await session.scalars(
            select(Case).where(Case.group_id == group_id).order_by(Case.id).options(selectinload(Case.department))
        )
    ).all()


async def repeat_petitioners(session: AsyncSession, since: datetime, limit: int = 100) -> list[tuple[str, list[Case]]]:
    """People who petitioned more than once since `since` — recognised by the phone number they
    left, whatever the channel — with their cases, most cases first."""
    phones = (
        await session.execute(
            select(Case.phone, func.count(Case.id))
            .where(Case.phone.is_not(None), Case.received_at >= since)
            .group_by(Case.phone)
            .having(func.count(Case.id) > 1)
            .order_by(func.count(Case.id).desc(), Case.phone)
            .limit(limit)
        )
    ).all()
    if not phones:
        return []
    cases = (
        await session.scalars(
            select(Case)
            .where(Case.phone.in_([p for p, _ in phones]), Case.received_at >= since)
            .order_by(Case.id)
            .options(selectinload(Case.department))
        )
    ).all()
    by_phone: dict[str, list[Case]] = {p: [] for p, _ in phones}
    for case in cases:
        by_phone[case.phone or ""].append(case)
    return [(phone, by_phone[phone]) for phone, _ in phones]


async def matter_groups(session: AsyncSession, limit: int = 100) -> list[list[Case]]:
    """Confirmed groups of the same matter, largest first."""
    sizes = (
        await session.execute(
            select(Case.group_id, func.count(Case.id))
            .where(Case.group_id.is_not(None))
            .group_by(Case.group_id)
            .order_by(func.count(Case.id).desc(), Case.group_id.desc())
            .limit(limit)
        )
    ).all()
    if not sizes:
        return []
    members = (
        await session.scalars(
            select(Case)
            .where(Case.group_id.in_([g for g, _ in sizes]))
            .order_by(Case.id)
            .options(selectinload(Case.department))
        )
    ).all()
    by_group: dict[int, list[Case]] = {g: [] for g, _ in sizes}
    for case in members:
        by_group[case.group_id or 0].append(case)
    return [by_group[g] for g, _ in sizes]
