"""Background work in the server process: linking 相似件, and (with transports) delivering the
outbox. Each loop survives a database outage and simply tries again later."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web

from backend.errors import StoreUnavailable
from backend.similar import link_pending

from .keys import CONFIG, STORE

log = logging.getLogger(__name__)


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


async def similar_cases(app: web.Application) -> AsyncIterator[None]:
    if not app[CONFIG].run_workers:
        yield
        return
    store = app[STORE]

    async def step() -> int:
        async with store.unit() as uow:
            return await link_pending(uow.session)

    task = asyncio.create_task(repeat_forever("相似件关联", step))
    yield
    await stop(task)


async def stop(task: asyncio.Task) -> None:
    """Cancel a background task and wait for it, so nothing runs on a closed database."""
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
