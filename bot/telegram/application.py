"""The python-telegram-bot Application: one factory, one update handler, one error handler.

Every private-chat update becomes an `Incoming` for the channel-agnostic Assistant, and its
Replies go out through the rate-limited bot. State is in our database, not in PTB's
persistence; the update id is passed on, so a re-delivered update is answered once.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from telegram import BotCommand, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, TypeHandler

from backend.repo import citizens
from backend.sendbudget import SendBudget
from backend.store import Store
from handlers import Assistant, IncomingAttachment, Reply

from ..config import Config
from ..flood import FloodControl
from ..send_budget import BudgetRateLimiter
from .convert import PendingFile, pending_file, to_incoming, to_messages

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
TOO_BIG = "文件超过 {mb} MB"
NOT_FETCHED = "文件下载失败，请重新发送"
# ─────────────────────────────────────────────────────────────────────────────

ASSISTANT_KEY = "assistant"
STORE_KEY = "store"
FLOOD_KEY = "flood"
LIMIT_KEY = "max_attachment_bytes"


def file_url_for(base_url: str) -> str:
    """The file-download base for an API base: …/bot → …/file/bot (as api.telegram.org does)."""
    return base_url[: -len("bot")] + "file/bot" if base_url.endswith("/bot") else base_url.rstrip("/") + "/file/bot"


def build_application(
    config: Config, assistant: Assistant, store: Store, *, webhook: bool, budget: SendBudget | None = None
) -> Application:
    builder = (
        ApplicationBuilder()
        .token(config.telegram_bot_token or "")
        .base_url(config.telegram_api_base_url)
        .base_file_url(file_url_for(config.telegram_api_base_url))
        .rate_limiter(
            BudgetRateLimiter(budget)  # the bot's shared send budget (bot/send_budget.py)
            if budget is not None
            else AIORateLimiter(overall_max_rate=config.telegram_global_rate, max_retries=3)
        )
        .concurrent_updates(64)  # across citizens; one citizen's updates are serialised by the Assistant
        .connection_pool_size(32)  # sends in parallel (PTB's default is a single connection)
        .pool_timeout(10.0)
    )
    if webhook:
        builder = builder.updater(None)
    application = builder.build()
    application.bot_data[ASSISTANT_KEY] = assistant
    application.bot_data[STORE_KEY] = store
    application.bot_data[FLOOD_KEY] = FloodControl(rate=config.flood_rate, burst=config.flood_burst)
    application.bot_data[LIMIT_KEY] = config.max_attachment_bytes
    application.add_handler(TypeHandler(Update, on_update))
    application.add_error_handler(on_error)
    return application


async def register_commands(application: Application) -> None:
    """setMyCommands with the Chinese descriptions (called once the bot is initialised)."""
    try:
        await application.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])
    except TelegramError as exc:  # commands are a convenience; the bot works without them
        log.warning("setMyCommands failed: %s", exc)


async def on_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat = update.effective_chat
    if chat is None or update.effective_user is None:
        return  # channel posts, poll answers, … : nothing to answer
    if chat.type != ChatType.PRIVATE:
        message = update.effective_message
        if message is not None and (message.text or "").startswith("/"):
            await send(context, chat.id, [Reply(GROUP_NOTICE)])
        return
    if update.edited_message is not None:
        await send(context, chat.id, [Reply(EDITED)])
        return
    flood: FloodControl = context.bot_data[FLOOD_KEY]
    admission = await flood.admit(str(chat.id), lambda: send(context, chat.id, [Reply(SLOW_DOWN)]))
    if not admission.allowed:
        log.info("flood: dropped update %s", update.update_id)
        return
    if update.callback_query is not None:
        await _acknowledge(update)
    attachments: tuple[IncomingAttachment, ...] = ()
    if update.message is not None and (pending := pending_file(update.message)) is not None:
        attachments = (await fetch(context, pending),)
    incoming = to_incoming(update, attachments)
    if incoming is None:
        return
    assistant: Assistant = context.bot_data[ASSISTANT_KEY]
    await send(context, chat.id, await assistant.handle(incoming))


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


async def fetch(context: ContextTypes.DEFAULT_TYPE, pending: PendingFile) -> IncomingAttachment:
    """Download a photo/document through the Bot API — only when it is within the size limit."""
    limit: int = context.bot_data[LIMIT_KEY]
    base = {"kind": pending.kind, "file_name": pending.file_name, "mime_type": pending.mime_type, "size": pending.size}
    if pending.size > limit:
        return IncomingAttachment(**base, refused=TOO_BIG.format(mb=limit // 1024 // 1024))
    try:
        file = await context.bot.get_file(pending.file_id)
        data = bytes(await file.download_as_bytearray())
    except TelegramError as exc:
        log.warning("file download failed: %s", exc)
        return IncomingAttachment(**base, refused=NOT_FETCHED)
    if len(data) > limit:
        return IncomingAttachment(**base, refused=TOO_BIG.format(mb=limit // 1024 // 1024))
    return IncomingAttachment(**{**base, "size": len(data)}, data=data)


async def send(context: Any, chat_id: int | str, replies: list[Reply]) -> bool:
    """Send the replies in order; False when the user has blocked the bot (and mark them so)."""
    for reply in replies:
        for message in to_messages(reply):
            try:
                await context.bot.send_message(chat_id=chat_id, **message)
            except Forbidden:
                log.info("chat %s has blocked the bot; marking it", chat_id)
                store: Store = context.bot_data[STORE_KEY]
                try:
                    async with store.unit() as uow:
                        await citizens.mark_blocked(uow.session, "telegram", str(chat_id))
                except Exception:  # the database may be down too; the next send will tell again
                    log.warning("could not mark chat %s as blocked", chat_id)
                return False
            except RetryAfter as exc:  # the rate limiter's retries ran out: say so, keep going
                log.warning("Telegram asks to wait %s s for chat %s; reply not sent", exc.retry_after, chat_id)
                return True
            except TelegramError as exc:
                log.warning("sending to chat %s failed: %s", chat_id, exc)
    return True


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The one error handler: log with the update id (the log filter masks PII), tell the user."""
    update_id = getattr(update, "update_id", None)
    log.error("error while handling update %s", update_id, exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        with contextlib.suppress(TelegramError):
            await context.bot.send_message(chat_id=update.effective_chat.id, text=FAILED)
