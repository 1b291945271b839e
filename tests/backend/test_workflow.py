"""Working a case: the 条例's order of steps, its periods, the audit trail, the citizen told."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from backend import workflow
from backend.auth import Viewer
from backend.errors import Conflict, Forbidden, Invalid
from backend.models import Case, CaseEvent, CaseStatus, OutboxMessage, RoutingCorrection
from tests.auxil.cases import a_case, a_citizen

DISPATCHER = Viewer(1, "disp", "调度员", "dispatcher", None)
OFFICER = Viewer(2, "off", "城管承办", "officer", "chengguanju")
OTHER_OFFICER = Viewer(3, "edu", "教育承办", "officer", "jiaoyuju")


async def act(store, ticket: str, viewer: Viewer, action: str, today: date, **params):  # type: ignore[no-untyped-def]
    async with store.unit() as uow:
        case = await uow.session.scalar(select(Case).where(Case.ticket == ticket))
        return await workflow.act(uow.session, case, viewer, action, params, today)


async def test_the_whole_path_with_its_deadlines(store) -> None:  # type: ignore[no-untyped-def]
    ticket = (await a_case(store, await a_citizen(store), today=date(2026, 9, 1))).case.ticket
    accepted = await act(store, ticket, DISPATCHER, "accept", date(2026, 9, 10))
    assert accepted.case.status == CaseStatus.ACCEPTED
    assert accepted.case.conclude_due == date(2026, 11, 9)  # 60 日 from 09-10
    await act(store, ticket, DISPATCHER, "assign", date(2026, 9, 10), department="chengguanju")
    await act(store, ticket, OFFICER, "start", date(2026, 9, 11))
    asked = await act(store, ticket, OFFICER, "extend", date(2026, 11, 1), days="20", reason="需要现场勘验")
    assert asked.case.conclude_due == date(2026, 11, 9)  # an officer's request moves nothing yet
    with pytest.raises(Forbidden):
        await act(store, ticket, OFFICER, "approve_extension", date(2026, 11, 1))
    extended = await act(store, ticket, DISPATCHER, "approve_extension", date(2026, 11, 2))
    assert extended.case.conclude_due == date(2026, 11, 30)  # 11-09 + 20 日 (a Monday)
    with pytest.raises(Invalid):
        await act(store, ticket, OFFICER, "extend", date(2026, 11, 2), days="11", reason="再延")  # 20 + 11 > 30
    with pytest.raises(Conflict):
        await act(store, ticket, DISPATCHER, "approve_extension", date(2026, 11, 3))  # nothing pending
    done = await act(
        store,
        ticket,
        OFFICER,
        "conclude",
        date(2026, 11, 20),
        opinion="支持",
        text="已更换路灯",
        basis="《城市照明管理规定》",
    )
    assert done.case.status == CaseStatus.CONCLUDED and done.case.review_request_due == date(2026, 12, 21)
    async with store.unit() as uow:
        case = await uow.session.scalar(select(Case).where(Case.ticket == ticket))
        await workflow.request_review(uow.session, case, "citizen", date(2026, 12, 1))
    reviewed = await act(
        store, ticket, DISPATCHER, "conclude", date(2026, 12, 10), opinion="支持", text="维持", basis="同上"
    )
    assert reviewed.case.review_stage == 1 and reviewed.case.status == CaseStatus.CONCLUDED
    await act(store, ticket, DISPATCHER, "request_re_examination", date(2026, 12, 15))
    final = await act(
        store, ticket, DISPATCHER, "conclude", date(2026, 12, 30), opinion="支持", text="复核维持", basis="同上"
    )
    assert final.case.status == CaseStatus.CLOSED
    async with store.unit() as uow:
        case_id = (await uow.session.scalar(select(Case).where(Case.ticket == ticket))).id
        kinds = [e.kind for e in await uow.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id))]
        told = (await uow.session.scalars(select(OutboxMessage.text).where(OutboxMessage.case_id == case_id))).all()
    assert kinds[2:] == [
        "accepted",
        "assigned",
        "started",
        "extension_requested",
        "extended",
        "concluded",
        "review_requested",
        "reviewed",
        "re_examination_requested",
        "re_examined",
    ]
    assert any("延期理由：需要现场勘验" in t for t in told)
    async with store.unit() as uow:
        approval = await uow.session.scalar(
            select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.kind == "extended")
        )
    assert (approval.actor, approval.data["requested_by"], approval.data["approved_by"]) == (
        "staff:disp",
        "staff:off",
        "staff:disp",
    )
    assert any("30 日内" in t and "复查" in t for t in told)


async def test_steps_out_of_order_are_refused(store) -> None:  # type: ignore[no-untyped-def]
    ticket = (await a_case(store, await a_citizen(store))).case.ticket
    with pytest.raises(Conflict):
        await act(store, ticket, DISPATCHER, "start", date(2026, 11, 26))
    with pytest.raises(Conflict):
        await act(store, ticket, DISPATCHER, "conclude", date(2026, 11, 26), opinion="支持", text="x", basis="y")
    with pytest.raises(Invalid):
        await act(store, ticket, DISPATCHER, "reject", date(2026, 11, 26))  # a reason is required
    with pytest.raises(Invalid):
        await act(store, ticket, DISPATCHER, "fly", date(2026, 11, 26))


async def test_officers_are_confined_to_their_department(store) -> None:  # type: ignore[no-untyped-def]
    ticket = (await a_case(store, await a_citizen(store), department="chengguanju")).case.ticket
    with pytest.raises(Forbidden):
        await act(store, ticket, OTHER_OFFICER, "accept", date(2026, 11, 26))
    with pytest.raises(Forbidden):
        await act(store, ticket, OFFICER, "assign", date(2026, 11, 26), department="jiaoyuju")
    returned = await act(store, ticket, OFFICER, "return", date(2026, 11, 26), reason="不属于本部门")
    assert returned.case.needs_triage and returned.case.department_id is None


async def test_rerouting_is_a_correction_to_learn_from(store) -> None:  # type: ignore[no-untyped-def]
    ticket = (await a_case(store, await a_citizen(store), department="chengguanju")).case.ticket
    await act(store, ticket, DISPATCHER, "assign", date(2026, 11, 26), department="shuiwuju")
    async with store.unit() as uow:
        correction = await uow.session.scalar(select(RoutingCorrection))
    assert (correction.from_department, correction.to_department) == ("chengguanju", "shuiwuju")
    assert correction.keywords == ["路灯"]


async def test_rejection_tells_where_to_go_instead(store) -> None:  # type: ignore[no-untyped-def]
    ticket = (await a_case(store, await a_citizen(store))).case.ticket
    outcome = await act(
        store,
        ticket,
        DISPATCHER,
        "reject",
        date(2026, 11, 26),
        reason="属于劳动争议",
        where="向劳动人事争议仲裁委员会申请仲裁",
    )
    assert outcome.told
    async with store.unit() as uow:
        text = await uow.session.scalar(select(OutboxMessage.text))
    assert "劳动人事争议仲裁委员会" in text


async def test_the_action_table_says_what_each_viewer_may_do(store) -> None:  # type: ignore[no-untyped-def]
    ticket = (await a_case(store, await a_citizen(store), department="chengguanju")).case.ticket
    async with store.unit() as uow:
        case = await uow.session.scalar(select(Case).where(Case.ticket == ticket))
    assert {"accept", "reject", "route", "return", "reply"} <= workflow.available(case, DISPATCHER)
    assert "conclude" not in workflow.available(case, DISPATCHER)  # not accepted yet
    officer = workflow.available(case, OFFICER)
    assert "route" not in officer and "return" in officer
    assert workflow.available(case, OTHER_OFFICER) == frozenset()  # not their department's
