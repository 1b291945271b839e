"""`xinfang run` with the database down at start (issue 12): it serves /healthz (503 degraded)
and the web chat (a polite 「系统暂时忙」, the citizen's text kept), retries the migration in the
background, and when the database comes up carries on without a restart."""

from __future__ import annotations

import aiohttp
import pytest

from tests.auxil.postgres import create_database, drop_database, unavailable_reason
from tests.auxil.proxy import Forwarder
from tests.auxil.server import Server, free_port

SESSION = "s" * 8 + "0123456789abcdef"


@pytest.fixture
async def pg_database():  # type: ignore[no-untyped-def]
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"PostgreSQL is not reachable at 127.0.0.1:5432 ({reason}); .ci/run starts it")
    url = await create_database()
    yield url
    await drop_database(url)


async def test_run_starts_degraded_and_recovers_when_the_database_comes_up(pg_database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    name = pg_database.rsplit("/", 1)[1]
    proxy = Forwarder("127.0.0.1", 5432, port)  # closed: nothing listens there yet
    env = {
        "DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:{port}/{name}",
        "XINFANG_SECRET_KEY": "db-down-test",
        "XINFANG_DATA_DIR": str(tmp_path / "data"),
        "TELEGRAM_BOT_TOKEN": "",
    }
    server = Server(env, tmp_path / "server.log")
    server.start()
    try:
        await server.wait_healthy(status=503)
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{server.url}/healthz") as response:
                assert response.status == 503
                assert await response.json() == {"status": "degraded", "db": "unavailable"}
            question = {"session": SESSION, "text": "信访事项多久办结？", "message_id": "m1"}
            async with http.post(f"{server.url}/chat/api/send", json=question) as response:
                assert response.status == 200
                replies = (await response.json())["replies"]
            assert "系统暂时忙" in replies[0]["text"]
            retry = next(b["data"] for row in replies[0]["buttons"] for b in row)

            await proxy.open()  # the database comes up
            await server.wait_healthy(status=200, timeout=60)
            async with http.get(f"{server.url}/healthz") as response:
                assert await response.json() == {"status": "ok", "db": "ok"}
            # the kept text is answered when the citizen presses 重试 — no restart, nothing retyped
            async with http.post(f"{server.url}/chat/api/send", json={"session": SESSION, "button": retry}) as response:
                replies = (await response.json())["replies"]
            assert "第三十四条" in replies[0]["text"]
            async with http.get(f"{server.url}/staff/login") as response:
                assert response.status == 200
    finally:
        server.kill()
        await proxy.close()


async def test_telegram_during_an_outage_is_told_once_and_answered_after(
    pg_database, telegram, telegram_config, engine, aiohttp_server
) -> None:  # type: ignore[no-untyped-def]
    from bot.app import create_app
    from bot.telegram.application import DELAYED

    port = free_port()
    name = pg_database.rsplit("/", 1)[1]
    proxy = Forwarder("127.0.0.1", 5432, port)
    await proxy.open()
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{port}/{name}"
    await aiohttp_server(create_app(telegram_config.model_copy(update={"database_url": url}), engine=engine))
    try:
        telegram.push_message(91_001, "/help")
        assert "使用方法" in (await telegram.wait_for(91_001, 1))[0].text
        await proxy.close()  # the database goes away
        telegram.push_message(91_001, "信访事项多久办结？")
        telegram.push_message(91_001, "能不能匿名？")
        sent = await telegram.wait_for(91_001, 2, timeout=30)
        assert sent[1].text == DELAYED  # told once that the messages are kept
        await proxy.open()
        sent = await telegram.wait_for(91_001, 4, timeout=60)
        assert "第三十四条" in sent[2].text and "匿名" in sent[3].text
        assert [s.text for s in sent].count(DELAYED) == 1
    finally:
        await proxy.close()
