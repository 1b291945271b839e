"""The campaign sender: works the delivery queue within the bot's send budget, and stops cleanly.

- Pace: every Telegram message takes a slot of the bot's send budget (backend/sendbudget.py),
  shared with the dialogue's replies and with every other process sending for the bot: never
  more than `rate` in any one-second window, ≥ 90 % of it reached, one message per second per
  chat, and replies first (campaigns lease slots only when no reply is waiting).
- Flow: rows are claimed ahead, a block of slots is leased, each send starts at its slot, and
  the database work (claiming more, recording results) happens while the block's slots run, so
  no slot goes unused for a round trip.
- `RetryAfter`: the whole budget pauses for the time Telegram asks; the message is sent after it.
- A user who blocked the bot: the delivery is `blocked` and the citizen marked, never sent to again.
- Stopping (SIGTERM, Ctrl+C, the server shutting down): in-flight sends finish and are recorded,
  claimed but unsent rows go back to the queue — a restart resumes exactly where it stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import aiohttp
from aiohttp import web

from backend import campaigns, outbox
from backend.campaigns import Claimed
from backend.errors import StoreUnavailable
from backend.models import Campaign, utcnow
from backend.sendbudget import CAMPAIGN, Limits, SendBudget
from backend.store import Store

from .keys import CONFIG, STORE
from .send_budget import BUDGET

log = logging.getLogger(__name__)

Send = Callable[[Claimed, str, list[list[dict[str, str]]]], Awaitable[None]]
IDLE = 0.25  # s between looks for due campaigns while there is nothing to send
FLUSH_EVERY = 0.25  # s between recordings of what was sent
EARLY = 0.001  # s: slots this close are started together (fewer wake-ups at high rates)


class Blocked(Exception):
    """The recipient blocked the bot."""


class Pause(Exception):
    """Telegram asked us to wait (RetryAfter)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


@dataclass
class _Results:
    sent: list[int] = field(default_factory=list)
    blocked: list[Claimed] = field(default_factory=list)
    release: list[int] = field(default_factory=list)
    web: list[Claimed] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.sent or self.blocked or self.release or self.web)

    def merge(self, other: _Results) -> None:
        self.sent += other.sent
        self.blocked += other.blocked
        self.release += other.release
        self.web += other.web


def _wake_up(waiter: asyncio.Future) -> None:
    if not waiter.done():
        waiter.set_result(None)


class CampaignSender:
    def __init__(
        self,
        store: Store,
        send: Send,
        rate: float,
        *,
        budget: SendBudget | None = None,
        concurrency: int = 64,
        batch: int | None = None,
        channels: tuple[str, ...] = ("telegram", "web"),
        recover_after: timedelta = timedelta(minutes=5),
    ) -> None:
        self.store, self.send, self.channels = store, send, channels
        self.budget = budget or SendBudget(Limits(rate=rate))
        self.recover_after = recover_after
        self.batch = batch or max(20, min(500, int(rate) // 4))  # claimed at once: ¼ s of sends
        self.concurrency = concurrency  # sends in flight (a slow Telegram answers late)
        self.stopping = False
        self.missed = 0  # slots given up because this process was too busy to use them in time
        self._sleepers: set[asyncio.Future] = set()
        self._wake = asyncio.Event()  # for the dispatcher: a new slot, or a stop
        self._queue: deque[Claimed] = deque()  # claimed, waiting for a slot
        self._waiting: list[tuple[float, int, Claimed]] = []  # claimed, the chat's pace says later
        self._slots: list[tuple[float, int, Claimed]] = []  # leased, waiting for the slot's moment
        self._sending: set[asyncio.Task] = set()
        self._dispatcher: asyncio.Task | None = None
        self._results = _Results()
        self._texts: dict[int, tuple[str, list]] = {}
        self._flushed = time.monotonic()
        self._last_recovery = -1e9
        self._work: dict[str, asyncio.Task] = {}  # database work beside the loop: "refill", "flush"
        self._failure: BaseException | None = None
        self._failing = False  # the last send failed: further failures are not logged one by one

    # ── the loop ────────────────────────────────────────────────────────────

    async def run(self) -> None:
        delay = IDLE
        try:
            while not self.stopping:
                try:
                    busy = await self._cycle()
                    delay = IDLE
                except StoreUnavailable as exc:
                    log.warning("推送：数据库不可用（%s），稍后重试", exc)
                    busy, delay = False, min(delay * 2, 30.0)
                except Exception:
                    log.exception("推送出错，稍后重试")
                    busy, delay = False, min(delay * 2, 30.0)
                if not busy:
                    await self._sleep_until(min(time.monotonic() + delay, self._next_waiting()))
        finally:
            await self._wind_down()

    async def step(self) -> int:
        """One batch from claim to record (tests, tools): how many rows were claimed."""
        claimed = await self._refill(self.batch)
        while (self._queue or self._waiting or self._slots or self._sending) and not self.stopping:
            if not await self._cycle(refill=False):
                await self._sleep_until(min(time.monotonic() + 0.01, self._next_waiting()))
        if self.stopping:
            await self._wind_down()
        elif self._dispatcher is not None:
            self._dispatcher.cancel()
            self._dispatcher = None
        while self._work:
            await asyncio.wait(list(self._work.values()))
        self._raise_failure()
        await self._flush()
        return claimed

    async def stop(self) -> None:
        self.stopping = True
        self._wake.set()
        for waiter in self._sleepers:
            _wake_up(waiter)

    async def _cycle(self, *, refill: bool = True) -> bool:
        """Lease the next block and wait until the budget can lease again. The sends start at their
        slots (the dispatcher), and the database work — claiming more, recording results — runs
        beside, so a slow round trip never leaves a slot unused. False: nothing to send."""
        self._raise_failure()
        if self._dispatcher is None:
            self._dispatcher = asyncio.create_task(self._dispatch())
        now = time.monotonic()
        while self._waiting and self._waiting[0][0] <= now:
            self._queue.appendleft(heapq.heappop(self._waiting)[2])
        limits = self.budget.limits
        if refill and "refill" not in self._work and len(self._queue) < max(self.batch // 2, limits.block):
            self._beside("refill", self._refill(max(self.batch, 2 * limits.block) - len(self._queue)))
        if "flush" not in self._work and now - self._flushed >= FLUSH_EVERY:
            self._beside("flush", self._flush())
        if not self._queue and "refill" in self._work:  # nothing to lease before it comes back
            await asyncio.wait({self._work["refill"]})
            self._raise_failure()
        next_lease = await self._lease_block() if self._queue else None
        if next_lease is None:
            return bool(self._queue)
        await self._sleep_until(next_lease)
        return True

    def _beside(self, name: str, work: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.ensure_future(work)
        self._work[name] = task

        def done(task: asyncio.Task) -> None:
            self._work.pop(name, None)
            if not task.cancelled() and task.exception() is not None:
                self._failure = task.exception()

        task.add_done_callback(done)

    def _raise_failure(self) -> None:
        """What went wrong beside the loop surfaces in it (and run() backs off)."""
        failure, self._failure = self._failure, None
        if failure is not None:
            raise failure

    async def _lease_block(self) -> float | None:
        """Slots for the rows at the head of the queue; when to lease again (None: now)."""
        chunk = [self._queue.popleft() for _ in range(min(self.budget.limits.block, len(self._queue)))]
        for row in chunk:
            if row.channel == "web":  # the web chat picks it up from the outbox
                self._results.web.append(row)
                self._results.sent.append(row.id)
        chunk = [row for row in chunk if row.channel != "web"]
        if not chunk:
            return None
        turns = await self.budget.lease([row.chat_id for row in chunk], CAMPAIGN)
        later: list[Claimed] = []
        next_lease: float | None = None
        last_slot: float | None = None
        for row, turn in zip(chunk, turns, strict=True):
            if turn.granted:
                last_slot = turn.at
                heapq.heappush(self._slots, (turn.at, row.id, row))
            elif turn.chat_busy:  # this chat had a message moments ago: later, others first
                heapq.heappush(self._waiting, (turn.at, row.id, row))
            else:
                later.append(row)
                next_lease = turn.at if next_lease is None else min(next_lease, turn.at)
        self._queue.extendleft(reversed(later))
        if last_slot is not None:
            self._wake.set()
            if next_lease is None and self._queue:
                limits = self.budget.limits  # the block is ours: the next can be had when it nearly ran out
                next_lease = last_slot + limits.interval - limits.head
        return next_lease

    async def _dispatch(self) -> None:
        """One timer for every leased slot: at its moment, start its send — or, when this process
        was too busy to be on time (or has too many sends in flight), give the slot up."""
        grace = self.budget.limits.grace
        while not self.stopping:
            if not self._slots:
                self._wake.clear()
                await self._wake.wait()
                continue
            if not await self._sleep_until(self._slots[0][0]):
                break
            now = time.monotonic()
            while self._slots and self._slots[0][0] <= now + EARLY:
                at, _, row = heapq.heappop(self._slots)
                if now - at > grace or len(self._sending) >= self.concurrency:
                    self.missed += 1
                    self._queue.appendleft(row)
                    continue
                task = asyncio.create_task(self._send(row))
                self._sending.add(task)
                task.add_done_callback(self._sending.discard)

    async def _send(self, row: Claimed) -> None:
        text, buttons = self._texts[row.campaign_id]
        try:
            await self.send(row, text, buttons)
            self._results.sent.append(row.id)
            self._failing = False
        except Blocked:
            self._results.blocked.append(row)
        except Pause as pause:
            log.warning("推送：Telegram 要求暂停 %.0f 秒，暂停后继续", pause.seconds)
            await self.budget.pause(pause.seconds)
            self._queue.appendleft(row)
        except Exception as exc:  # a network error: try again later (the row goes back)
            # said once per outage, not once per subscriber (an unreachable API fails every row)
            log.log(logging.DEBUG if self._failing else logging.WARNING, "推送失败（%s），稍后重试", exc)
            self._failing = True
            self._results.release.append(row.id)

    async def _sleep_until(self, at: float) -> bool:
        """Sleep until `at` or a stop, whichever is first; False when stopping."""
        delay = at - time.monotonic()
        if delay > 0 and not self.stopping:
            waiter = asyncio.get_running_loop().create_future()
            timer = asyncio.get_running_loop().call_later(delay, _wake_up, waiter)
            self._sleepers.add(waiter)
            try:
                await waiter
            finally:
                timer.cancel()
                self._sleepers.discard(waiter)
        return not self.stopping

    def _next_waiting(self) -> float:
        return self._waiting[0][0] if self._waiting else time.monotonic() + IDLE

    async def _wind_down(self) -> None:
        """In-flight sends finish, unsent claims go back to the queue, everything is recorded."""
        await self.stop()
        if self._dispatcher is not None:
            await self._dispatcher
            self._dispatcher = None
        while self._work:  # a claim on its way joins the queue before the queue is given back
            await asyncio.wait(list(self._work.values()))
        self._failure = None
        while self._sending:
            await asyncio.gather(*self._sending, return_exceptions=True)
        unsent = [*self._queue, *(row for _, _, row in self._waiting), *(row for _, _, row in self._slots)]
        self._results.release += [row.id for row in unsent]
        self._queue.clear()
        self._waiting.clear()
        self._slots.clear()
        try:
            await self._flush()
        except StoreUnavailable as exc:  # rows stay `sending`: reported as interrupted, never resent
            log.warning("推送：停止时无法记录发送结果（%s）", exc)

    # ── the database ────────────────────────────────────────────────────────

    async def _refill(self, limit: int) -> int:
        """Start due campaigns, close finished ones, and claim up to `limit` more rows."""
        now = time.monotonic()
        async with self.store.unit() as uow:
            await campaigns.materialize_due(uow.session, utcnow())
            await campaigns.finish(uow.session)
            if now - self._last_recovery > min(60.0, self.recover_after.total_seconds()):
                self._last_recovery = now
                recovered = await campaigns.recover_interrupted(uow.session, self.recover_after)
                if recovered:
                    log.warning("推送：%d 条发送中断的消息按“至多一次”不再重发", recovered)
        if limit <= 0:
            return 0
        async with self.store.unit() as uow:
            claimed = await campaigns.claim(uow.session, limit, self.channels)
            for campaign_id in {c.campaign_id for c in claimed} - set(self._texts):
                campaign = await uow.session.get(Campaign, campaign_id)
                if campaign is not None:
                    self._texts[campaign_id] = campaigns.message_for(campaign)
        self._queue.extend(claimed)
        return len(claimed)

    async def _flush(self) -> None:
        self._flushed = time.monotonic()
        results, self._results = self._results, _Results()
        if not results:
            return
        try:
            async with self.store.unit() as uow:
                session = uow.session
                for row in results.web:
                    text, buttons = self._texts[row.campaign_id]
                    await outbox.enqueue(session, "web", row.chat_id, text, buttons)
                await campaigns.mark(session, results.sent, "sent")
                await campaigns.mark(session, [row.id for row in results.blocked], "blocked", "blocked by the user")
                await campaigns.release(session, results.release)
                await campaigns.mark_blocked(session, [row.citizen_id for row in results.blocked])
        except BaseException:
            results.merge(self._results)  # kept for the next try
            self._results = results
            raise


class BotApiSender:
    """Bulk sending straight over the Bot API's HTTP (aiohttp, JSON).

    The dialogue uses python-telegram-bot; for a broadcast of thousands of identical messages
    its per-call object handling costs more than the HTTP itself (measured: ~480 vs ~6,000
    sends/s against the same local Bot API stand-in), so the sender speaks the Bot API directly.
    """

    def __init__(self, token: str, base_url: str, connections: int = 64) -> None:
        self.url = f"{base_url}{token}/sendMessage"
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=connections), timeout=aiohttp.ClientTimeout(total=30)
        )

    async def __call__(self, row: Claimed, text: str, buttons: list[list[dict[str, str]]]) -> None:
        body: dict = {"chat_id": row.chat_id, "text": text}
        if buttons:
            body["reply_markup"] = {
                "inline_keyboard": [
                    [
                        {"text": b["label"], "url": b["url"]}
                        if "url" in b
                        else {"text": b["label"], "callback_data": b["data"]}
                        for b in line
                    ]
                    for line in buttons
                ]
            }
        async with self.session.post(self.url, json=body) as response:
            reply = await response.json(content_type=None)
        if reply.get("ok"):
            return
        code = reply.get("error_code")
        if code == 403:
            raise Blocked(reply.get("description", ""))
        if code == 429:
            raise Pause(float(reply.get("parameters", {}).get("retry_after", 1)))
        raise RuntimeError(f"Bot API {code}: {reply.get('description', '')}")

    async def close(self) -> None:
        await self.session.close()


SENDER = web.AppKey("campaign_sender", CampaignSender)


async def campaign_context(app: web.Application) -> AsyncIterator[None]:
    """Run the sender in the server process (with Telegram when it is configured)."""
    config = app[CONFIG]
    if not config.run_workers:
        yield
        return
    bot = BotApiSender(config.telegram_bot_token, config.telegram_api_base_url) if config.telegram_bot_token else None

    async def no_telegram(_row: Claimed, _text: str, _buttons: list) -> None:
        raise RuntimeError("Telegram is not configured")

    # without a token, Telegram subscribers' messages wait in the queue until one is configured
    sender = CampaignSender(
        app[STORE],
        bot or no_telegram,
        config.telegram_global_rate,
        budget=app[BUDGET],
        channels=("telegram", "web") if bot else ("web",),
    )
    app[SENDER] = sender
    task = asyncio.create_task(sender.run())
    yield
    await sender.stop()
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.wait_for(task, timeout=30)
    if bot is not None:
        await bot.close()
