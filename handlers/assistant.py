"""The dialogue's composition root: routers in order, one unit of work per update, and the
promises every handler keeps — a re-delivered update is answered once, oversized text is cut
with a note, a stray button gets a clear answer, and no failure reaches the citizen as a trace."""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from backend.errors import StoreUnavailable
from backend.repo import citizens, dialogue, updates
from backend.store import Store, UnitOfWork
from knowledge import payloads
from nlp import normalize, truncate

from . import cards, chat, choices, feedback, intake, qa, review, start, status, steering, subscriptions
from .context import CitizenNeeded, Context, DialogueState, Services
from .router import Router, RouterSet
from .types import Button, Incoming, Reply, rows

log = logging.getLogger(__name__)

# ── 用户可见文字 ──────────────────────────────────────────────────────────────
TOO_LONG = "您的消息超过了 {limit} 字，我先收下了前 {limit} 个字（到「……{end}」为止）。"
STALE_BUTTON = "这个按钮已经失效了（可能是之前的对话）。请看下面的菜单，或直接打字告诉我。"
UNKNOWN_COMMAND = "没有这个命令。"
STORE_DOWN = (
    "抱歉，系统暂时忙不过来，刚才这条没能保存。您之前填写的内容都还在，不会丢失。"
    "请稍等一两分钟后点「重试」，或重新发送。"
)
FAILED = "抱歉，处理时出了点问题。您之前输入的内容没有丢失，请再试一次；如果一直不行，可以拨打 {hotline}。"
NOTHING_TO_RETRY = "没有需要重试的内容了。"
UNSUPPORTED = "抱歉，我暂时看不懂{what}。请用文字告诉我，照片和文件可以在反映问题时上传。"
RETRY = Button("重试", payloads.RETRY.build("retry"))
# ─────────────────────────────────────────────────────────────────────────────

_RETRY_MEMORY = 1000  # users whose last failed update we keep for the 「重试」 button


class _AlreadyHandled(Exception):
    """The update is already handled (a re-delivery, or another process got there first), or it
    is not its turn yet (an earlier update of the same citizen waits): roll back, answer nothing."""


# The transport's last statement in the turn's transaction (the inbox's "handled, owing these
# replies"); False when the update was already handled, and the turn is rolled back.
Finish = Callable[[UnitOfWork, list[Reply]], Awaitable[bool]]


class KeyedLocks:
    """One asyncio.Lock per key, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


class Assistant:
    """Takes an Incoming, returns the Replies. Shared by Telegram, the web chat and the console."""

    def __init__(self, store: Store, services: Services, *routers: Router) -> None:
        self.store = store
        self.services = services
        self.routers = RouterSet()
        # one router per feature, composed here
        features = (start, qa, intake, status, steering, cards, review, feedback, subscriptions)
        self.routers.include(*(feature.router for feature in features), *routers)
        self._locks = KeyedLocks()
        self._failed: OrderedDict[str, Incoming] = OrderedDict()

    @property
    def commands(self) -> list[str]:
        return self.routers.command_names

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """One turn for a transport that answers at once (web chat, console): its replies, or
        [] for a re-delivered update; a database outage is answered politely, the input kept."""
        if incoming.button == RETRY.data:
            previous = self._failed.pop(incoming.key, None)
            if previous is None:
                return [Reply(NOTHING_TO_RETRY, start.menu())]
            incoming = previous
        try:
            return await self._turn(incoming, None)
        except _AlreadyHandled:
            log.info("update %s was already handled; not answering again", incoming.update_id)
            return []
        except StoreUnavailable as exc:
            log.warning("store unavailable for update %s: %s", incoming.update_id, exc)
            self._remember_failed(incoming)
            return [Reply(STORE_DOWN, rows(RETRY))]
        except Exception:
            log.exception("update %s failed in the dialogue", incoming.update_id)
            return [Reply(FAILED.format(hotline=self.services.hotline))]

    async def handle_stored(self, incoming: Incoming, finish: Finish) -> list[Reply] | None:
        """One turn for an update kept in the inbox: `finish` records it handled with its replies
        in the same transaction. None: already handled, or not its turn yet. A database outage
        raises StoreUnavailable (the update stays in the inbox and is tried again)."""
        try:
            return await self._turn(incoming, finish)
        except _AlreadyHandled:
            return None
        except StoreUnavailable:
            raise
        except Exception:
            log.exception("update %s failed in the dialogue", incoming.update_id)
            replies = [Reply(FAILED.format(hotline=self.services.hotline))]
            async with self.store.unit() as uow:  # answered (with an apology) once, not retried forever
                return replies if await finish(uow, replies) else None

    def _remember_failed(self, incoming: Incoming) -> None:
        self._failed[incoming.key] = incoming
        self._failed.move_to_end(incoming.key)
        while len(self._failed) > _RETRY_MEMORY:
            self._failed.popitem(last=False)

    async def _turn(self, incoming: Incoming, finish: Finish | None) -> list[Reply]:
        # the in-process lock keeps this process's updates of one citizen in order and off the
        # database lock; the database lock (PostgreSQL) does it across processes
        async with self._locks.hold(incoming.key):
            read: list[Context] = []  # the first attempt's context: its reading of the message is kept
            try:
                return await self._handle(incoming, finish, make_citizen=False, read=read)
            except CitizenNeeded:
                # the first turn that stores something about them: again, with their row made
                return await self._handle(incoming, finish, make_citizen=True, read=read)

    async def _handle(
        self, incoming: Incoming, finish: Finish | None, *, make_citizen: bool, read: list[Context]
    ) -> list[Reply]:
        limit = self.services.max_message_chars
        text, cut = truncate(normalize(incoming.text), limit)
        loaded = None
        if self.store.one_process:
            # one process (SQLite): this citizen's turns are already one at a time (the in-process
            # lock), so the state is read in a unit of its own, and the turn's unit takes the one
            # connection only when it writes — the dialogue's thinking (retrieval, …) runs while
            # other citizens' units use it
            async with self.store.unit() as uow:
                loaded = await dialogue.load_turn(uow.session, incoming.key, incoming.channel, incoming.user_id)
        async with self.store.unit() as uow:
            session = uow.session
            if loaded is None:  # PostgreSQL: the citizen's lock, then the state, in one transaction
                await dialogue.lock(session, incoming.key)
                loaded = await dialogue.load_turn(session, incoming.key, incoming.channel, incoming.user_id)
            citizen_id = loaded.citizen_id
            if citizen_id is None and make_citizen:
                citizen_id = await citizens.ensure(session, incoming.channel, incoming.user_id, incoming.chat_id)
            elif citizen_id is not None and (loaded.blocked_at is not None or loaded.chat_id != incoming.chat_id):
                await citizens.touch(session, citizen_id, incoming.chat_id)  # they wrote: not blocking us
            before = (loaded.state, copy.deepcopy(loaded.data))
            ctx = Context(incoming, text, DialogueState(loaded.state, loaded.data), citizen_id, uow, self.services)
            ctx.cut = cut
            if read:
                ctx.keep_reading(read[0])  # a rerun reads nothing twice
            read.append(ctx)
            await self._dispatch(ctx)
            choices.remember(ctx)
            if cut:
                ctx.replies.insert(0, Reply(TOO_LONG.format(limit=limit, end=text[-12:])))
            await dialogue.save(session, incoming.key, ctx.state.name, ctx.state.data, before)
            if finish is not None:
                recorded = await finish(uow, ctx.replies)
            elif incoming.update_id is not None:
                recorded = await updates.mark(session, incoming.channel, incoming.update_id)
            else:
                recorded = True
            if not recorded:
                raise _AlreadyHandled  # a re-delivery, or another process answered it: roll back
        return ctx.replies

    async def _press(self, ctx: Context, data: str) -> None:
        """A button's payload to the feature that owns its prefix."""
        prefix, payload = payloads.split(data)
        callback = self.routers.button(prefix)
        if callback is None:
            ctx.say(STALE_BUTTON, start.menu())
        else:
            await callback(ctx, payload)

    async def _dispatch(self, ctx: Context) -> None:
        incoming = ctx.incoming
        if incoming.button is None and not self.routers.reads_choices(ctx.state.name):
            # typed instead of pressed: 「就我自己」 answers the buttons just shown like a press
            typed = await choices.typed_press(ctx, self.routers.standing_offers)
            if typed is not None:
                ctx.incoming = incoming = dataclasses.replace(incoming, button=typed)
        if incoming.button is not None:
            await self._press(ctx, incoming.button)
            return
        if ctx.text:
            # harm first (条例第二十五条): in every dialogue state, even in a command's text, before anything else
            await steering.care_if_urgent(ctx, ctx.reading.urgency)
        if ctx.text.startswith("/"):
            command, _, argument = ctx.text[1:].partition(" ")
            command = command.split("@", 1)[0].lower()  # Telegram groups send /start@botname
            argument = argument.strip()
            if command == "start" and argument and start.valid_payload(argument):
                ctx.state.data["start_payload"] = argument
                claimed = self.routers.deep_link(argument)
                if claimed is not None:
                    await claimed[0](ctx, claimed[1])
                    return
            callback = self.routers.command(command)
            if callback is None:
                ctx.say(UNKNOWN_COMMAND + start.HELP, start.menu())
            else:
                await callback(ctx, argument)
            return
        state_callback = self.routers.state(ctx.state.name)
        if state_callback is not None:
            await state_callback(ctx)
            return
        if incoming.unsupported and not ctx.text:
            ctx.say(UNSUPPORTED.format(what=incoming.unsupported), start.menu())
            return
        await chat.free_text(ctx)
