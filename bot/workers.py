"""Background work in the server process: linking 相似件, forgetting old update ids, and (with
transports) delivering the outbox. Each loop survives a database outage and tries again later."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from aiohttp import web

from backend.errors import StoreUnavailable
from backend.repo import updates
from backend.similar import link_pending
from backend.staff_notices import announce
from backend.store import Store

from .keys import CONFIG, STORE

log = logging.getLogger(__name__)

# Telegram keeps an undelivered update for at most 24 hours; twice that is a safe margin.
UPDATE_MEMORY = timedelta(days=2)
PRUNE_EVERY = 3600.0
STAFF_NOTICE_EVERY = 60.0


async def repeat_forever(name: str, step: Callable[[], Awaitable[int]], idle: float = 2.0) -> None:
    """Run `step` again and again; it returns how much it did (0: sleep a while)."""
    delay = idle
    while True:
        try:
            done = await step()
            delay = idle
        except StoreUnavailable as exc:
            log.warning("%s: 数据库不可用（%s），稍后重试", name, exc)
            done, delay = 0, min(delay * 2, 60.0)
        except Exception:
            log.exception("%s failed; retrying", name)
            done, delay = 0, min(delay * 2, 60.0)
        if not done:
            await asyncio.sleep(delay)


async def _store_loop(
    app: web.Application, name: str, step: Callable[[Store], Awaitable[int]], idle: float
) -> AsyncIterator[None]:
    """A cleanup context running `step` in the background while the app serves (if workers run)."""
    if not app[CONFIG].run_workers:
        yield
        return
    store = app[STORE]
    task = asyncio.create_task(repeat_forever(name, lambda: step(store), idle))
    yield
    await stop(task)


async def _link_similar(store: Store) -> int:
    async with store.unit() as uow:
        return await link_pending(uow.session)


async def _forget_updates(store: Store) -> int:
    # processed_updates only guards against re-delivery; without pruning it grows forever.
    async with store.unit() as uow:
        forgotten = await updates.forget_older_than(uow.session, UPDATE_MEMORY)
    if forgotten:
        log.info("已清理 %d 条过期的更新记录", forgotten)
    return 0  # once per PRUNE_EVERY, whatever was done


def staff_notices(app: web.Application) -> AsyncIterator[None]:
    """New, urgent and overdue cases on the staff Telegram chat (when one is configured)."""
    config = app[CONFIG]
    chat_id = config.staff_chat_id if config.telegram_bot_token else None

    async def step(store: Store) -> int:
        if not chat_id:
            return 0
        async with store.unit() as uow:
            now = datetime.now(UTC)
            return await announce(uow.session, chat_id, now, now.astimezone(ZoneInfo(config.timezone)).date())

    return _store_loop(app, "工作人员提醒", step, idle=STAFF_NOTICE_EVERY)


def similar_cases(app: web.Application) -> AsyncIterator[None]:
    return _store_loop(app, "相似件关联", _link_similar, idle=2.0)


def forget_old_updates(app: web.Application) -> AsyncIterator[None]:
    return _store_loop(app, "更新记录清理", _forget_updates, idle=PRUNE_EVERY)


async def stop(task: asyncio.Task) -> None:
    """Cancel a background task and wait for it, so nothing runs on a closed database."""
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
