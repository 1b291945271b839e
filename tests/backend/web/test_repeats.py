"""Repeats and backlog: the same matter from several people or channels grouped once staff
confirm it; repeat petitioners by their phone; 积案 (open past the deadline, or reopened twice)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from backend import workflow
from backend.auth import Viewer
from backend.models import Case
from tests.auxil.cases import a_case, a_citizen
from tests.auxil.staff import a_staff, api_token, log_in

DISPATCHER = Viewer(1, "disp", "调度员", "dispatcher", None)


async def test_the_same_matter_by_chat_and_by_letter_is_grouped(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    headers = await api_token(client, "disp")
    online = (await a_case(store, await a_citizen(store), "幸福小区旁工地夜间施工噪音扰民")).case.ticket
    letter = await (
        await client.post(
            "/api/v1/cases",
            json={
                "source": "letter",
                "phone": "13900001111",
                "facts": "幸福小区旁边的工地每天夜里施工，噪音太大睡不着",
                "request": "夜间停工",
            },
            headers=headers,
        )
    ).json()
    third = (await a_case(store, await a_citizen(store), "幸福小区工地噪音，第三位居民")).case.ticket
    grouped = await client.post(
        f"/api/v1/cases/{online}/actions", json={"action": "group", "with": letter["ticket"]}, headers=headers
    )
    assert grouped.status == 200
    await client.post(f"/api/v1/cases/{third}/actions", json={"action": "group", "with": online}, headers=headers)
    for ticket in (online, letter["ticket"], third):
        case = await (await client.get(f"/api/v1/cases/{ticket}", headers=headers)).json()
        assert case["group"] is not None
    groups = {
        (await (await client.get(f"/api/v1/cases/{t}", headers=headers)).json())["group"] for t in (online, third)
    }
    assert len(groups) == 1
    await log_in(client, "disp")
    page = await (await client.get("/staff/repeats")).text()
    assert online in page and letter["ticket"] in page and third in page
    nonsense = await client.post(
        f"/api/v1/cases/{online}/actions", json={"action": "group", "with": online}, headers=headers
    )
    assert nonsense.status == 422
    await client.post(f"/api/v1/cases/{third}/actions", json={"action": "ungroup"}, headers=headers)
    assert (await (await client.get(f"/api/v1/cases/{third}", headers=headers)).json())["group"] is None


async def test_repeat_petitioners_are_recognised_by_phone_across_channels(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    headers = await api_token(client, "disp")
    await a_case(store, await a_citizen(store), "路灯坏了", phone="13700002222")
    await client.post(
        "/api/v1/cases",
        json={
            "source": "phone",
            "name": "钱某",
            "phone": "137 0000 2222",
            "facts": "学校门口的红绿灯坏了好几天了",
            "request": "尽快修好",
        },
        headers=headers,
    )
    await a_case(store, await a_citizen(store), "只来过一次的人反映的事情", phone="13700003333")
    await log_in(client, "disp")
    page = await (await client.get("/staff/repeats")).text()
    assert "137****2222" in page and "137****3333" not in page and "钱某" in page


async def test_backlog_is_overdue_or_reopened_twice(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    old = (await a_case(store, await a_citizen(store), "去年的事一直没人管", today=date(2025, 1, 2))).case.ticket
    fresh = (await a_case(store, await a_citizen(store), "今天刚反映的事情")).case.ticket
    reopened = (await a_case(store, await a_citizen(store), "复查复核过两次的事情")).case.ticket
    async with store.unit() as uow:
        await uow.session.execute(update(Case).where(Case.ticket == reopened).values(reopen_count=2))
    headers = await api_token(client, "disp")
    queue = await (await client.get("/api/v1/cases?queue=backlog&sort=due", headers=headers)).json()
    assert [c["ticket"] for c in queue["cases"]] == [old, reopened]
    await log_in(client, "disp")
    ledger = await (await client.get("/staff/backlog")).text()
    assert old in ledger and reopened in ledger and fresh not in ledger
    assert "超期" in ledger and "复查、复核 2 次" in ledger


async def test_asking_for_review_counts_as_reopening(store) -> None:  # type: ignore[no-untyped-def]
    ticket = (await a_case(store, await a_citizen(store), today=date(2026, 9, 1))).case.ticket
    async with store.unit() as uow:
        case = await uow.session.scalar(select(Case).where(Case.ticket == ticket))
        for action, params in (
            ("accept", {}),
            ("conclude", {"opinion": "支持", "text": "已修", "basis": "规定"}),
            ("request_review", {}),
            ("conclude", {"opinion": "支持", "text": "维持", "basis": "规定"}),
            ("request_re_examination", {}),
        ):
            await workflow.act(uow.session, case, DISPATCHER, action, params, date(2026, 9, 10))
        assert case.reopen_count == 2
