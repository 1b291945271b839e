"""The bot's send budget in the server: made once per process from the configuration, shared
by the dialogue's replies (through python-telegram-bot's rate-limiter hook) and the campaign
sender, and — through PostgreSQL or Redis — with every other process sending for the same bot."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from datetime import timedelta
from typing import Any

from aiohttp import web
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from backend.sendbudget import REPLY, Limits, SendBudget, bot_key, send_budget

from .config import Config
from .keys import CONFIG, DATABASE

log = logging.getLogger(__name__)

BUDGET = web.AppKey("send_budget", SendBudget)

# Bot API methods that put a message in a chat: each takes a slot (chat actions, callback
# answers, keyboard edits and reads do not)
BUDGETED = ("send", "copyMessage", "forwardMessage", "editMessageText", "editMessageCaption", "editMessageMedia")
UNBUDGETED = ("sendChatAction",)


def limits_for(config: Config) -> Limits:
    return Limits(rate=config.telegram_global_rate)


async def context(app: web.Application) -> AsyncIterator[None]:
    """The process's budget (after the database, before the transports that use it)."""
    config = app[CONFIG]
    budget = send_budget(
        limits_for(config),
        database=app[DATABASE],
        redis_url=config.redis_url,
        bot=bot_key(config.telegram_bot_token),
    )
    app[BUDGET] = budget
    yield
    await budget.close()


class BudgetRateLimiter(BaseRateLimiter[str]):
    """python-telegram-bot's rate limiter over the shared budget: each message waits for its slot.

    `rate_limit_args` may name the priority ("reply", the default, or "campaign"). A RetryAfter
    pauses the whole budget (every process) and the request is tried again, up to `max_retries`."""

    def __init__(self, budget: SendBudget, max_retries: int = 3) -> None:
        self.budget = budget
        self.max_retries = max_retries

    async def initialize(self) -> None:
        return None  # the budget belongs to the application

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: str | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat = data.get("chat_id")
        budgeted = chat is not None and endpoint.startswith(BUDGETED) and not endpoint.startswith(UNBUDGETED)
        for attempt in range(self.max_retries + 1):
            if budgeted:
                await self.budget.acquire(str(chat), rate_limit_args or REPLY)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == self.max_retries:
                    raise
                wait = exc.retry_after
                seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
                log.warning("Telegram asks to wait %.0f s; every sender pauses", seconds)
                await self.budget.pause(seconds)
                if not budgeted:
                    await asyncio.sleep(seconds)
        raise AssertionError("unreachable")
