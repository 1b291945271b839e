"""What the staff web layer needs from the rest of the product, handed in by the composition root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from aiohttp import web

from knowledge import Knowledge
from nlp import Engine

from ..reference import ReplyIndex
from ..store import Store


@dataclass
class StaffContext:
    store: Store
    secret: str
    timezone: ZoneInfo
    words: Callable[[str], list[str]]  # the jieba words of a text (search, similar replies)
    channel_names: dict[str, str]  # legal channel id → name (steering statistics, 不予受理 guidance)
    secure_cookies: bool = False  # set behind HTTPS
    knowledge: Knowledge | None = None  # for generating the outreach series
    topic_words: frozenset[str] = frozenset()  # domain keywords: what 热点问题 are made of
    reply_index: ReplyIndex = field(default_factory=ReplyIndex)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now().astimezone())
    engine: Engine | None = None  # routing, steering and urgency of cases staff register
    max_attachment_bytes: int = 10 * 1024 * 1024
    badge_cache: dict = field(default_factory=dict)  # the navigation's counts, per scope, briefly

    @property
    def nlp(self) -> Engine:
        if self.engine is None:
            raise RuntimeError("the staff context was built without the NLP engine")
        return self.engine

    def now(self) -> datetime:
        return self.clock().astimezone(self.timezone)

    def today(self) -> date:
        return self.now().date()


STAFF = web.AppKey("staff_context", StaffContext)
