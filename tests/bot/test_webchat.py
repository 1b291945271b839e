"""The web chat: its JSON API, and the page itself in headless Chromium."""

from __future__ import annotations

import pytest

from backend import outbox
from backend.repo import citizens
from tests.auxil.browser import ARGS, chromium_or_skip

SESSION = "abcdef0123456789abcdef"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


async def test_the_page_is_ours_and_safe(client) -> None:  # type: ignore[no-untyped-def]
    page = await client.get("/")
    html = await page.text()
    assert page.status == 200 and "信访助手" in html
    assert "http" not in html.replace("http-equiv", "")  # no CDN: every resource is ours
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert (await client.get("/static/chat.js")).status == 200


async def test_send_returns_replies_with_buttons(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.post("/chat/api/send", json={"session": SESSION, "text": "/start", "message_id": "m1"})
    body = await response.json()
    assert "信访助手" in body["replies"][0]["text"]
    labels = [b["label"] for row in body["replies"][0]["buttons"] for b in row]
    assert "我要反映问题" in labels
    pressed = await client.post(
        "/chat/api/send", json={"session": SESSION, "button": "qa:time-limit", "message_id": "m2"}
    )
    assert "第三十四条" in (await pressed.json())["replies"][0]["text"]
    # the browser retried a message it already sent: answered once
    again = await client.post(
        "/chat/api/send", json={"session": SESSION, "button": "qa:time-limit", "message_id": "m2"}
    )
    assert (await again.json())["replies"] == []


@pytest.mark.parametrize("session", ["", "short", "bad session with spaces!", None, 5])
async def test_bad_sessions_are_refused(client, session) -> None:  # type: ignore[no-untyped-def]
    response = await client.post("/chat/api/send", json={"session": session, "text": "hi"})
    assert response.status == 400 and (await response.json())["error"]["message"]


async def test_upload_during_a_complaint(client) -> None:  # type: ignore[no-untyped-def]
    await client.post("/chat/api/send", json={"session": SESSION, "text": "/complain"})
    from aiohttp import FormData

    form = FormData()
    form.add_field("session", SESSION)
    form.add_field("file", PNG, filename="现场.png", content_type="image/png")
    body = await (await client.post("/chat/api/upload", data=form)).json()
    assert any("已收到 1 个文件" in r["text"] for r in body["replies"])


async def test_back_office_messages_arrive_by_poll(client) -> None:  # type: ignore[no-untyped-def]
    from bot.keys import STORE

    await client.post("/chat/api/send", json={"session": SESSION, "text": "/start"})
    store = client.server.app[STORE]
    async with store.unit() as uow:
        citizen = await citizens.get_or_create(uow.session, "web", SESSION, SESSION)
        assert await outbox.notify_citizen(uow.session, citizen.id, "您反映的事项已受理。")
    first = await (await client.get(f"/chat/api/poll?session={SESSION}")).json()
    second = await (await client.get(f"/chat/api/poll?session={SESSION}")).json()
    assert [m["text"] for m in first["messages"]] == ["您反映的事项已受理。"]
    assert second["messages"] == []


async def test_the_chat_in_headless_chromium(aiohttp_server, config, engine) -> None:  # type: ignore[no-untyped-def]
    executable = chromium_or_skip()
    from playwright.async_api import async_playwright

    from bot.app import create_app

    server = await aiohttp_server(create_app(config, engine=engine))
    url = f"http://127.0.0.1:{server.port}/"
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=executable, args=ARGS)
        page = await browser.new_page(viewport={"width": 375, "height": 740})  # a phone
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        await page.goto(url)
        await page.get_by_role("button", name="我要反映问题").wait_for()
        await page.fill("#input", "信访事项多久办结？")
        await page.click("#send")
        await page.get_by_text("第三十四条").first.wait_for()
        await page.get_by_role("button", name="我要反映问题").first.click()
        await page.get_by_text("怎么称呼").wait_for()
        await page.fill("#input", "<script>alert(1)</script>")
        await page.press("#input", "Enter")
        await page.get_by_text("联系电话").wait_for()
        assert await page.locator(".msg.me", has_text="<script>").count() == 1  # shown as text
        session = await page.evaluate("localStorage.getItem('xinfang-session')")
        await page.reload()  # same browser: the dialogue continues where it was
        await page.fill("#input", "13812345678")
        await page.click("#send")
        await page.get_by_text("住址").first.wait_for()
        assert await page.evaluate("localStorage.getItem('xinfang-session')") == session
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375  # no sideways scrolling on a phone
        assert errors == []
        await browser.close()


async def test_a_reload_restores_the_conversation_and_the_citizens_tickets(aiohttp_server, config, engine) -> None:  # type: ignore[no-untyped-def]
    executable = chromium_or_skip()
    from playwright.async_api import async_playwright

    from bot.app import create_app
    from bot.keys import STORE
    from tests.auxil.cases import a_case

    app = create_app(config, engine=engine)
    server = await aiohttp_server(app)
    async with app[STORE].unit() as uow:
        citizen = await citizens.get_or_create(uow.session, "web", SESSION, SESSION)
    ticket = (await a_case(app[STORE], citizen.id)).case.ticket
    url = f"http://127.0.0.1:{server.port}/"
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=executable, args=ARGS)
        page = await browser.new_page(viewport={"width": 375, "height": 740})
        await page.add_init_script(
            f"localStorage.getItem('xinfang-session') || localStorage.setItem('xinfang-session', '{SESSION}')"
        )
        await page.goto(url)
        await page.get_by_text(ticket).wait_for()  # the citizen's case, with its status
        await page.fill("#input", "信访事项多久办结？")
        await page.click("#send")
        await page.get_by_text("第三十四条").first.wait_for()
        await page.reload()
        await page.get_by_text("以上是您在本机之前的对话").wait_for()
        assert await page.locator(".msg.me", has_text="信访事项多久办结").count() == 1
        assert await page.locator(".msg.bot", has_text="第三十四条").count() >= 1
        assert await page.locator("#mine", has_text=ticket).count() == 1
        await browser.close()


async def test_the_cases_of_a_browser_are_its_own(client) -> None:  # type: ignore[no-untyped-def]
    empty = await (await client.get(f"/chat/api/cases?session={SESSION}")).json()
    assert empty == {"cases": []}
    assert (await client.get("/chat/api/cases?session=bad")).status == 400
