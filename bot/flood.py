"""Per-user flood control: faster than a person can type is slowed down, with one polite notice.

A token bucket per user (`burst` messages at once, then `rate` per second). A message over the
limit waits for its turn instead of being dropped — nothing a citizen sends is lost — unless the
user already has `backlog` messages waiting, which only a script does; those are dropped.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    stamp: float
    waiting: int = 0
    warned_at: float = -1e9


@dataclass(frozen=True, slots=True)
class Admission:
    allowed: bool  # False: drop it (the user is flooding far beyond a person's pace)
    wait: float  # seconds this message was held back
    notify: bool  # tell the user, once per quiet period, to slow down


class FloodControl:
    def __init__(self, rate: float = 1.0, burst: int = 8, backlog: int = 20, max_users: int = 100_000) -> None:
        self.rate, self.burst, self.backlog = rate, burst, backlog
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._max_users = max_users

    def _bucket(self, key: str, now: float) -> _Bucket:
        bucket = self._buckets.pop(key, None) or _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.stamp) * self.rate)
        bucket.stamp = now
        self._buckets[key] = bucket
        while len(self._buckets) > self._max_users:
            self._buckets.popitem(last=False)
        return bucket

    def reserve(self, key: str, now: float | None = None) -> Admission:
        """Decide at arrival, without waiting: the caller holds the message back for `wait`
        seconds from `now` (a durable queue does, while it works on the citizen's earlier ones)."""
        now = time.monotonic() if now is None else now
        bucket = self._bucket(key, now)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return Admission(True, 0.0, False)
        if bucket.tokens <= -self.backlog:
            return Admission(False, 0.0, False)
        notify = now - bucket.warned_at > 30.0
        if notify:
            bucket.warned_at = now
        wait = (1.0 - bucket.tokens) / self.rate
        bucket.tokens -= 1.0  # reserve this message's turn
        return Admission(True, wait, notify)

    async def admit(self, key: str, notice: Callable[[], Awaitable[None]] | None = None) -> Admission:
        """Wait for this message's turn; `notice` is awaited first when the user should be told."""
        now = time.monotonic()
        bucket = self._bucket(key, now)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return Admission(True, 0.0, False)
        if bucket.waiting >= self.backlog:
            return Admission(False, 0.0, False)
        notify = now - bucket.warned_at > 30.0
        if notify:
            bucket.warned_at = now
        wait = (1.0 - bucket.tokens) / self.rate + bucket.waiting / self.rate
        bucket.tokens -= 1.0  # reserve this message's turn
        bucket.waiting += 1
        try:
            if notify and notice is not None:
                await notice()
            await asyncio.sleep(wait)
        finally:
            bucket.waiting -= 1
        return Admission(True, wait, notify)
