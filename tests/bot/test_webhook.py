"""Webhook mode: our aiohttp server takes updates at the webhook URL's path, checking the secret."""

from __future__ import annotations

from bot.app import create_app
from bot.telegram.runtime import SECRET_HEADER, webhook_secret
from tests.auxil.bot_api import message_update


def update(user: int, text: str, update_id: int) -> dict:
    return message_update(update_id, user, text)


async def test_webhook_checks_the_secret_and_processes_updates(
    telegram, aiohttp_client, telegram_config, engine
) -> None:  # type: ignore[no-untyped-def]
    config = telegram_config.model_copy(update={"telegram_webhook_url": "https://bot.example.org/telegram/hook"})
    client = await aiohttp_client(create_app(config, engine=engine))
    secret = webhook_secret(config)
    assert telegram.webhook == {"url": "https://bot.example.org/telegram/hook", "secret_token": secret}

    refused = await client.post("/telegram/hook", json=update(601, "/start", 1))
    assert refused.status == 403
    wrong = await client.post("/telegram/hook", json=update(601, "/start", 2), headers={SECRET_HEADER: "nope"})
    assert wrong.status == 403
    bad = await client.post("/telegram/hook", data=b"{not json", headers={SECRET_HEADER: secret})
    assert bad.status == 400

    accepted = await client.post("/telegram/hook", json=update(601, "/start", 3), headers={SECRET_HEADER: secret})
    assert accepted.status == 200
    sent = await telegram.wait_for(601, 1)
    assert "信访助手" in sent[0].text
    # the same update delivered again (Telegram retries when it got no answer in time)
    again = await client.post("/telegram/hook", json=update(601, "/start", 3), headers={SECRET_HEADER: secret})
    assert again.status == 200
    await client.post("/telegram/hook", json=update(601, "/help", 4), headers={SECRET_HEADER: secret})
    sent = await telegram.wait_for(601, 2)
    assert "使用方法" in sent[1].text
    assert len(telegram.to(601)) == 2
    assert telegram.calls["getUpdates"] == 0  # no polling in webhook mode
