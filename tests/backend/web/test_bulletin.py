"""督查通报: per department received, concluded, overdue, on-time, satisfaction (with its count
of ratings), 一次性化解, ranked; for the 信访部门 and leaders only."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update

from backend.models import Case
from tests.auxil.cases import a_case, a_citizen
from tests.auxil.staff import a_staff, api_token, log_in

MONTH = "2026-11"


async def _concluded(store, facts, department, category, *, done, due, satisfaction=None, stage=0):  # type: ignore[no-untyped-def]
    ticket = (await a_case(store, await a_citizen(store), facts, department=department, category=category)).case.ticket
    async with store.unit() as uow:
        await uow.session.execute(
            update(Case)
            .where(Case.ticket == ticket)
            .values(
                status="concluded",
                accepted_on=date(2026, 11, 1),
                concluded_on=done,
                conclude_due=due,
                satisfaction=satisfaction,
                review_stage=stage,
                due_on=None,
            )
        )
    return ticket


async def test_the_months_league(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    # 城管局: two concluded on time (one rated 满意), one late
    await _concluded(
        store,
        "路灯坏了一",
        "chengguanju",
        "城乡建设",
        done=date(2026, 11, 20),
        due=date(2026, 12, 1),
        satisfaction="满意",
    )
    await _concluded(store, "路灯坏了二", "chengguanju", "城乡建设", done=date(2026, 11, 21), due=date(2026, 12, 1))
    await _concluded(
        store,
        "路灯坏了三",
        "chengguanju",
        "城乡建设",
        done=date(2026, 11, 22),
        due=date(2026, 11, 10),
        satisfaction="不满意",
    )
    # 教育局: one concluded on time and rated, but 复查 was asked: not 一次性化解
    await _concluded(
        store,
        "学校补课收费",
        "jiaoyuju",
        "教育文体",
        done=date(2026, 11, 15),
        due=date(2026, 12, 1),
        satisfaction="基本满意",
        stage=1,
    )
    headers = await api_token(client, "disp")
    response = await client.get(f"/api/v1/reports/bulletin?month={MONTH}", headers=headers)
    assert response.status == 200
    body = await response.json()
    assert body["month"] == MONTH
    rows = {r["department"]: r for r in body["departments"]}
    city = rows["chengguanju"]
    assert (city["received"], city["concluded"], city["overdue"]) == (3, 3, 1)
    assert city["on_time_rate"] == round(2 / 3, 4) and city["one_time_rate"] == 1.0
    assert city["satisfaction_rate"] == 0.5 and city["satisfaction_count"] == 2
    edu = rows["jiaoyuju"]
    assert edu["satisfaction_rate"] == 1.0 and edu["satisfaction_count"] == 1 and edu["one_time_rate"] == 0.0
    assert {city["rank"], edu["rank"]} == {1, 2}
    quiet = [r for r in body["departments"] if r["department"] not in ("chengguanju", "jiaoyuju")]
    assert all(r["rank"] > 2 and r["received"] == 0 and r["on_time_rate"] is None for r in quiet)
    for key in (
        "department",
        "name",
        "received",
        "concluded",
        "overdue",
        "on_time_rate",
        "satisfaction_rate",
        "one_time_rate",
        "rank",
    ):
        assert key in city
    bad = await client.get("/api/v1/reports/bulletin?month=2026-13", headers=headers)
    assert bad.status == 422


async def test_who_may_read_it(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "boss", "leader")
    await a_staff(store, "wang", "officer", "chengguanju")
    assert (await client.get("/api/v1/reports/bulletin", headers=await api_token(client, "boss"))).status == 200
    refused = await client.get("/api/v1/reports/bulletin", headers=await api_token(client, "wang"))
    assert refused.status == 403 and (await refused.json())["error"]["code"] == "forbidden"
    await log_in(client, "wang")
    assert (await client.get("/staff/bulletin")).status == 403
