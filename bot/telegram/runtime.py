"""Telegram inside the aiohttp server: webhook or long polling into the durable inbox, the
pipeline that works it, and (with workers) the delivery of the back office's messages (outbox).

Nothing is acknowledged before it is stored: the webhook answers 200 only after the update is
committed to the inbox (503 while the database is down, so Telegram keeps it and retries), and
long polling asks for the next batch — which is what confirms the last one to Telegram — only
after the batch is committed. Only one process may long-poll a bot; several processes share a
bot through the webhook.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.error import Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application

from backend import outbox
from backend.db import SoleHolder, is_sqlite
from backend.errors import StoreUnavailable
from backend.repo import citizens, updates
from backend.store import Store
from handlers import Button, Reply

from ..config import Config
from ..keys import ASSISTANT, CONFIG, DATABASE, STORE
from ..send_budget import BUDGET
from ..workers import repeat_forever, stop
from .application import TelegramTurns, build_application, chat_key, register_commands
from .convert import to_messages
from .link import LINK, TelegramLink
from .pipeline import Pipeline, new_instance_id

log = logging.getLogger(__name__)

TELEGRAM = web.AppKey("telegram_application", Application)


@dataclass
class Connected:
    """What exists once the Bot API has answered (set in place: the app is running by then)."""

    turns: TelegramTurns | None = None
    pipeline: Pipeline | None = None


CONNECTED = web.AppKey("telegram_connected", Connected)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
POLLING_LOCK = "telegram-long-polling"
FIRST_TRY = 10.0  # s: how long start-up waits for the Bot API before going on without it

# ── 用户可见文字（日志与启动提示） ─────────────────────────────────────────────
POLLING_REFUSED = (
    "另一个进程已在对这个机器人做长轮询（long polling），本进程不再轮询。"
    "多个进程共用一个机器人时请用 webhook 模式（设置 TELEGRAM_WEBHOOK_URL），"
    "或只让一个进程轮询，其余进程用 --no-telegram 启动。"
)
# ─────────────────────────────────────────────────────────────────────────────


class PollingRefused(RuntimeError):
    """Another process already long-polls this bot."""


def webhook_secret(config: Config) -> str:
    """Telegram's secret_token (1–256 of A-Z a-z 0-9 _ -), derived from our secret key."""
    return hmac.new(config.resolved_secret_key().encode(), b"telegram-webhook", hashlib.sha256).hexdigest()


def webhook_path(config: Config) -> str | None:
    return urlsplit(config.telegram_webhook_url).path or "/" if config.telegram_webhook_url else None


def setup(app: web.Application, config: Config) -> None:
    """Register the webhook route (before start-up) and the cleanup context."""
    if not config.telegram_bot_token or not config.run_telegram:
        return
    path = webhook_path(config)
    if path and config.serve_citizens:
        app.router.add_post(path, receive_update)
    app.cleanup_ctx.append(telegram_context)


async def store_updates(store: Store, pipeline: Pipeline, payloads: list[dict]) -> None:
    """Commit updates to the inbox (StoreUnavailable: nothing stored), then work them here."""
    rows = [(int(p["update_id"]), chat_key(p), p) for p in payloads]
    async with store.unit() as uow:
        stored = await updates.store(uow.session, "telegram", rows)
    for row in stored:
        pipeline.kick(row.chat_key, row)


async def receive_update(request: web.Request) -> web.Response:
    """Check Telegram's secret, commit the update to the inbox, then answer 200."""
    config = request.app[CONFIG]
    if not hmac.compare_digest(request.headers.get(SECRET_HEADER, ""), webhook_secret(config)):
        return web.json_response({"ok": False, "error": "forbidden"}, status=403)
    connected = request.app[CONNECTED]
    pipeline, turns = connected.pipeline, connected.turns
    if pipeline is None or turns is None:  # not connected yet: Telegram delivers it again later
        return web.json_response({"ok": False, "error": "starting"}, status=503)
    try:
        data = await request.json(loads=json.loads)
    except (ValueError, TypeError):
        return web.json_response({"ok": False, "error": "bad update"}, status=400)
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int) or isinstance(data["update_id"], bool):
        return web.json_response({"ok": False, "error": "bad update"}, status=400)
    try:
        await store_updates(request.app[STORE], pipeline, [data])
    except StoreUnavailable as exc:
        # not acknowledged: Telegram keeps the update and delivers it again later
        log.warning("webhook: update %s not stored (%s); asking Telegram to retry", data["update_id"], exc)
        await turns.tell_delayed(chat_key(data))
        return web.json_response({"ok": False, "error": "unavailable"}, status=503, headers={"Retry-After": "5"})
    return web.json_response({"ok": True})


async def telegram_context(app: web.Application) -> AsyncIterator[None]:
    """The bot, connected in the background: when the Bot API cannot be reached (at start or
    later) everything else keeps serving, /healthz says so, and the bot retries with backoff."""
    config = app[CONFIG]
    link = TelegramLink(config.telegram_retry_max)
    app[LINK] = link
    application = build_application(config, budget=app.get(BUDGET))
    app[TELEGRAM] = application
    app[CONNECTED] = Connected()
    holder = (
        SoleHolder(app[DATABASE], POLLING_LOCK) if config.serve_citizens and not config.telegram_webhook_url else None
    )
    if holder is not None:
        try:
            if not await holder.acquire():
                raise PollingRefused(POLLING_REFUSED)
        except StoreUnavailable:
            pass  # the database is down: the lock is taken when it is back (see _poll_when_possible)
    try:  # one try now, so that a bot whose API answers is ready when the server is
        await asyncio.wait_for(_connect_once(application, config), FIRST_TRY)
        await application.start()
        link.ok()
        _start_pipeline(app, application, link)
    except (TelegramError, TimeoutError) as exc:
        link.failed(exc)  # the rest of the server starts; the bot keeps trying in the background
    background = [asyncio.create_task(_run(app, application, link, holder))]
    yield
    for task in background:
        await stop(task)
    if holder is not None:
        await holder.release()
    if app[CONNECTED].pipeline is not None:
        await app[CONNECTED].pipeline.stop()
    if application.running:
        await application.stop()
    await application.shutdown()


async def _connect_once(application: Application, config: Config) -> None:
    """getMe, the command list, and the webhook (or none, for polling). TelegramError: not now."""
    await application.initialize()  # getMe
    await register_commands(application)
    if config.serve_citizens and config.telegram_webhook_url:
        await application.bot.set_webhook(
            url=config.telegram_webhook_url, secret_token=webhook_secret(config), allowed_updates=Update.ALL_TYPES
        )
    elif config.serve_citizens:
        await application.bot.delete_webhook()  # Telegram refuses getUpdates while one is set


async def connect(application: Application, link: TelegramLink, config: Config) -> None:
    """Connect, retried with backoff until the API answers; the outage is logged once (TelegramLink)."""
    delay = 1.0
    while True:
        try:
            await _connect_once(application, config)
            break
        except TelegramError as exc:  # InvalidToken too: also what a URL that is no Bot API answers
            link.failed(exc)
        await asyncio.sleep(delay)
        delay = link.backoff(delay)
    await application.start()
    link.ok()


def _start_pipeline(app: web.Application, application: Application, link: TelegramLink) -> None:
    config = app[CONFIG]
    store = app[STORE]
    role = "workers" if not config.serve_citizens else "web"
    instance = new_instance_id(role)
    turns = TelegramTurns(application, app[ASSISTANT], store, config, instance, link)
    pipeline = Pipeline(
        store,
        turns.handle,
        turns.deliver,
        instance,
        role=role,
        # PostgreSQL: leave pooled connections for the web chat and the dashboard (pool of 30);
        # SQLite has one connection, for which turns queue in order anyway
        concurrency=64 if is_sqlite(config.database_url) else 16,
        scan_every=config.inbox_scan_every,
        grace=timedelta(seconds=config.inbox_grace),
        instance_ttl=timedelta(seconds=config.instance_ttl),
        single_process=is_sqlite(config.database_url),
        on_delay=turns.tell_delayed,
        on_arrival=turns.arrived,
    )
    app[CONNECTED].turns, app[CONNECTED].pipeline = turns, pipeline
    pipeline.start()


async def _run(app: web.Application, application: Application, link: TelegramLink, holder: SoleHolder | None) -> None:
    """Connect (if the first try at start failed), then poll and deliver the outbox."""
    config = app[CONFIG]
    if app[CONNECTED].pipeline is None:
        await connect(application, link, config)
        _start_pipeline(app, application, link)
    turns, pipeline = app[CONNECTED].turns, app[CONNECTED].pipeline
    assert turns is not None and pipeline is not None
    tasks = [asyncio.create_task(watch(application, link))]
    if config.serve_citizens and config.telegram_webhook_url:
        log.info("Telegram webhook mode: %s", config.telegram_webhook_url)
    elif holder is not None:
        log.info("Telegram long-polling mode")
        tasks.append(asyncio.create_task(_poll_when_possible(turns, app[STORE], pipeline, config, holder)))
    if config.run_workers:
        tasks.append(asyncio.create_task(repeat_forever("Telegram 消息投递", lambda: deliver_outbox(app), idle=1.0)))
    try:
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            await stop(task)


async def watch(application: Application, link: TelegramLink) -> None:
    """When a send or a poll found the API unreachable, ask it (getMe) with backoff until it answers."""
    while True:
        await link.wait_down()
        delay = 1.0
        while not link.up:
            try:
                await application.bot.get_me()
                link.ok()
            except TelegramError as exc:
                link.failed(exc)
                await asyncio.sleep(delay)
                delay = link.backoff(delay)


async def _poll_when_possible(
    turns: TelegramTurns, store: Store, pipeline: Pipeline, config: Config, holder: SoleHolder
) -> None:
    delay = 1.0
    while True:
        try:
            if holder.held or await holder.acquire():
                break
            log.error(POLLING_REFUSED)
            return
        except StoreUnavailable:
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)
    await poll(turns, store, pipeline, config)


async def poll(turns: TelegramTurns, store: Store, pipeline: Pipeline, config: Config) -> None:
    """Long polling: fetch a batch, commit it to the inbox, and only then ask past it."""
    bot = turns.bot
    link = turns.link
    offset = 0
    delay = 0.5
    while True:
        try:
            # the raw JSON (PTB's get_updates would parse every update only for us to serialise
            # it again for the inbox): the update is parsed once, when it is handled
            payloads = await bot._post(
                "getUpdates",
                {"offset": offset, "timeout": config.telegram_poll_timeout, "allowed_updates": Update.ALL_TYPES},
                read_timeout=config.telegram_poll_timeout + 10,
            )
        except (NetworkError, InvalidToken) as exc:  # the API is unreachable: said once, not per try
            link.failed(exc)
            await link.wait_up(delay)
            delay = link.backoff(delay)
            continue
        except Conflict as exc:  # a webhook was set meanwhile, or another poller
            log.warning("getUpdates refused (%s); retrying", exc)
            with contextlib.suppress(TelegramError):
                await bot.delete_webhook()
            await asyncio.sleep(delay)
            delay = link.backoff(delay)
            continue
        except TelegramError as exc:
            log.warning("getUpdates failed (%s); retrying", exc)
            await asyncio.sleep(delay)
            delay = link.backoff(delay)
            continue
        link.ok()
        if not payloads:
            continue
        while True:
            try:
                await store_updates(store, pipeline, payloads)
                break
            except StoreUnavailable as exc:
                # the offset stays: Telegram keeps these until they are stored
                log.warning("getUpdates: %d updates not stored (%s); retrying", len(payloads), exc)
                for payload in payloads:
                    await turns.tell_delayed(chat_key(payload))
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
        delay = 0.5
        offset = max(int(p["update_id"]) for p in payloads) + 1


async def deliver_outbox(app: web.Application) -> int:
    """Send a batch of the back office's messages to Telegram; returns how many were tried."""
    store = app[STORE]
    application = app[TELEGRAM]
    if not app[LINK].up:  # nothing to gain from claiming messages only to fail them
        return 0
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
            if isinstance(exc, NetworkError):
                app[LINK].failed(exc)
            async with store.unit() as uow:
                await outbox.mark_failed(uow.session, message_id, str(exc))
    if sent:
        async with store.unit() as uow:
            await outbox.mark_sent(uow.session, sent)
    return len(batch)
