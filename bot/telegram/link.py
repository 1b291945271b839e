"""Whether the Bot API answers us, as last seen: /healthz reports it, senders wait on it.

The API may be unreachable at start (network down, DNS, a wrong TELEGRAM_API_BASE_URL) or go
away later (5xx, timeouts). Nothing else in the server depends on it, so an outage is a state,
not an error: it is logged once when it starts and once when it ends, never per attempt.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from aiohttp import web

log = logging.getLogger(__name__)

# ── 日志文字 ─────────────────────────────────────────────────────────────────
DOWN = "Telegram Bot API 不可用（%s）：网页留言、接口和工作台照常服务，Telegram 消息暂存，每隔最多 %.0f 秒自动重试"
UP = "Telegram Bot API 已恢复连接"
# ─────────────────────────────────────────────────────────────────────────────


class TelegramLink:
    def __init__(self, retry_max: float = 60.0) -> None:
        self.retry_max = retry_max
        self.up = False  # unknown until the first answer: reported unavailable
        self._up = asyncio.Event()
        self._down = asyncio.Event()
        self._told_down = False

    @property
    def state(self) -> str:
        return "ok" if self.up else "unavailable"

    def ok(self) -> None:
        if not self.up:
            if self._told_down:
                log.warning(UP)
            self.up, self._told_down = True, False
            self._down.clear()
            self._up.set()

    def failed(self, exc: BaseException) -> None:
        if not self._told_down:
            log.warning(DOWN, _reason(exc), self.retry_max)
            self._told_down = True
        self.up = False
        self._up.clear()
        self._down.set()

    async def wait_up(self, timeout: float) -> None:
        """Until the API answers again (someone probes it), or `timeout` seconds."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._up.wait(), timeout)

    async def wait_down(self) -> None:
        await self._down.wait()

    def backoff(self, delay: float) -> float:
        return min(delay * 2, self.retry_max)


def _reason(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]


LINK = web.AppKey("telegram_link", TelegramLink)
