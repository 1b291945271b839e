"""The workbench end to end, as an outside client drives the contract (DESIGN.md, "HTTP"): a letter
registered by a dispatcher (first handler recorded), assigned to an officer who finds it under
?assignee=me, led by a leader who can read it, counted in the month's bulletin, a department's
零报告 filed and the others listed as missing, and the citizen's lookup by ticket + phone."""

from __future__ import annotations

import pytest

from tests.auxil.clock import china_today
from tests.auxil.staff import a_staff, api_token

LETTER = {
    "source": "letter",
    "name": "周某某",
    "phone": "13607310001",
    "address": "A市A3区桂花坪街道幸福小区5栋",
    "facts": "小区旁边的工地每天晚上施工到凌晨两点，噪音很大，老人孩子都睡不着觉，已经持续一个月了",
    "request": "要求工地夜间停止施工",
    "received_on": china_today().isoformat(),
}


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_the_workbench_scenario(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "dispatcher1", "dispatcher")
    await a_staff(store, "officer1", "officer", "jiaoyuju")  # not the department the letter goes to
    await a_staff(store, "leader1", "leader")
    dispatcher, officer, leader = [await api_token(client, u) for u in ("dispatcher1", "officer1", "leader1")]

    registered = await client.post("/api/v1/cases", json=LETTER, headers=dispatcher)
    assert registered.status == 201, await registered.text()
    letter = await registered.json()
    ticket = letter["ticket"]
    assert letter["first_handler"] == "dispatcher1" and letter["status"] == "registered"
    assert {"ticket", "status", "category", "department", "channel", "first_handler"} <= set(letter)

    assert (await client.get(f"/api/v1/cases/{ticket}", headers=leader)).status == 404
    assigned = await client.post(
        f"/api/v1/cases/{ticket}/actions", json={"action": "assign", "staff": "officer1"}, headers=dispatcher
    )
    assert assigned.status == 200
    refused = await client.post(
        f"/api/v1/cases/{ticket}/actions", json={"action": "assign", "staff": "officer1"}, headers=officer
    )
    assert refused.status == 403
    mine = await (await client.get("/api/v1/cases?assignee=me", headers=officer)).json()
    assert ticket in [c["ticket"] for c in mine["cases"]]

    led = await client.post(
        f"/api/v1/cases/{ticket}/actions", json={"action": "lead", "leader": "leader1"}, headers=dispatcher
    )
    assert led.status == 200
    read = await client.get(f"/api/v1/cases/{ticket}", headers=leader)
    assert read.status == 200
    case = await read.json()
    assert (case["assignee"], case["leader"], case["first_handler"]) == ("officer1", "leader1", "dispatcher1")

    month = china_today().strftime("%Y-%m")
    bulletin = await (await client.get(f"/api/v1/reports/bulletin?month={month}", headers=leader)).json()
    assert bulletin["month"] == month
    row = next(d for d in bulletin["departments"] if d["department"] == letter["department"])
    assert row["received"] == 1 and row["rank"] == 1

    today = china_today().isoformat()
    filed = await client.post(
        "/api/v1/zero-reports", json={"date": today, "department": "jiaoyuju", "incidents": []}, headers=officer
    )
    assert filed.status == 201
    another = await client.post(
        "/api/v1/zero-reports", json={"date": today, "department": "gonganju", "incidents": []}, headers=officer
    )
    assert another.status == 403
    returns = await (await client.get(f"/api/v1/zero-reports?date={today}", headers=dispatcher)).json()
    assert returns["submitted"] == ["jiaoyuju"] and "gonganju" in returns["missing"]
    assert "jiaoyuju" not in returns["missing"]

    found = await client.post("/api/v1/status", json={"ticket": ticket, "phone": LETTER["phone"]})
    assert found.status == 200
    progress = await found.json()
    assert progress["ticket"] == ticket and progress["status"] == "registered"
    assert progress["department"] == letter["department"] and progress["due"] and progress["events"]
    wrong = await client.post("/api/v1/status", json={"ticket": ticket, "phone": "13607310002"})
    unknown = await client.post("/api/v1/status", json={"ticket": "XF-20000101-0001", "phone": LETTER["phone"]})
    assert wrong.status == unknown.status == 404 and await wrong.json() == await unknown.json()
