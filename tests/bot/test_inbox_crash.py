"""Nothing acknowledged is lost (issue 12): a real `xinfang run` acknowledges webhook updates,
is killed with SIGKILL while its replies cannot get out, and after a restart every update is
answered exactly once — on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from collections import Counter

import aiohttp
import pytest

from bot.config import Config
from bot.telegram.runtime import SECRET_HEADER, webhook_secret
from tests.auxil.bot_api import TOKEN
from tests.auxil.bot_api import message_update as update
from tests.auxil.server import Server

SECRET = "crash-test-secret-key"
# three turns per citizen; each answer has a mark of its own
TURNS = (("/start", "信访助手"), ("/help", "使用方法"), ("信访事项多久办结？", "第三十四条"))


def server_env(database_url: str, api_base: str, data_dir) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "DATABASE_URL": database_url,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api_base,
        "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/telegram/hook",
        "XINFANG_SECRET_KEY": SECRET,
        "XINFANG_DATA_DIR": str(data_dir),
        "XINFANG_INBOX_GRACE": "0.5",
        "XINFANG_INSTANCE_TTL": "3",
    }


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_acknowledged_updates_survive_kill_9_and_are_answered_once(telegram, database_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    users = [70_001 + i for i in range(8)]
    server = Server(server_env(database_url, telegram.base_url, tmp_path / "data"), tmp_path / "server.log")
    secret = webhook_secret(Config(secret_key=SECRET, _env_file=None))
    telegram.hold_sends = True  # replies cannot get out: they are owed when the process dies
    server.start()
    try:
        await server.wait_healthy()
        acknowledged = 0
        async with aiohttp.ClientSession() as http:
            update_id = 1
            for text, _ in TURNS:
                for user in users:
                    async with http.post(
                        f"{server.url}/telegram/hook",
                        json=update(update_id, user, text),
                        headers={SECRET_HEADER: secret},
                    ) as response:
                        assert response.status == 200, await response.text()
                        acknowledged += 1
                    update_id += 1
        assert acknowledged == len(users) * len(TURNS)
        await telegram.wait_until(lambda: telegram.held >= len(users), timeout=30)  # first answers handled, stuck
        server.kill()
        await asyncio.sleep(0.5)  # the stand-in sees the dead process's connections close
        assert not telegram.sent
        telegram.release_sends()
        server.start()
        await server.wait_healthy()
        await telegram.wait_until(lambda: len(telegram.sent) >= acknowledged, timeout=60)
        await asyncio.sleep(1.5)  # anything sent twice would arrive by now
    finally:
        server.kill()
    counts = Counter(s.chat_id for s in telegram.sent)
    assert counts == dict.fromkeys(users, len(TURNS)), server.tail()
    for user in users:
        texts = [s.text for s in telegram.to(user)]
        assert all(any(mark in t for t in texts) for _, mark in TURNS), texts
