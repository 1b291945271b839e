"""The Telegram side of a turn: an update from the inbox becomes an `Incoming` for the
channel-agnostic Assistant, and its Replies become messages owed, sent through the
rate-limited bot. python-telegram-bot provides the bot (HTTP, rate limiter); updates come from
our inbox (see pipeline.py), not from PTB's queue, so nothing acknowledged lives only in memory.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from telegram import BotCommand, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from backend.errors import StoreUnavailable
from backend.repo import citizens, updates
from backend.repo.updates import Stored
from backend.sendbudget import SendBudget
from backend.store import Store, UnitOfWork
from handlers import Assistant, IncomingAttachment, Reply

from ..config import Config
from ..flood import Admission, FloodControl
from ..send_budget import BudgetRateLimiter
from .convert import PendingFile, from_payload, pending_file, to_incoming, to_payloads
from .link import TelegramLink
from .pipeline import SentLog

log = logging.getLogger(__name__)

# ── 用户可见文字 ──────────────────────────────────────────────────────────────
COMMANDS = [
    ("start", "开始 / 主菜单"),
    ("ask", "咨询信访工作条例"),
    ("complain", "我要反映问题"),
    ("status", "查询办理进度（加受理编号）"),
    ("mycases", "我反映过的事项"),
    ("subscribe", "订阅条例学习、政策解读"),
    ("unsubscribe", "退订"),
    ("help", "使用说明"),
    ("cancel", "取消当前操作"),
]
GROUP_NOTICE = "为保护您的个人信息，请私聊我反映问题：点我的头像，发送 /start。"
EDITED = "我看到您修改了之前的消息。已经填写的内容如需更正，请在提交前点「修改」；也可以直接重新发送。"
SLOW_DOWN = "您发得有点快，我一条一条看，请稍等几秒 🙂"
FAILED = "抱歉，处理时出了点问题。您之前输入的内容没有丢失，请稍后再试。"
DELAYED = "抱歉，系统暂时忙，您的消息已经收到、不会丢失，恢复后会马上回复您，不用重发。"
TOO_BIG = "文件超过 {mb} MB"
NOT_FETCHED = "文件下载失败，请重新发送"
# ─────────────────────────────────────────────────────────────────────────────

SEND_RETRY = timedelta(seconds=2)  # a network failure: the message is tried again after this
MAX_ARRIVALS = 100_000  # flood decisions kept for updates not yet handled here


def file_url_for(base_url: str) -> str:
    """The file-download base for an API base: …/bot → …/file/bot (as api.telegram.org does)."""
    return base_url[: -len("bot")] + "file/bot" if base_url.endswith("/bot") else base_url.rstrip("/") + "/file/bot"


def build_application(config: Config, budget: SendBudget | None = None) -> Application:
    """The bot: HTTP with a connection pool, every send within the bot's shared send budget
    (bot/send_budget.py; PTB's own limiter without one). No updater: we poll ourselves."""
    return (
        ApplicationBuilder()
        .token(config.telegram_bot_token or "")
        .base_url(config.telegram_api_base_url)
        .base_file_url(file_url_for(config.telegram_api_base_url))
        .rate_limiter(
            BudgetRateLimiter(budget)  # the bot's shared send budget (bot/send_budget.py)
            if budget is not None
            else AIORateLimiter(overall_max_rate=config.telegram_global_rate, max_retries=3)
        )
        .connection_pool_size(32)  # sends in parallel (PTB's default is a single connection)
        .pool_timeout(10.0)
        .updater(None)
        .build()
    )


async def register_commands(application: Application) -> None:
    """setMyCommands with the Chinese descriptions (called once the bot is initialised)."""
    try:
        await application.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])
    except TelegramError as exc:  # commands are a convenience; the bot works without them
        log.warning("setMyCommands failed: %s", exc)


def chat_key(payload: dict[str, Any]) -> str:
    """Whose turn an update is: the dialogue key of its sender (one queue per citizen)."""
    for kind in ("message", "edited_message", "callback_query", "channel_post", "my_chat_member", "chat_member"):
        body = payload.get(kind)
        if isinstance(body, dict):
            sender = body.get("from") or body.get("chat") or {}
            if "id" in sender:
                return f"telegram:{sender['id']}"
    return f"telegram:update:{payload.get('update_id')}"  # nobody's: a queue of its own


def private_chat(key: str) -> int | None:
    """The private chat of a citizen's key (in a private chat, the chat id is the user id)."""
    user = key.removeprefix("telegram:")
    return int(user) if user.isdigit() else None


@dataclass
class TelegramTurns:
    """Handles one stored update (in a transaction that records its replies) and sends them."""

    application: Application
    assistant: Assistant
    store: Store
    config: Config
    instance: str
    link: TelegramLink = field(default_factory=TelegramLink)

    def __post_init__(self) -> None:
        self.flood = FloodControl(rate=self.config.flood_rate, burst=self.config.flood_burst)
        self.sent_log = SentLog(self.store, self.instance)
        self._told_delayed: set[str] = set()
        self._arrivals: OrderedDict[int, tuple[float, Admission]] = OrderedDict()

    def arrived(self, stored: Stored) -> None:
        """Flood control at arrival: a citizen's pace is how fast they sent, not how fast a backlog
        (after an outage, say) is worked off."""
        now = time.monotonic()
        self._arrivals[stored.id] = (now, self.flood.reserve(stored.chat_key, now))
        while len(self._arrivals) > MAX_ARRIVALS:  # handled elsewhere (another process): forget
            self._arrivals.popitem(last=False)

    async def tell_delayed(self, key: str) -> None:
        """The database is down and this citizen waits: say so, once until they are answered."""
        chat_id = private_chat(key)
        if key in self._told_delayed or chat_id is None:
            return
        self._told_delayed.add(key)
        await self._notice(chat_id, DELAYED)

    @property
    def bot(self) -> Any:
        return self.application.bot

    async def handle(self, stored: Stored) -> list[dict] | None:
        """The messages this update owes (recorded as handled), or None: already handled, or an
        earlier update of the same citizen must go first. StoreUnavailable: try again later."""
        try:
            owed = await self._handle(stored)
        except StoreUnavailable:
            raise
        except Exception:  # a malformed update, a bug: apologise once, never loop on it
            log.exception("inbox row %s could not be handled", stored.id)
            chat_id = private_chat(stored.chat_key)
            return await self._finish_without_dialogue(stored, chat_id, [Reply(FAILED)] if chat_id else [])
        self._told_delayed.discard(stored.chat_key)
        return owed

    async def _handle(self, stored: Stored) -> list[dict] | None:
        update = Update.de_json(stored.payload, self.bot)
        chat = update.effective_chat if update is not None else None
        if update is None or chat is None or update.effective_user is None:
            return await self._finish_without_dialogue(stored, None, [])  # channel posts, …: nothing to answer
        if chat.type != ChatType.PRIVATE:
            message = update.effective_message
            command = message is not None and (message.text or "").startswith("/")
            return await self._finish_without_dialogue(stored, chat.id, [Reply(GROUP_NOTICE)] if command else [])
        if update.edited_message is not None:
            return await self._finish_without_dialogue(stored, chat.id, [Reply(EDITED)])
        arrival = self._arrivals.pop(stored.id, None)
        if arrival is not None:
            arrived_at, admission = arrival
            if not admission.allowed:  # far beyond a person's pace: a script
                log.info("flood: dropped update %s", update.update_id)
                return await self._finish_without_dialogue(stored, chat.id, [])
            if admission.notify:
                await self._notice(chat.id, SLOW_DOWN)
            if (wait := arrived_at + admission.wait - time.monotonic()) > 0:
                await asyncio.sleep(wait)
        if update.callback_query is not None:
            await _acknowledge(update)
        attachments: tuple[IncomingAttachment, ...] = ()
        if update.message is not None and (pending := pending_file(update.message)) is not None:
            attachments = (await self.fetch(pending),)
        incoming = to_incoming(update, attachments)
        if incoming is None:
            return await self._finish_without_dialogue(stored, chat.id, [])
        owed: list[dict] = []

        async def finish(uow: UnitOfWork, replies: list[Reply]) -> bool:
            owed[:] = _addressed(chat.id, replies)
            return await updates.finish(uow.session, stored.id, owed, self.instance)

        replies = await self.assistant.handle_stored(incoming, finish)
        return None if replies is None else owed

    async def _finish_without_dialogue(
        self, stored: Stored, chat_id: int | None, replies: list[Reply]
    ) -> list[dict] | None:
        owed = _addressed(chat_id, replies) if chat_id is not None else []
        async with self.store.unit() as uow:
            return owed if await updates.finish(uow.session, stored.id, owed, self.instance) else None

    async def _notice(self, chat_id: int, text: str) -> None:
        """A courtesy message outside the dialogue (not owed: losing it in a crash is harmless)."""
        try:
            await self.bot.send_message(chat_id=chat_id, text=text)
        except TelegramError as exc:
            log.info("notice to chat %s not sent: %s", chat_id, exc)

    async def fetch(self, pending: PendingFile) -> IncomingAttachment:
        """Download a photo/document through the Bot API — only when it is within the size limit."""
        limit = self.config.max_attachment_bytes
        base = {
            "kind": pending.kind,
            "file_name": pending.file_name,
            "mime_type": pending.mime_type,
            "size": pending.size,
        }
        if pending.size > limit:
            return IncomingAttachment(**base, refused=TOO_BIG.format(mb=limit // 1024 // 1024))
        try:
            file = await self.bot.get_file(pending.file_id)
            data = bytes(await file.download_as_bytearray())
        except TelegramError as exc:
            log.warning("file download failed: %s", exc)
            return IncomingAttachment(**base, refused=NOT_FETCHED)
        if len(data) > limit:
            return IncomingAttachment(**base, refused=TOO_BIG.format(mb=limit // 1024 // 1024))
        return IncomingAttachment(**{**base, "size": len(data)}, data=data)

    async def deliver(self, inbox_id: int, messages: list[dict], start: int = 0) -> None:
        """Send `messages[start:]` in order, recording each one sent as soon as Telegram took it.

        Only a message in flight at a crash can go out twice (Telegram has no idempotent send);
        everything recorded sent is never sent again, and nothing recorded owed is dropped."""
        index = start
        while index < len(messages):
            message = messages[index]
            try:
                await self.bot.send_message(chat_id=message["chat_id"], **from_payload(message))
                self.link.ok()
            except Forbidden:
                log.info("chat %s has blocked the bot; marking it", message["chat_id"])
                await self._record(inbox_id, len(messages), done=True, blocked=str(message["chat_id"]))
                return
            except RetryAfter as exc:  # the rate limiter's retries ran out: wait as asked, same message
                await asyncio.sleep(_seconds(exc.retry_after))
                continue
            except BadRequest as exc:  # this message can never be sent as it is: skip it, keep the order
                log.warning("message to chat %s refused: %s", message["chat_id"], exc)
            except NetworkError as exc:  # no answer: it may or may not have arrived; try again
                # when the API is away, said once (TelegramLink); wait for it, probed with backoff
                self.link.failed(exc)
                await self.link.wait_up(max(SEND_RETRY.total_seconds(), self.link.retry_max))
                continue
            except TelegramError as exc:
                log.warning("sending to chat %s failed: %s", message["chat_id"], exc)
            index += 1
            await self._record(inbox_id, index, done=index == len(messages))

    async def _record(self, inbox_id: int, parts: int, *, done: bool, blocked: str | None = None) -> None:
        if blocked is None:
            await self.sent_log.record(inbox_id, parts, done)
            return
        delay = 0.5
        while True:  # what went out must be recorded, or it would go out again
            try:
                async with self.store.unit() as uow:
                    await citizens.mark_blocked(uow.session, "telegram", blocked)
                    await updates.record_sent(uow.session, inbox_id, self.instance, parts, done)
                return
            except StoreUnavailable as exc:
                log.warning("could not record a sent message (%s); retrying", exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)


def _addressed(chat_id: int, replies: list[Reply]) -> list[dict]:
    return [{"chat_id": chat_id, **payload} for payload in to_payloads(replies)]


def _seconds(value: Any) -> float:
    return float(value.total_seconds() if isinstance(value, timedelta) else value)


async def _acknowledge(update: Update) -> None:
    """Stop the button's spinner and take the keyboard off the pressed message (no double press)."""
    query = update.callback_query
    assert query is not None
    try:
        await query.answer()
        if query.message is not None:
            await query.edit_message_reply_markup(reply_markup=None)
    except (BadRequest, TelegramError) as exc:  # an old message, already edited: harmless
        log.debug("callback acknowledgement failed: %s", exc)
