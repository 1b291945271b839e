"""敏感节点「零报告」: a department files its own day (not another's); the 信访部门 and leaders see
who filed and who is missing; an admin sets the periods."""

from __future__ import annotations

from datetime import timedelta

from tests.auxil.clock import china_today
from tests.auxil.staff import a_staff, api_token, log_in


async def test_a_department_files_and_the_others_are_missing(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    await a_staff(store, "boss", "leader")
    await a_staff(store, "edu", "officer", "jiaoyuju")
    today = china_today().isoformat()
    edu, disp, boss = [await api_token(client, u) for u in ("edu", "disp", "boss")]
    filed = await client.post(
        "/api/v1/zero-reports", json={"date": today, "department": "jiaoyuju", "incidents": []}, headers=edu
    )
    assert filed.status == 201 and (await filed.json())["zero"] is True
    others = await client.post(
        "/api/v1/zero-reports", json={"date": today, "department": "gonganju", "incidents": []}, headers=edu
    )
    assert others.status == 403  # another department's report is refused
    on_behalf = await client.post(
        "/api/v1/zero-reports",
        json={
            "date": today,
            "department": "weijianwei",
            "incidents": [{"summary": "某医院门口有 6 人拉横幅", "place": "人民医院"}],
        },
        headers=disp,
    )
    assert on_behalf.status == 201
    corrected = await client.post(
        "/api/v1/zero-reports",
        json={"date": today, "department": "jiaoyuju", "incidents": [{"summary": "家长聚集"}]},
        headers=edu,
    )
    assert corrected.status == 200 and (await corrected.json())["zero"] is False
    bad = await client.post(
        "/api/v1/zero-reports",
        json={"date": today, "department": "jiaoyuju", "incidents": [{"place": "x"}]},
        headers=edu,
    )
    assert bad.status == 422
    for headers in (disp, boss):
        day = await (await client.get(f"/api/v1/zero-reports?date={today}", headers=headers)).json()
        assert day["date"] == today
        assert sorted(day["submitted"]) == ["jiaoyuju", "weijianwei"]
        assert "gonganju" in day["missing"] and "jiaoyuju" not in day["missing"]
        assert len(day["missing"]) + len(day["submitted"]) >= 10
    assert (await client.get(f"/api/v1/zero-reports?date={today}", headers=edu)).status == 403


async def test_an_admin_sets_the_sensitive_period_and_the_page_shows_who_is_missing(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "root", "admin")
    await a_staff(store, "edu", "officer", "jiaoyuju")
    csrf = await log_in(client, "edu")
    refused = await client.post(
        "/staff/zero-reports/periods",
        data={"csrf_token": csrf, "name": "x", "start": "2026-01-01", "end": "2026-01-02"},
    )
    assert refused.status == 403
    page = await client.post("/staff/zero-reports", data={"csrf_token": csrf, "incidents": ""})
    assert "已报送零报告" in await page.text()
    client.session.cookie_jar.clear()
    csrf = await log_in(client, "root")
    today = china_today()
    done = await client.post(
        "/staff/zero-reports/periods",
        data={
            "csrf_token": csrf,
            "name": "重要会议期间",
            "start": today.isoformat(),
            "end": (today + timedelta(days=6)).isoformat(),
        },
    )
    html = await done.text()
    assert "已设置敏感节点" in html and "重要会议期间" in html
    assert "未报送" in html and "公安局" in html  # listed as missing
    filed = html[html.index("已报送（") :]
    assert "教育局" in filed and "零报告（无情况）" in filed


async def test_a_future_day_is_refused_and_a_department_sees_its_past_reports(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "edu", "officer", "jiaoyuju")
    await a_staff(store, "pol", "officer", "gonganju")
    edu, pol = await api_token(client, "edu"), await api_token(client, "pol")
    today = china_today()
    tomorrow = await client.post(
        "/api/v1/zero-reports",
        json={"date": (today + timedelta(days=1)).isoformat(), "department": "jiaoyuju", "incidents": []},
        headers=edu,
    )
    assert tomorrow.status == 422 and "将来" in (await tomorrow.json())["error"]["message"]
    for back, incidents in ((2, []), (1, [{"summary": "校门口家长聚集"}]), (0, [])):
        day = (today - timedelta(days=back)).isoformat()
        filed = await client.post(
            "/api/v1/zero-reports", json={"date": day, "department": "jiaoyuju", "incidents": incidents}, headers=edu
        )
        assert filed.status == 201
    history = await (await client.get("/api/v1/zero-reports/history", headers=edu)).json()
    assert [r["date"] for r in history["reports"]] == [(today - timedelta(days=b)).isoformat() for b in (0, 1, 2)]
    assert [r["zero"] for r in history["reports"]] == [True, False, True]
    assert history["reports"][1]["incidents"][0]["summary"] == "校门口家长聚集"
    # another department's history is not an officer's to read
    assert (await client.get("/api/v1/zero-reports/history?department=jiaoyuju", headers=pol)).status == 403
    assert (await (await client.get("/api/v1/zero-reports/history", headers=pol)).json())["reports"] == []
