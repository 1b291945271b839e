"""The dashboard in headless Chromium: log in, find a case, answer it, and the citizen's
Telegram chat (the Bot API stand-in) receives the reply. Screenshots go to tests/screenshots/."""

from __future__ import annotations

from pathlib import Path

from bot.app import create_app
from tests.auxil.browser import ARGS, chromium_or_skip
from tests.auxil.cases import a_case, a_citizen
from tests.auxil.staff import PASSWORD, a_staff

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


async def test_staff_answer_a_case_and_the_citizen_receives_it(
    telegram, aiohttp_server, telegram_config, engine
) -> None:  # type: ignore[no-untyped-def]
    executable = chromium_or_skip()
    from playwright.async_api import async_playwright

    from bot.keys import STORE

    app = create_app(telegram_config, engine=engine)
    server = await aiohttp_server(app)
    store = app[STORE]
    await a_staff(store, "disp", "dispatcher")
    for i in range(6):  # something for the statistics
        await a_case(
            store,
            await a_citizen(store),
            f"第{i}件：小区路灯坏了，晚上很黑很危险",
            words=["小区", "路灯", "坏了", "危险"],
        )
    ticket = (
        await a_case(
            store,
            await a_citizen(store, user="900"),
            "楼道里的灯坏了半年，老人摸黑上下楼",
            words=["楼道", "灯", "坏了", "老人"],
        )
    ).case.ticket
    base = f"http://127.0.0.1:{server.port}"
    SHOTS.mkdir(exist_ok=True)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=executable, args=ARGS)
        page = await browser.new_page(viewport={"width": 1280, "height": 900})
        await page.goto(f"{base}/staff/cases")
        await page.fill("input[name=username]", "disp")
        await page.fill("input[name=password]", PASSWORD)
        await page.click("button[type=submit]")
        await page.wait_for_url(f"{base}/staff/cases")
        await page.fill("input[name=q]", "楼道")
        await page.click("text=筛选")
        await page.click(f"text={ticket}")
        await page.wait_for_url(f"{base}/staff/cases/{ticket}")
        await page.fill("form:has(input[value=reply]) textarea[name=text]", "已安排物业本周内更换楼道灯，请您留意。")
        await page.click("form:has(input[value=reply]) button")
        await page.get_by_text("并已通知信访人").wait_for()
        await page.screenshot(path=str(SHOTS / "case_page.png"), full_page=True)
        await page.goto(f"{base}/staff/stats")
        await page.get_by_text("按期办结率").wait_for()
        await page.screenshot(path=str(SHOTS / "stats_page.png"), full_page=True)
        await browser.close()
    sent = await telegram.wait_for(900, 1, timeout=20)
    assert "已安排物业本周内更换楼道灯" in sent[0].text and ticket in sent[0].text
