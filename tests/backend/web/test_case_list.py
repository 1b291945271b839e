"""The case list: sort by any column, page jump, search by name, phone digits and ticket prefix
(not where 条例第三十条 hides who the complainant is), bulk 转送 and 指定, capped counts."""

from __future__ import annotations

import re

from sqlalchemy import update

from backend.models import Case
from backend.repo import case_list
from tests.auxil.cases import a_case, a_citizen
from tests.auxil.staff import a_staff, api_token, log_in


async def tickets(client, headers, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    body = await (await client.get(f"/api/v1/cases?{query}", headers=headers)).json()
    return [c["ticket"] for c in body["cases"]]


async def test_sorting_by_every_column_and_jumping_to_a_page(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    made = []
    for i, (department, category) in enumerate(
        [("jiaoyuju", "教育文体"), ("chengguanju", "城乡建设"), ("zhujianju", "城乡建设"), ("gonganju", "公安")]
    ):
        made.append(
            (
                await a_case(
                    store, await a_citizen(store), f"第{i}件不同的事情", department=department, category=category
                )
            ).case.ticket
        )
    headers = await api_token(client, "disp")
    assert await tickets(client, headers, "") == made[::-1]  # newest first by default
    assert await tickets(client, headers, "sort=ticket") == made
    assert await tickets(client, headers, "sort=-ticket") == made[::-1]
    by_department = await tickets(client, headers, "sort=department")
    assert by_department == [made[1], made[3], made[0], made[2]]  # chengguanju, gonganju, jiaoyuju, zhujianju
    for column in case_list.SORTS:
        for direction in ("", "-"):
            assert sorted(await tickets(client, headers, f"sort={direction}{column}")) == sorted(made)
    second = await (await client.get("/api/v1/cases?per_page=3&page=2", headers=headers)).json()
    assert [c["ticket"] for c in second["cases"]] == [made[0]] and second["total"] == 4
    beyond = await (await client.get("/api/v1/cases?per_page=3&page=99", headers=headers)).json()
    assert beyond["page"] == 2  # a page past the end shows the last one
    await log_in(client, "disp")
    page = await (await client.get("/staff/cases?sort=-due")).text()
    assert "期限 ▼" in page


async def test_search_by_name_phone_digits_and_ticket_prefix(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    headers = await api_token(client, "disp")
    first = (
        await a_case(store, await a_citizen(store), "路灯坏了", words=["路灯", "坏了"], phone="13911112222")
    ).case.ticket
    second = (await a_case(store, await a_citizen(store), "垃圾没人清运", phone="13933334444")).case.ticket
    async with store.unit() as uow:
        await uow.session.execute(update(Case).where(Case.ticket == second).values(name="欧阳娜娜"))
    assert await tickets(client, headers, "q=欧阳") == [second]
    assert await tickets(client, headers, "q=欧阳娜娜") == [second]
    assert await tickets(client, headers, "q=2222") == [first]
    assert await tickets(client, headers, "q=33334444") == [second]
    assert sorted(await tickets(client, headers, f"q={first[:11]}")) == sorted([first, second])  # XF-YYYYMMDD
    assert await tickets(client, headers, f"q={second.lower()}") == [second]
    assert await tickets(client, headers, "q=路灯") == [first]  # words still work


async def test_an_officer_cannot_find_a_whistleblower_by_name(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "off", "officer", "chengguanju")
    await a_staff(store, "disp", "dispatcher")
    report = (
        await a_case(store, await a_citizen(store), "城管队员收受摊贩好处费", kind="report", phone="13955556666")
    ).case.ticket
    plain = (await a_case(store, await a_citizen(store), "路灯坏了", phone="13955557777")).case.ticket
    headers = await api_token(client, "off")
    assert await tickets(client, headers, "q=张三") == [plain]  # the report's 张三 is not found by name
    assert await tickets(client, headers, "q=6666") == []
    assert report not in await tickets(client, headers, "")  # a report about 城管 goes to the 纪委监委 (条例第三十条)
    # the 信访部门 routes it, but does not learn who made it either
    headers = await api_token(client, "disp")
    assert await tickets(client, headers, "q=张三") == [plain] and await tickets(client, headers, "q=6666") == []
    assert report in await tickets(client, headers, "")


async def test_bulk_route_and_assign(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    await a_staff(store, "wang", "officer", "jiaoyuju")
    made = [
        (await a_case(store, await a_citizen(store), f"学校的事情{i}", needs_triage=True, department=None)).case.ticket
        for i in range(3)
    ]
    csrf = await log_in(client, "disp")
    page = await client.post(
        "/staff/cases/bulk",
        data=[
            ("csrf_token", csrf),
            ("action", "route"),
            ("department", "jiaoyuju"),
            ("back", "/staff/cases?queue=triage"),
            *[("ticket", t) for t in made[:2]],
            ("ticket", "XF-20000101-0001"),
        ],
    )
    html = await page.text()
    assert "已处理 2 件" in html and "XF-20000101-0001（未找到）" in html
    page = await client.post(
        "/staff/cases/bulk",
        data=[("csrf_token", csrf), ("action", "assign"), ("staff", "wang"), *[("ticket", t) for t in made]],
    )
    assert "已处理 3 件" in await page.text()
    headers = await api_token(client, "wang")
    assert sorted(await tickets(client, headers, "assignee=me")) == sorted(made)
    client.session.cookie_jar.clear()
    csrf = await log_in(client, "wang")
    refused = await client.post(
        "/staff/cases/bulk", data={"csrf_token": csrf, "action": "assign", "staff": "wang", "ticket": made[0]}
    )
    assert refused.status == 403


async def test_the_transfer_menu_starts_at_the_suggested_department(client, store) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from backend.models import CaseEvent

    await a_staff(store, "disp", "dispatcher")
    ticket = (
        await a_case(store, await a_citizen(store), "孩子学校乱收费", needs_triage=True, department=None)
    ).case.ticket
    async with store.unit() as uow:  # the keywords suggested 教育局 but were not sure enough to route
        event = await uow.session.scalar(select(CaseEvent).where(CaseEvent.kind == "triage"))
        event.data = {**event.data, "department": "jiaoyuju"}
    await log_in(client, "disp")
    html = await (await client.get(f"/staff/cases/{ticket}")).text()
    menu = html[html.index('name="department"') :]
    menu = menu[: menu.index("</select>")]
    assert re.search(r'<option value="jiaoyuju" selected>', menu)
    assert menu.count("selected") == 1


async def test_counts_are_capped(store) -> None:  # type: ignore[no-untyped-def]
    from backend.auth import Viewer

    for i in range(5):
        await a_case(store, await a_citizen(store), f"事情{i}")
    viewer = Viewer(1, "disp", "d", "dispatcher", None)
    async with store.unit() as uow:
        rows, total = await case_list.list_cases(uow.session, viewer, case_list.CaseFilter(per_page=2), None, cap=3)  # type: ignore[arg-type]
    assert total == 4 and len(rows) == 2  # "3+": counted no further than the cap


async def test_live_cases_come_first_nearest_deadline_first_then_the_historic_ones(client, store) -> None:  # type: ignore[no-untyped-def]
    """After `xinfang demo load` thousands of historic cases are newer rows than the live ones:
    the default order must not bury the cases with a deadline running."""
    from datetime import date

    await a_staff(store, "disp", "dispatcher")
    later = (await a_case(store, await a_citizen(store), "第一件：路灯坏了", today=date(2026, 11, 20))).case.ticket
    sooner = (await a_case(store, await a_citizen(store), "第二件：井盖丢了", today=date(2026, 11, 10))).case.ticket
    history = []
    for i in range(3):  # filed after the live ones, as a demo load is
        filed = (await a_case(store, await a_citizen(store), f"第{i}件往年的事情", today=date(2025, 3, 1 + i))).case
        async with store.unit() as uow:
            await uow.session.execute(update(Case).where(Case.id == filed.id).values(status="closed", due_on=None))
        history.append(filed.ticket)
    headers = await api_token(client, "disp")
    assert await tickets(client, headers, "") == [sooner, later, *history[::-1]]
    second = await (await client.get("/api/v1/cases?per_page=2&page=2", headers=headers)).json()
    assert [c["ticket"] for c in second["cases"]] == history[::-1][:2]
    await log_in(client, "disp")
    page = await (await client.get("/staff/cases")).text()
    assert page.index(sooner) < page.index(later) < page.index(history[-1])
