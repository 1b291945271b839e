"""Assignment and follow-through: 首办责任人 and "my cases", internal notes, 协办, 督办, the
navigation's badges, the staff chat's notices, and reaching a person behind a self-harm alert."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from backend.models import OutboxMessage, StaffNotice
from backend.repo import guidance
from backend.staff_notices import announce
from handlers.status import PUBLIC_EVENTS
from tests.auxil.cases import a_case, a_citizen
from tests.auxil.staff import a_staff, api_token, log_in


async def act(client, ticket, headers, **body):  # type: ignore[no-untyped-def]
    return await client.post(f"/api/v1/cases/{ticket}/actions", json=body, headers=headers)


async def test_a_dispatcher_assigns_and_the_officer_finds_it_under_my_cases(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    await a_staff(store, "wang", "officer", "chengguanju")
    await a_staff(store, "zhao", "officer", "chengguanju")
    ticket = (await a_case(store, await a_citizen(store))).case.ticket
    other = (await a_case(store, await a_citizen(store), "另一件事：小区垃圾没人清运，臭气熏天")).case.ticket
    disp, wang = await api_token(client, "disp"), await api_token(client, "wang")
    refused = await act(client, ticket, wang, action="assign", staff="zhao")
    assert refused.status == 403  # an officer cannot assign
    done = await act(client, ticket, disp, action="assign", staff="wang")
    assert done.status == 200 and (await done.json())["assignee"] == "wang"
    mine = await (await client.get("/api/v1/cases?assignee=me", headers=wang)).json()
    assert [c["ticket"] for c in mine["cases"]] == [ticket]
    everything = await (await client.get("/api/v1/cases", headers=wang)).json()
    assert {c["ticket"] for c in everything["cases"]} == {ticket, other}  # the department's, as before
    unknown = await act(client, ticket, disp, action="assign", staff="nobody")
    assert unknown.status == 422


async def test_notes_stay_inside_and_the_citizen_is_not_told(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    ticket = (await a_case(store, await a_citizen(store))).case.ticket
    headers = await api_token(client, "disp")
    noted = await act(client, ticket, headers, action="note", text="信访人情绪激动，回访时请注意方式")
    assert noted.status == 200 and (await noted.json())["citizen_told"] is False
    case = await (await client.get(f"/api/v1/cases/{ticket}", headers=headers)).json()
    assert case["events"][-1]["kind"] == "note" and "note" not in PUBLIC_EVENTS
    async with store.unit() as uow:
        assert (await uow.session.scalars(select(OutboxMessage))).all() == []


async def test_an_assisting_department_sees_the_case_and_supervision_sets_its_own_deadline(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    await a_staff(store, "edu", "officer", "jiaoyuju")
    ticket = (await a_case(store, await a_citizen(store))).case.ticket
    disp, edu = await api_token(client, "disp"), await api_token(client, "edu")
    assert (await client.get(f"/api/v1/cases/{ticket}", headers=edu)).status == 404
    assert (await act(client, ticket, disp, action="assist", departments=["jiaoyuju"])).status == 200
    assert (await client.get(f"/api/v1/cases/{ticket}", headers=edu)).status == 200
    listed = await (await client.get("/api/v1/cases", headers=edu)).json()
    assert [c["ticket"] for c in listed["cases"]] == [ticket]
    assert (await act(client, ticket, edu, action="supervise", days=5, note="x")).status == 403
    supervised = await act(client, ticket, disp, action="supervise", days=5, note="请五日内报告办理情况")
    assert supervised.status == 200
    case = await (await client.get(f"/api/v1/cases/{ticket}", headers=disp)).json()
    assert case["deadlines"]["supervise_due"] and case["assisting"] == ["jiaoyuju"]
    queue = await (await client.get("/api/v1/cases?queue=supervised", headers=disp)).json()
    assert [c["ticket"] for c in queue["cases"]] == [ticket]


async def test_the_navigation_counts_new_urgent_and_overdue_cases(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    await a_case(store, await a_citizen(store), urgent=True)
    await a_case(store, await a_citizen(store), "一年前的事：路面塌陷没人修", today=date(2025, 1, 2))
    await log_in(client, "disp")
    page = await (await client.get("/staff/cases")).text()
    assert "急 1" in page and "超期 1" in page and "新 2" in page


async def test_new_and_overdue_cases_are_announced_once_on_the_staff_chat(store) -> None:  # type: ignore[no-untyped-def]
    now = datetime(2026, 11, 25, 3, tzinfo=UTC)
    await a_case(store, await a_citizen(store), urgent=True, kind="complaint")
    await a_case(store, await a_citizen(store), "单位领导收受红包，我要检举", kind="report")
    async with store.unit() as uow:
        assert await announce(uow.session, "-100200", now, date(2026, 11, 25)) == 2
    async with store.unit() as uow:
        assert await announce(uow.session, "-100200", now, date(2026, 11, 25)) == 0  # each once
    later = date(2026, 11, 25) + timedelta(days=17)  # past the 15 日 notice period
    async with store.unit() as uow:
        assert await announce(uow.session, "-100200", now, later) == 2
        texts = (await uow.session.scalars(select(OutboxMessage.text).order_by(OutboxMessage.id))).all()
        chats = set((await uow.session.scalars(select(OutboxMessage.chat_id))).all())
        kinds = sorted((await uow.session.scalars(select(StaffNotice.kind))).all())
    assert chats == {"-100200"} and kinds == ["new", "new", "overdue", "overdue"]
    assert "新登记 2 件" in texts[0] and "【紧急】" in texts[0]
    assert "红包" not in texts[0] and "检举控告" in texts[0]  # a report's content stays in the office
    assert "新超期 2 件" in texts[1]


async def test_a_self_harm_alert_has_a_badge_and_a_way_to_reach_the_person(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    citizen = await a_citizen(store, user="4242")
    ticket = (await a_case(store, citizen)).case.ticket
    async with store.unit() as uow:
        alert_id = await guidance.raise_alert(uow.session, citizen, "telegram", "4242", ["self_harm"], "不想活了")
    csrf = await log_in(client, "disp")
    page = await (await client.get("/staff/cases")).text()
    assert 'title="未处理的紧急情况">1<' in page
    alerts = await (await client.get("/staff/alerts")).text()
    assert "13812345678" in alerts and ticket in alerts  # the phone they left on their case
    sent = await client.post(
        f"/staff/alerts/{alert_id}/message", data={"csrf_token": csrf, "text": "您好，我们很关心您"}
    )
    assert "消息已发出" in await sent.text()
    async with store.unit() as uow:
        message = await uow.session.scalar(select(OutboxMessage).where(OutboxMessage.chat_id == "4242"))
    assert message.channel == "telegram" and message.text == "您好，我们很关心您"
