"""The durable path of an update: inbox → one citizen's turn at a time → replies owed → sent.

- A transport (webhook or long polling) stores updates in the inbox and only then acknowledges
  them; it hands the stored rows to `kick`, which works them at once in this process.
- Each citizen has one queue here; the handling transaction also takes the citizen's database
  lock (PostgreSQL), and the inbox refuses an update while an earlier one of the same citizen
  waits — so a citizen's updates are handled one at a time and in order, in whichever process.
- A scan, every `scan_every` seconds, catches what no process is working on: updates waiting
  longer than `grace` (their process died, or stored them and fell over), and replies owed by an
  instance that stopped beating its heart (`instances`), which this one takes over and sends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

from backend.errors import StoreUnavailable
from backend.repo import updates
from backend.repo.updates import Owed, Stored
from backend.store import Store

log = logging.getLogger(__name__)


def new_instance_id(role: str) -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{role[:8]}:{uuid.uuid4().hex[:8]}"


class SentLog:
    """Records messages sent, many senders to one commit (group commit).

    A sender awaits `record` before its next message, so at most one message per citizen is in
    doubt at a crash (sent, not yet recorded: it goes out again) — the same window the HTTP
    answer itself leaves open, since Telegram has no idempotent send. Under load one short
    transaction records what many senders sent meanwhile, instead of one each."""

    def __init__(self, store: Store, instance: str) -> None:
        self.store, self.instance = store, instance
        self._pending: dict[int, tuple[int, bool]] = {}
        self._waiters: list[asyncio.Future] = []
        self._flusher: asyncio.Task | None = None

    async def record(self, inbox_id: int, parts: int, done: bool) -> None:
        self._pending[inbox_id] = (parts, done)
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        await asyncio.shield(waiter)

    async def _flush(self) -> None:
        delay = 0.2
        while self._pending:
            progress, waiters = self._pending, self._waiters
            self._pending, self._waiters = {}, []
            try:
                async with self.store.unit() as uow:
                    await updates.record_sent_many(uow.session, self.instance, progress)
            except Exception as exc:  # what went out must be recorded, or it would go out again
                log.warning("inbox: could not record sent messages (%s); retrying", exc)
                self._pending = {**progress, **self._pending}
                self._waiters = waiters + self._waiters
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
                continue
            delay = 0.2
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(None)


Handle = Callable[[Stored], Awaitable["list[dict] | None"]]
Deliver = Callable[[int, list[dict], int], Awaitable[None]]


@dataclass
class Pipeline:
    store: Store
    handle: Handle  # one stored update → the messages it owes (None: not its turn / done)
    deliver: Deliver  # (inbox id, messages, first unsent) → sent, each recorded
    instance: str
    role: str = "web"
    concurrency: int = 64  # citizens worked at once
    scan_every: float = 1.0
    grace: timedelta = timedelta(seconds=3)  # a stored update nobody handled for this long is taken
    instance_ttl: timedelta = timedelta(seconds=10)  # an instance silent this long is gone
    single_process: bool = False  # SQLite: no other process can exist; every other instance is gone
    on_delay: Callable[[str], Awaitable[None]] | None = None  # the database is down: tell the citizen
    on_arrival: Callable[[Stored], None] | None = None  # an update just stored here (flood control)
    _queues: dict[str, deque[Stored]] = field(default_factory=dict)
    _owed: dict[str, list[Owed]] = field(default_factory=dict)
    _recheck: set[str] = field(default_factory=set)
    _active: dict[str, asyncio.Task] = field(default_factory=dict)
    _sending: dict[str, asyncio.Task] = field(default_factory=dict)  # each citizen's last send, chained
    _scanner: asyncio.Task | None = None

    def __post_init__(self) -> None:
        self._slots = asyncio.Semaphore(self.concurrency)
        self._wake = asyncio.Event()

    # ── entry points ────────────────────────────────────────────────────────────────────────

    def kick(self, chat_key: str, stored: Stored | None = None) -> None:
        """Work this citizen's updates: `stored` (just stored here), or whatever the inbox holds."""
        if stored is not None:
            if self.on_arrival is not None:
                self.on_arrival(stored)
            self._queues.setdefault(chat_key, deque()).append(stored)
        else:
            self._recheck.add(chat_key)
        if chat_key not in self._active:
            self._active[chat_key] = asyncio.create_task(self._work(chat_key), name=f"citizen {chat_key}")

    def start(self) -> None:
        self._scanner = asyncio.create_task(self._scan_forever(), name="inbox scan")

    def wake(self) -> None:
        """Scan now (e.g. the database is back)."""
        self._wake.set()

    async def stop(self, timeout: float = 5.0) -> None:
        """Stop scanning; let the citizens in progress finish their turn (up to `timeout`)."""
        if self._scanner is not None:
            self._scanner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._scanner
        tasks = list(self._active.values()) + list(self._sending.values())
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=timeout)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        try:
            async with self.store.unit() as uow:
                await updates.leave(uow.session, self.instance)  # a clean stop frees our claims at once
        except Exception as exc:  # the database is down or gone: the claims expire with the heartbeat
            log.info("inbox: could not sign off (%s)", exc)

    @property
    def busy(self) -> int:
        return len(self._active)

    # ── one citizen ─────────────────────────────────────────────────────────────────────────

    async def _work(self, chat_key: str) -> None:
        delay = 0.5
        try:
            async with self._slots:
                while True:
                    try:
                        if not await self._step(chat_key):
                            return
                        delay = 0.5
                    except StoreUnavailable as exc:
                        # the updates stay in the inbox; try again, and the scan also will
                        log.warning("inbox: database unavailable for %s (%s); retrying", chat_key, exc)
                        if self.on_delay is not None:
                            await self.on_delay(chat_key)
                        await asyncio.sleep(delay)
                        delay = min(delay * 2, 30.0)
        except Exception:
            log.exception("inbox: working %s failed; the scan will try again", chat_key)
            self._queues.pop(chat_key, None)  # not at once: a poison update must not spin
            self._recheck.discard(chat_key)
        finally:
            self._active.pop(chat_key, None)
            if self._queues.get(chat_key) or chat_key in self._recheck or self._owed.get(chat_key):
                self.kick(chat_key)  # kicked again while finishing

    async def _step(self, chat_key: str) -> bool:
        """Do one thing for the citizen; False when there is nothing left."""
        owed = self._owed.get(chat_key)
        if owed:
            first = owed.pop(0)
            self._send(chat_key, first.id, first.messages, first.sent_parts)
            return True
        queue = self._queues.get(chat_key)
        if queue:
            stored = queue[0]
        elif chat_key in self._recheck:
            self._recheck.discard(chat_key)
            async with self.store.unit() as uow:
                found = await updates.next_pending(uow.session, chat_key)
            if found is None:
                return bool(self._queues.get(chat_key) or chat_key in self._recheck)
            queue = self._queues.setdefault(chat_key, deque())
            queue.append(found)
            stored = found
        else:
            self._queues.pop(chat_key, None)
            return False
        messages = await self.handle(stored)
        queue.popleft()
        if messages is None:
            # handled already (re-delivered, or another process did), or an earlier update of this
            # citizen, stored elsewhere, must go first: look at the inbox before going on
            async with self.store.unit() as uow:
                earlier = await updates.next_pending(uow.session, chat_key)
            if earlier is not None and earlier.seq < stored.seq:
                queue.appendleft(stored)
                queue.appendleft(earlier)
            return True
        if messages:
            self._send(chat_key, stored.id, messages, 0)
        return True

    def _send(self, chat_key: str, inbox_id: int, messages: list[dict], start: int) -> None:
        """Send after the citizen's earlier replies (their order kept), while the next update of
        theirs is handled already."""
        previous = self._sending.get(chat_key)
        task = asyncio.create_task(self._send_after(previous, inbox_id, messages, start))
        self._sending[chat_key] = task

        def forget(done: asyncio.Task) -> None:
            if self._sending.get(chat_key) is done:
                del self._sending[chat_key]

        task.add_done_callback(forget)

    async def _send_after(self, previous: asyncio.Task | None, inbox_id: int, messages: list[dict], start: int) -> None:
        if previous is not None:
            await asyncio.wait([previous])
        try:
            await self.deliver(inbox_id, messages, start)
        except Exception:  # recorded as owed: the scan hands it to the next instance that takes over
            log.exception("inbox: sending the replies of row %s failed", inbox_id)

    # ── the scan ────────────────────────────────────────────────────────────────────────────

    async def _scan_forever(self) -> None:
        delay = self.scan_every
        while True:
            try:
                await self.scan()
                delay = self.scan_every
            except StoreUnavailable as exc:
                log.warning("inbox scan: database unavailable (%s)", exc)
                delay = min(delay * 2, 30.0)
            except Exception:
                log.exception("inbox scan failed")
                delay = min(delay * 2, 30.0)
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)

    async def scan(self) -> None:
        async with self.store.unit() as uow:
            session = uow.session
            await updates.heartbeat(session, self.instance, socket.gethostname()[:128], os.getpid(), self.role)
            live = await updates.live_instances(session, self.instance_ttl)
            if self.single_process:
                live = [self.instance]
            orphans = await updates.orphaned(session, live)
            waiting = await updates.waiting_chats(session, self.grace)
        for orphan in orphans:
            if orphan.chat_key in self._active and any(o.id == orphan.id for o in self._owed.get(orphan.chat_key, [])):
                continue
            async with self.store.unit() as uow:
                taken = await updates.take_over(uow.session, orphan, self.instance)
            if taken:
                log.info("inbox: sending replies of update row %s left by %s", orphan.id, orphan.claimed_by)
                self._owed.setdefault(orphan.chat_key, []).append(orphan)
                self.kick(orphan.chat_key)
        for chat_key in waiting:
            if chat_key not in self._active:
                self.kick(chat_key)
