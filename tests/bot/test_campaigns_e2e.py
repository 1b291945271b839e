"""A campaign end to end: created through the API, delivered by the server's sender through the
Bot API stand-in, a quiz answered by tapping, the counts read back."""

from __future__ import annotations

from bot.app import create_app
from tests.auxil.staff import a_staff, api_token


async def test_subscribe_receive_answer_and_count(telegram, aiohttp_client, telegram_config, engine) -> None:  # type: ignore[no-untyped-def]
    from bot.keys import STORE

    client = await aiohttp_client(create_app(telegram_config, engine=engine))
    await a_staff(client.server.app[STORE], "disp", "dispatcher")
    for user in (701, 702, 703):
        telegram.push_message(user, "/start c_1")
        await telegram.wait_for(user, 1)
    telegram.blocked.add(703)
    headers = await api_token(client, "disp")
    quiz = {
        "question": "信访事项一般多少日内办结？",
        "options": ["30 日", "60 日"],
        "answer": 1,
        "explain": "一般 60 日内办结。",
        "article": 34,
    }
    created = await client.post(
        "/api/v1/campaigns",
        json={"title": "问答", "text": "🧩 知识问答", "quiz": quiz, "topic": "daily_article"},
        headers=headers,
    )
    assert created.status == 201
    campaign_id = (await created.json())["id"]
    sent = await telegram.wait_for(701, 2)
    assert "知识问答" in sent[1].text and ("60 日", f"quiz:{campaign_id}:1") in sent[1].buttons
    assert ("退订", "sub:off") in sent[1].buttons
    telegram.push_callback(701, f"quiz:{campaign_id}:1")
    telegram.push_callback(702, f"quiz:{campaign_id}:0")
    await telegram.wait_for(701, 3)
    await telegram.wait_for(702, 3)

    async def counts() -> dict:
        return await (await client.get(f"/api/v1/campaigns/{campaign_id}", headers=headers)).json()

    await telegram.wait_until(lambda: True)
    for _ in range(100):
        body = await counts()
        if body["pending"] == 0 and body["quiz"]["answers"] == 2:
            break
        import asyncio

        await asyncio.sleep(0.05)
    assert (body["sent"], body["blocked"], body["failed"], body["pending"]) == (2, 1, 0, 0)
    assert body["quiz"] == {"answers": 2, "correct": 1, "score": 0.5}
    missing = await client.get("/api/v1/campaigns/999", headers=headers)
    assert missing.status == 404
