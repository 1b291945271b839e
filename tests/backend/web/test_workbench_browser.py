"""The workbench in headless Chromium: registering a letter with its scan, assigning it, the
bulletin, and the case list's sort and search. Screenshots go to tests/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import create_app
from bot.keys import STORE
from tests.auxil.browser import ARGS, chromium_or_skip
from tests.auxil.cases import a_case, a_citizen
from tests.auxil.staff import PASSWORD, a_staff

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture
async def browser_app(aiohttp_server, config, engine):  # type: ignore[no-untyped-def]
    executable = chromium_or_skip()
    from playwright.async_api import async_playwright

    app = create_app(config, engine=engine)
    server = await aiohttp_server(app)
    SHOTS.mkdir(exist_ok=True)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=executable, args=ARGS)
        yield app[STORE], f"http://127.0.0.1:{server.port}", browser
        await browser.close()


async def sign_in(browser, base: str, username: str):  # type: ignore[no-untyped-def]
    page = await browser.new_page(viewport={"width": 1280, "height": 900})
    await page.goto(f"{base}/staff/login")
    await page.fill("input[name=username]", username)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url(f"{base}/staff/cases")
    return page


async def test_registering_a_letter_with_its_scan(browser_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    store, base, browser = browser_app
    await a_staff(store, "disp", "dispatcher")
    page = await sign_in(browser, base, "disp")
    await page.click("text=登记来信来访")
    await page.wait_for_url(f"{base}/staff/register")
    await page.fill("textarea[name=facts]", "太短")  # refused, and the form keeps what was typed
    await page.fill("textarea[name=request]", "修路灯")
    await page.click("button:text('登记')")
    await page.get_by_text("至少 10 个字").first.wait_for()
    assert await page.input_value("textarea[name=request]") == "修路灯"
    scan = tmp_path / "来信.pdf"
    scan.write_bytes(b"%PDF-1.4 scanned letter")
    await page.fill("input[name=name]", "李四")
    await page.fill("input[name=phone]", "13907312233")
    await page.fill("input[name=address]", "A市A3区桂花路12号")
    await page.fill("textarea[name=facts]", "小区门口的路灯坏了三个月，晚上老人出门很危险")
    await page.set_input_files("input[name=scan]", str(scan))
    await page.screenshot(path=str(SHOTS / "register_page.png"), full_page=True)
    await page.click("button:text('登记')")
    await page.get_by_text("您是首接首办人").wait_for()
    assert "/staff/cases/XF-" in page.url
    body = await page.inner_text("main")
    assert "来信.pdf" in body and "李四" in body
    await page.screenshot(path=str(SHOTS / "registered_case.png"), full_page=True)


async def test_assigning_a_case_puts_it_in_the_officers_own_list(browser_app) -> None:  # type: ignore[no-untyped-def]
    store, base, browser = browser_app
    await a_staff(store, "disp", "dispatcher")
    await a_staff(store, "wang", "officer", "chengguanju")
    ticket = (await a_case(store, await a_citizen(store))).case.ticket
    page = await sign_in(browser, base, "disp")
    await page.goto(f"{base}/staff/cases/{ticket}")
    await page.select_option("form:has(input[value=assign]) select[name=staff]", "wang")
    await page.click("form:has(input[value=assign]) button")
    await page.get_by_text("已保存").wait_for()
    assert "首办责任人：wang" in await page.inner_text("main")
    await page.fill("form:has(input[value=note]) textarea[name=text]", "已电话联系信访人，约定周五回访")
    await page.click("form:has(input[value=note]) button")
    await page.get_by_text("已电话联系信访人").wait_for()
    await page.screenshot(path=str(SHOTS / "assigned_case.png"), full_page=True)
    officer = await sign_in(browser, base, "wang")
    await officer.click("text=我的案件")
    await officer.wait_for_url(f"{base}/staff/cases?assignee=me")
    assert ticket in await officer.inner_text("table.cases")


async def test_the_bulletin_prints_the_departments_league(browser_app) -> None:  # type: ignore[no-untyped-def]
    store, base, browser = browser_app
    await a_staff(store, "boss", "leader")
    for facts in ("路灯坏了三个月没人修", "小区路灯又坏了，晚上很黑"):
        await a_case(store, await a_citizen(store), facts)
    page = await sign_in(browser, base, "boss")
    await page.click("text=督查通报")
    await page.fill("input[name=month]", "2026-11")
    await page.click("text=生成")
    await page.wait_for_url(f"{base}/staff/bulletin?month=2026-11")
    league = await page.inner_text("table.league")
    assert "城市管理和综合执法局" in league
    row = page.locator("table.league tbody tr").first
    assert (await row.locator("td").nth(0).inner_text()) == "1" and (await row.locator("td").nth(2).inner_text()) == "2"
    await page.emulate_media(media="print")
    assert not await page.locator("header.top").is_visible()  # the navigation is not printed
    await page.screenshot(path=str(SHOTS / "bulletin_print.png"), full_page=True)


async def test_the_list_sorts_by_a_column_searches_and_jumps_to_a_page(browser_app) -> None:  # type: ignore[no-untyped-def]
    store, base, browser = browser_app
    await a_staff(store, "disp", "dispatcher")
    made = [
        (await a_case(store, await a_citizen(store), f"第{i}件事情：小区路灯坏了", phone=f"1390000{i:04d}")).case.ticket
        for i in range(55)
    ]
    page = await sign_in(browser, base, "disp")
    first = page.locator("table.cases tbody tr td:nth-child(2) a").first
    assert await first.inner_text() == made[-1]  # newest first
    await page.click("table.cases th >> text=受理编号")
    await page.wait_for_url("**sort=ticket**")
    assert await first.inner_text() == made[0]
    await page.click("table.cases th >> text=受理编号")  # again: the other way round
    await page.wait_for_url("**sort=-ticket**")
    assert await first.inner_text() == made[-1]
    await page.fill(".jump input[name=page]", "2")
    await page.click(".jump button")
    await page.wait_for_url("**page=2**")
    assert await first.inner_text() == made[4] and "sort=-ticket" in page.url  # the sort is kept
    await page.fill("input[name=q]", "0007")  # a phone's last digits
    await page.click("text=筛选")
    await page.wait_for_url("**q=0007**")
    assert await page.locator("table.cases tbody tr").count() == 1 and await first.inner_text() == made[7]
    await page.screenshot(path=str(SHOTS / "case_list.png"), full_page=True)
