"""A real PTB Application pointed at the Bot API stand-in (for senders tested on their own)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from bot.telegram.application import file_url_for
from tests.auxil.bot_api import TOKEN, BotApiStandIn


@asynccontextmanager
async def ptb_application(api: BotApiStandIn, rate: float = 10_000) -> AsyncIterator[Application]:
    application = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(api.base_url)
        .base_file_url(file_url_for(api.base_url))
        .rate_limiter(AIORateLimiter(overall_max_rate=rate))
        .connection_pool_size(64)
        .pool_timeout(10.0)
        .updater(None)
        .build()
    )
    await application.initialize()
    try:
        yield application
    finally:
        await application.shutdown()
