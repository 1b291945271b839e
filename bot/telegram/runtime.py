"""Telegram inside the aiohttp server: long polling or webhook, started and stopped in the app's
cleanup context, plus the worker that delivers the back office's messages (the outbox)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.error import Forbidden, RetryAfter, TelegramError
from telegram.ext import Application

from backend import outbox
from backend.repo import citizens
from handlers import Button, Reply

from ..config import Config
from ..keys import ASSISTANT, CONFIG, STORE
from ..send_budget import BUDGET
from ..workers import repeat_forever, stop
from .application import build_application, register_commands
from .convert import to_messages

log = logging.getLogger(__name__)

TELEGRAM = web.AppKey("telegram_application", Application)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_secret(config: Config) -> str:
    """Telegram's secret_token (1–256 of A-Z a-z 0-9 _ -), derived from our secret key."""
    return hmac.new(config.resolved_secret_key().encode(), b"telegram-webhook", hashlib.sha256).hexdigest()


def webhook_path(config: Config) -> str | None:
    return urlsplit(config.telegram_webhook_url).path or "/" if config.telegram_webhook_url else None


def setup(app: web.Application, config: Config) -> None:
    """Register the webhook route (before start-up) and the cleanup context."""
    if not config.telegram_bot_token:
        return
    path = webhook_path(config)
    if path:
        app.router.add_post(path, receive_update)
    app.cleanup_ctx.append(telegram_context)


async def receive_update(request: web.Request) -> web.Response:
    """Check Telegram's secret, queue the update, answer at once (processing happens after)."""
    config = request.app[CONFIG]
    if not hmac.compare_digest(request.headers.get(SECRET_HEADER, ""), webhook_secret(config)):
        return web.json_response({"ok": False, "error": "forbidden"}, status=403)
    application = request.app.get(TELEGRAM)
    if application is None:
        return web.json_response({"ok": False, "error": "starting"}, status=503)
    try:
        data = await request.json(loads=json.loads)
        update = Update.de_json(data, application.bot)
    except (ValueError, TypeError, KeyError):
        return web.json_response({"ok": False, "error": "bad update"}, status=400)
    if update is None:
        return web.json_response({"ok": False, "error": "bad update"}, status=400)
    await application.update_queue.put(update)
    return web.json_response({"ok": True})


async def telegram_context(app: web.Application) -> AsyncIterator[None]:
    config = app[CONFIG]
    webhook = bool(config.telegram_webhook_url)
    application = build_application(config, app[ASSISTANT], app[STORE], webhook=webhook, budget=app[BUDGET])
    await application.initialize()
    await register_commands(application)
    await application.start()
    if webhook:
        await application.bot.set_webhook(
            url=config.telegram_webhook_url or "", secret_token=webhook_secret(config), allowed_updates=Update.ALL_TYPES
        )
        log.info("Telegram webhook mode: %s", config.telegram_webhook_url)
    else:
        assert application.updater is not None
        await application.updater.start_polling(
            allowed_updates=Update.ALL_TYPES, poll_interval=0.0, timeout=config.telegram_poll_timeout
        )
        log.info("Telegram long-polling mode")
    app[TELEGRAM] = application
    deliverer = asyncio.create_task(repeat_forever("Telegram 消息投递", lambda: deliver_outbox(app), idle=1.0))
    yield
    await stop(deliverer)
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    await application.stop()
    await application.shutdown()


async def deliver_outbox(app: web.Application) -> int:
    """Send a batch of the back office's messages to Telegram; returns how many were tried."""
    store = app[STORE]
    application = app[TELEGRAM]
    async with store.unit() as uow:
        batch = [(m.id, m.chat_id, m.text, m.buttons) for m in await outbox.claim(uow.session, "telegram")]
    sent: list[int] = []
    for message_id, chat_id, text, buttons in batch:
        reply = Reply(text, tuple(tuple(Button(b["label"], b["data"]) for b in row) for row in buttons or []))
        try:
            for part in to_messages(reply):
                await application.bot.send_message(chat_id=chat_id, **part)
            sent.append(message_id)
        except Forbidden:
            async with store.unit() as uow:
                await citizens.mark_blocked(uow.session, "telegram", chat_id)
                await outbox.mark_failed(uow.session, message_id, "blocked by the user", final=True)
        except RetryAfter as exc:
            # Telegram asks us to pause: the message waits, it is not dropped
            async with store.unit() as uow:
                await outbox.mark_sent(uow.session, sent)
                await outbox.mark_failed(uow.session, message_id, f"retry after {exc.retry_after}")
            sent = []
            await asyncio.sleep(
                float(exc.retry_after if isinstance(exc.retry_after, int | float) else exc.retry_after.total_seconds())
            )
        except TelegramError as exc:
            async with store.unit() as uow:
                await outbox.mark_failed(uow.session, message_id, str(exc))
    if sent:
        async with store.unit() as uow:
            await outbox.mark_sent(uow.session, sent)
    return len(batch)
