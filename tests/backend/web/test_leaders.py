"""Leaders: 包案 (a leader reads and acts on the cases it leads, and nothing else), the 包案
ledger, and the 领导接访日 schedule staff maintain and citizens see."""

from __future__ import annotations

import re
from datetime import timedelta

from backend.repo import reception
from tests.auxil.cases import a_case, a_citizen
from tests.auxil.clock import china_today
from tests.auxil.staff import a_staff, api_token, log_in


async def test_a_leader_reads_and_acts_on_the_cases_it_leads_only(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    await a_staff(store, "boss", "leader")
    await a_staff(store, "wang", "officer", "chengguanju")
    led = (await a_case(store, await a_citizen(store))).case.ticket
    other = (await a_case(store, await a_citizen(store), "另一件事：小区垃圾没人清运，臭气熏天")).case.ticket
    disp, boss, wang = [await api_token(client, u) for u in ("disp", "boss", "wang")]
    assert (await client.get(f"/api/v1/cases/{led}", headers=boss)).status == 404
    refused = await client.post(f"/api/v1/cases/{led}/actions", json={"action": "lead", "leader": "boss"}, headers=wang)
    assert refused.status == 403
    not_a_leader = await client.post(
        f"/api/v1/cases/{led}/actions", json={"action": "lead", "leader": "wang"}, headers=disp
    )
    assert not_a_leader.status == 422
    done = await client.post(f"/api/v1/cases/{led}/actions", json={"action": "lead", "leader": "boss"}, headers=disp)
    assert done.status == 200 and (await done.json())["leader"] == "boss"
    assert (await client.get(f"/api/v1/cases/{led}", headers=boss)).status == 200
    assert (await client.get(f"/api/v1/cases/{other}", headers=boss)).status == 404
    listed = await (await client.get("/api/v1/cases", headers=boss)).json()
    assert [c["ticket"] for c in listed["cases"]] == [led]
    instructed = await client.post(
        f"/api/v1/cases/{led}/actions", json={"action": "supervise", "days": 7, "note": "一周内拿出方案"}, headers=boss
    )
    assert instructed.status == 200
    assign = await client.post(f"/api/v1/cases/{led}/actions", json={"action": "assign", "staff": "wang"}, headers=boss)
    assert assign.status == 403  # assigning is the 信访部门's
    await log_in(client, "boss")
    ledger = await (await client.get("/staff/leads")).text()
    assert led in ledger and other not in ledger


async def test_reception_days_staff_publish_and_citizens_see(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    await a_staff(store, "wang", "officer", "chengguanju")
    soon = china_today() + timedelta(days=3)
    csrf = await log_in(client, "wang")
    refused = await client.post(
        "/staff/reception", data={"csrf_token": csrf, "date": soon.isoformat(), "leader": "x", "place": "y"}
    )
    assert refused.status == 403
    client.session.cookie_jar.clear()
    csrf = await log_in(client, "disp")
    for day, leader in ((soon, "副区长 王某某"), (china_today() + timedelta(days=10), "区长 李某某")):
        page = await client.post(
            "/staff/reception",
            data={
                "csrf_token": csrf,
                "date": day.isoformat(),
                "leader": leader,
                "place": "区信访局一楼接待大厅",
                "topics": "城乡建设、征地拆迁",
            },
        )
        assert "已发布" in await page.text()
    past = await client.post(
        "/staff/reception",
        data={"csrf_token": csrf, "date": "2020-01-01", "leader": "x", "place": "y"},
    )
    assert "今天或以后" in await past.text()
    public = await (await client.get("/api/v1/reception-days")).json()
    assert public[0] == {
        "date": soon.isoformat(),
        "leader": "副区长 王某某",
        "place": "区信访局一楼接待大厅",
        "topics": "城乡建设、征地拆迁",
    }
    assert len(public) == 2
    async with store.unit() as uow:  # what the dialogue calls
        first = await reception.upcoming(uow.session, china_today(), limit=1)
    assert [d.leader for d in first] == ["副区长 王某某"]
    schedule = await (await client.get("/staff/reception")).text()
    reception_id = re.search(r"/staff/reception/(\d+)/delete", schedule).group(1)  # type: ignore[union-attr]
    await client.post(f"/staff/reception/{reception_id}/delete", data={"csrf_token": csrf})
    assert len(await (await client.get("/api/v1/reception-days")).json()) == 1
