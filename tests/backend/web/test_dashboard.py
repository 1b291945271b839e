"""The dashboard's pages and exports, and the staff API, over HTTP."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.auxil.cases import a_case, a_citizen
from tests.auxil.staff import a_staff, api_token, log_in


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_queues_search_and_actions_through_the_api(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    citizen = await a_citizen(store)
    lamp = (await a_case(store, citizen, words=["小区", "路灯", "坏了"])).case.ticket
    triage = (
        await a_case(store, await a_citizen(store), "关于一些问题", words=["问题"], needs_triage=True, department=None)
    ).case.ticket
    headers = await api_token(client, "disp")
    found = await (await client.get("/api/v1/cases?q=路灯", headers=headers)).json()
    assert [c["ticket"] for c in found["cases"]] == [lamp]
    queued = await (await client.get("/api/v1/cases?queue=triage", headers=headers)).json()
    assert [c["ticket"] for c in queued["cases"]] == [triage]
    by_ticket = await (await client.get(f"/api/v1/cases?q={lamp}", headers=headers)).json()
    assert by_ticket["total"] == 1
    accepted = await client.post(f"/api/v1/cases/{lamp}/actions", json={"action": "accept"}, headers=headers)
    assert accepted.status == 200 and (await accepted.json())["status"] == "accepted"
    again = await client.post(f"/api/v1/cases/{lamp}/actions", json={"action": "accept"}, headers=headers)
    assert again.status == 409 and (await again.json())["error"]["code"] == "conflict"
    bad = await client.post(
        f"/api/v1/cases/{lamp}/actions", json={"action": "extend", "days": "40", "reason": "x"}, headers=headers
    )
    assert bad.status == 422
    departments = await (await client.get("/api/v1/departments", headers=headers)).json()
    assert {"id": "zhujianju", "name": "住房和城乡建设局", "category": "城乡建设"} in departments


async def test_openapi_describes_the_api(client) -> None:  # type: ignore[no-untyped-def]
    spec = await (await client.get("/api/v1/openapi.json")).json()
    assert spec["openapi"].startswith("3.")
    for path in (
        "/api/v1/ask",
        "/api/v1/triage",
        "/api/v1/auth/token",
        "/api/v1/cases",
        "/api/v1/cases/{ticket}",
        "/api/v1/cases/{ticket}/actions",
        "/api/v1/departments",
        "/api/v1/status",
        "/api/v1/reception-days",
        "/api/v1/reports/bulletin",
        "/api/v1/zero-reports",
    ):
        assert path in spec["paths"]
    assert "post" in spec["paths"]["/api/v1/cases"]
    actions = spec["paths"]["/api/v1/cases/{ticket}/actions"]["post"]["requestBody"]["content"]["application/json"]
    assert {"route", "assign", "lead", "assist", "supervise", "note"} <= set(
        actions["schema"]["properties"]["action"]["enum"]
    )


async def test_case_page_shows_deadlines_timeline_and_routing(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    ticket = (await a_case(store, await a_citizen(store))).case.ticket
    await log_in(client, "disp")
    html = await (await client.get(f"/staff/cases/{ticket}")).text()
    for needed in ("告知受理期限", "还剩", "时间线", "关键词", "路灯", "受理", "不予受理", "转送"):
        assert needed in html, needed


async def test_ledger_exports_apply_the_filters(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    await a_case(store, await a_citizen(store), words=["小区", "路灯"])
    await a_case(
        store, await a_citizen(store), "学校补课", words=["学校", "补课"], category="教育文体", department="jiaoyuju"
    )
    await log_in(client, "disp")
    response = await client.get("/staff/export.csv?department=jiaoyuju")
    rows = list(csv.reader(io.StringIO((await response.read()).decode("utf-8-sig"))))
    assert rows[0][0] == "受理编号" and len(rows) == 2 and rows[1][4] == "教育局"
    xlsx = await (await client.get("/staff/export.xlsx")).read()
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet.max_row == 3 and sheet["A1"].value == "受理编号"


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_stats_and_monthly_report_render(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    for _ in range(4):
        await a_case(store, await a_citizen(store), words=["小区", "路灯", "漏电", "危险"])
    await log_in(client, "disp")
    stats = await (await client.get("/staff/stats")).text()
    assert "按期办结率" in stats and "<svg" in stats and "热点问题" in stats
    hot = stats[stats.index("热点问题") :]
    assert "<td>路灯</td><td>4</td>" in hot  # a domain keyword shared by all four
    assert "<td>危险</td>" not in hot  # an everyday word is not a topic
    report = await (await client.get("/staff/report?month=2026-11")).text()
    for section in ("一、信访事项的数据统计", "二、转送、交办、督办情况", "三、提出改进工作", "四、其他应当报告的事项"):
        assert section in report


async def test_admin_manages_accounts_others_cannot(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "root", "admin")
    await a_staff(store, "disp", "dispatcher")
    await log_in(client, "disp")
    assert (await client.get("/staff/accounts")).status == 403
    client.session.cookie_jar.clear()
    csrf = await log_in(client, "root")
    created = await client.post(
        "/staff/accounts",
        data={
            "csrf_token": csrf,
            "username": "newbie",
            "role": "officer",
            "department": "jiaoyuju",
            "password": "abcdefgh12",
        },
    )
    assert "账号已创建" in await created.text()
    weak = await client.post(
        "/staff/accounts", data={"csrf_token": csrf, "username": "weak", "role": "dispatcher", "password": "123"}
    )
    assert "密码至少" in await weak.text()
