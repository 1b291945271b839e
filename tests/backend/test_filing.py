"""Filing: deadlines, audit events, repeat petitions and similar cases."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from backend.filing import expected_conclusion
from backend.models import Case, CaseEvent, CaseStatus
from backend.repo import cases
from backend.similar import link_pending
from tests.auxil.cases import a_case, a_citizen

WORDS = ["小区", "门口", "路灯", "坏了", "三个", "月", "晚上", "老人", "出门", "危险", "希望", "尽快", "修好"]


async def test_a_filed_case_has_its_deadline_and_audit_trail(store) -> None:  # type: ignore[no-untyped-def]
    result = await a_case(store, await a_citizen(store), words=WORDS, today=date(2026, 9, 20))
    case = result.case
    assert not result.repeat
    assert case.status == CaseStatus.REGISTERED
    assert case.accept_due == date(2026, 10, 8)  # 15 日, past 国庆
    async with store.unit() as uow:
        kinds = [e.kind for e in (await uow.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)))]
    assert kinds == ["filed", "routed"]


async def test_low_confidence_routing_waits_for_a_person(store) -> None:  # type: ignore[no-untyped-def]
    case = (await a_case(store, await a_citizen(store), words=WORDS, needs_triage=True)).case
    assert case.needs_triage and case.department_id is None
    async with store.unit() as uow:
        kinds = [e.kind for e in (await uow.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)))]
    assert "triage" in kinds


async def test_the_same_matter_again_joins_the_open_case(store) -> None:  # type: ignore[no-untyped-def]
    citizen = await a_citizen(store)
    first = await a_case(store, citizen, words=WORDS)
    again = await a_case(store, citizen, "路灯还是没修，小区门口晚上很黑", words=[*WORDS, "还是", "没修"])
    assert again.repeat and again.case.id == first.case.id
    async with store.unit() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Case)) == 1
        kinds = [
            e.kind for e in (await uow.session.scalars(select(CaseEvent).where(CaseEvent.case_id == first.case.id)))
        ]
    assert kinds[-1] == "repeat"


async def test_a_different_matter_of_the_same_citizen_is_a_new_case(store) -> None:  # type: ignore[no-untyped-def]
    citizen = await a_citizen(store)
    await a_case(store, citizen, words=WORDS)
    other = await a_case(store, citizen, "学校强制补课收费", words=["学校", "强制", "补课", "收费", "老师", "学生"])
    assert not other.repeat


async def test_similar_cases_of_other_citizens_are_linked(store) -> None:  # type: ignore[no-untyped-def]
    first = await a_case(store, await a_citizen(store), words=WORDS)
    second = await a_case(store, await a_citizen(store), words=[*WORDS[:-2], "请", "处理"])
    unrelated = await a_case(store, await a_citizen(store), "学校强制补课", words=["学校", "强制", "补课", "收费"])
    assert not second.repeat
    async with store.unit() as uow:
        assert await link_pending(uow.session) == 3
    async with store.unit() as uow:
        assert await link_pending(uow.session) == 0  # each case is checked once
        links = await cases.links_of(uow.session, first.case.id, "similar")
        assert [c.id for _, c in links] == [second.case.id]
        assert await cases.links_of(uow.session, unrelated.case.id, "similar") == []


async def test_someone_elses_ticket_is_not_found(store) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from backend.errors import NotFound

    owner, stranger = await a_citizen(store), await a_citizen(store)
    case = (await a_case(store, owner, words=WORDS)).case
    async with store.unit() as uow:
        assert (await cases.citizens_case(uow.session, owner, case.ticket)).id == case.id
        with pytest.raises(NotFound):
            await cases.citizens_case(uow.session, stranger, case.ticket)


def test_expected_conclusion_adds_both_periods() -> None:
    assert expected_conclusion(date(2026, 11, 2)) >= date(2027, 1, 16)
