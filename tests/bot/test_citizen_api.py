"""A citizen's lookup by 受理编号 + phone (POST /api/v1/status): the same 404 for a wrong phone
and an unknown number, only what the citizen may see, and a limit on guessing."""

from __future__ import annotations

from tests.auxil.cases import a_case, a_citizen
from tests.auxil.staff import a_staff, api_token


async def test_the_right_phone_shows_the_progress_without_internal_notes(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    ticket = (await a_case(store, await a_citizen(store))).case.ticket
    headers = await api_token(client, "disp")
    await client.post(f"/api/v1/cases/{ticket}/actions", json={"action": "accept"}, headers=headers)
    await client.post(
        f"/api/v1/cases/{ticket}/actions", json={"action": "note", "text": "内部：此人多次来访"}, headers=headers
    )
    await client.post(
        f"/api/v1/cases/{ticket}/actions", json={"action": "reply", "text": "已安排维修"}, headers=headers
    )
    response = await client.post("/api/v1/status", json={"ticket": ticket.lower(), "phone": "138 1234 5678"})
    assert response.status == 200
    body = await response.json()
    assert body["ticket"] == ticket and body["status"] == "accepted" and body["department"] == "chengguanju"
    assert body["due"]
    kinds = [e["kind"] for e in body["events"]]
    assert kinds[0] == "filed" and "accepted" in kinds and "note" not in kinds and "viewed_pii" not in kinds
    assert any(e.get("note") == "已安排维修" for e in body["events"])
    assert "此人多次来访" not in await response.text()


async def test_a_wrong_phone_and_an_unknown_ticket_read_the_same(client, store) -> None:  # type: ignore[no-untyped-def]
    ticket = (await a_case(store, await a_citizen(store))).case.ticket
    wrong = await client.post("/api/v1/status", json={"ticket": ticket, "phone": "13900000000"})
    unknown = await client.post("/api/v1/status", json={"ticket": "XF-20990101-0001", "phone": "13812345678"})
    assert wrong.status == unknown.status == 404
    assert await wrong.json() == await unknown.json()
    bad = await client.post("/api/v1/status", json={"ticket": ticket})
    assert bad.status == 400


async def test_guessing_is_rate_limited(client, store) -> None:  # type: ignore[no-untyped-def]
    ticket = (await a_case(store, await a_citizen(store))).case.ticket
    statuses = [
        (await client.post("/api/v1/status", json={"ticket": ticket, "phone": f"1390000{i:04d}"})).status
        for i in range(12)
    ]
    assert statuses[:10] == [404] * 10 and statuses[-1] == 429


async def test_the_chat_lookup_shows_public_replies_and_no_internal_note(client, store, assistant) -> None:  # type: ignore[no-untyped-def]
    from tests.auxil.dialogue import Citizen

    await a_staff(store, "disp", "dispatcher")
    ticket = (await a_case(store, await a_citizen(store))).case.ticket
    headers = await api_token(client, "disp")
    for action in (
        {"action": "accept"},
        {"action": "note", "text": "内部：此人多次来访"},
        {"action": "reply", "text": "已安排维修"},
    ):
        await client.post(f"/api/v1/cases/{ticket}/actions", json=action, headers=headers)
    stranger = Citizen(assistant, user_id="another-phone", channel="web")
    await stranger.send(f"查一下{ticket}，电话138 1234 5678")
    assert "已安排维修" in stranger.text and "当前状态：受理" in stranger.text
    assert "此人多次来访" not in stranger.text


async def test_the_web_status_page_asks_for_number_and_phone(client) -> None:  # type: ignore[no-untyped-def]
    page = await client.get("/status")
    assert page.status == 200 and "text/html" in page.headers["Content-Type"]
    html = await page.text()
    assert 'name="ticket"' in html and 'name="phone"' in html and "/static/status.js" in html
    script = await client.get("/static/status.js")
    assert script.status == 200 and "/api/v1/status" in await script.text()
