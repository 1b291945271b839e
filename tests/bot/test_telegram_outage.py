"""The Bot API unreachable (refused connections, 5xx) at start or while running: the server keeps
serving the web chat, the API and the dashboard, /healthz reports Telegram unavailable, the logs
say so in one line (no tracebacks), and the bot carries on by itself once the API is back."""

from __future__ import annotations

import logging
import time

import pytest

from bot.app import create_app


async def _health(client) -> dict:  # type: ignore[no-untyped-def]
    response = await client.get("/healthz")
    assert response.status == 200  # Telegram down is no reason to take the web service out
    return await response.json()


async def _wait_health(client, telegram_state: str, timeout: float = 20.0) -> dict:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while (body := await _health(client))["telegram"] != telegram_state:
        if time.monotonic() > deadline:
            raise TimeoutError(f"/healthz still says {body}")
        await _sleep(0.1)
    return body


async def _sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


async def _web_still_works(client) -> None:  # type: ignore[no-untyped-def]
    asked = await client.post("/api/v1/ask", json={"q": "信访事项多久办结？"})
    assert asked.status == 200
    assert {"source": "信访工作条例", "article": 34} in (await asked.json())["citations"]
    chat = await client.post("/chat/api/send", json={"session": "s" * 16, "text": "/start"})
    assert chat.status == 200
    login = await client.get("/staff/login")
    assert login.status == 200


def _telegram_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith(("bot.telegram", "telegram")) and r.levelno >= logging.INFO]


@pytest.fixture
def fast_retry(telegram_config):  # type: ignore[no-untyped-def]
    return telegram_config.model_copy(update={"telegram_retry_max": 0.5})


async def test_polling_with_the_api_unreachable_at_start_serves_everything_and_connects_later(
    telegram, fast_retry, engine, aiohttp_client, caplog
) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO)
    await telegram.close()  # nothing listens on the API's port: connections are refused
    client = await aiohttp_client(create_app(fast_retry, engine=engine))
    body = await _health(client)
    assert body == {"status": "degraded", "db": "ok", "telegram": "unavailable"}
    await _web_still_works(client)
    await _sleep(2.0)  # several attempts fail meanwhile
    records = _telegram_records(caplog)
    assert not [r for r in records if r.exc_info], "no tracebacks for an unreachable API"
    assert len([r for r in records if r.levelno >= logging.WARNING]) == 1, [r.getMessage() for r in records]
    assert "Telegram" in records[0].getMessage() and "不可用" in records[0].getMessage()

    telegram.push_message(71_001, "/start")  # waits at Telegram meanwhile
    await telegram.start()  # the API is back, on the same address
    assert (await _wait_health(client, "ok"))["status"] == "ok"
    sent = await telegram.wait_for(71_001, 1)
    assert "信访助手" in sent[0].text
    assert {c["command"] for c in telegram.commands} >= {"start", "complain"}


async def test_polling_survives_the_api_going_away_while_running(
    telegram, fast_retry, engine, aiohttp_client, caplog
) -> None:  # type: ignore[no-untyped-def]
    client = await aiohttp_client(create_app(fast_retry, engine=engine))
    await _wait_health(client, "ok")
    telegram.push_message(71_002, "/help")
    await telegram.wait_for(71_002, 1)

    caplog.set_level(logging.INFO)
    caplog.clear()
    await telegram.close()
    await _wait_health(client, "unavailable")
    await _web_still_works(client)
    await _sleep(1.5)
    telegram.push_message(71_002, "信访事项多久办结？")
    await telegram.start()
    await _wait_health(client, "ok")
    sent = await telegram.wait_for(71_002, 2)
    assert "第三十四条" in sent[1].text
    records = _telegram_records(caplog)
    assert not [r for r in records if r.exc_info]
    assert len([r for r in records if r.levelno >= logging.WARNING]) <= 2, [r.getMessage() for r in records]


async def test_webhook_mode_with_the_api_answering_5xx_registers_the_webhook_once_it_recovers(
    telegram, fast_retry, engine, aiohttp_client
) -> None:  # type: ignore[no-untyped-def]
    from bot.telegram.runtime import SECRET_HEADER, webhook_secret
    from tests.auxil.bot_api import message_update

    config = fast_retry.model_copy(update={"telegram_webhook_url": "https://bot.example.org/telegram/hook"})
    telegram.failing = 502
    client = await aiohttp_client(create_app(config, engine=engine))
    assert (await _health(client))["telegram"] == "unavailable"
    await _web_still_works(client)
    # Telegram can still reach us: the update is stored, and answered when the API is back
    hook = await client.post(
        "/telegram/hook", json=message_update(1, 71_003, "/start"), headers={SECRET_HEADER: webhook_secret(config)}
    )
    assert hook.status in (200, 503)  # stored, or refused (Telegram delivers it again): never lost
    telegram.failing = None
    await _wait_health(client, "ok")
    assert telegram.webhook["url"] == "https://bot.example.org/telegram/hook"
    if hook.status == 503:
        await client.post(
            "/telegram/hook", json=message_update(1, 71_003, "/start"), headers={SECRET_HEADER: webhook_secret(config)}
        )
    sent = await telegram.wait_for(71_003, 1)
    assert "信访助手" in sent[0].text
    # and later, a failure while running is seen and recovered from
    telegram.failing = 503
    await client.post(
        "/telegram/hook", json=message_update(2, 71_003, "/help"), headers={SECRET_HEADER: webhook_secret(config)}
    )
    await _wait_health(client, "unavailable")
    telegram.failing = None
    await _wait_health(client, "ok")
    sent = await telegram.wait_for(71_003, 2)
    assert "使用方法" in sent[1].text
