"""Update ⇄ Incoming, Reply ⇄ sendMessage arguments. The only place that knows both sides."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import MessageLimit

from handlers import Incoming, IncomingAttachment, Reply

# what a citizen may send that the dialogue cannot read, said in their words
_UNSUPPORTED = (
    ("sticker", "贴纸"),
    ("location", "位置"),
    ("venue", "地点"),
    ("voice", "语音"),
    ("audio", "音频"),
    ("video", "视频"),
    ("video_note", "视频消息"),
    ("animation", "动图"),
    ("contact", "名片"),
    ("poll", "投票"),
    ("dice", "骰子"),
    ("game", "游戏"),
)
MAX_TEXT = MessageLimit.MAX_TEXT_LENGTH  # 4096


@dataclass(frozen=True, slots=True)
class PendingFile:
    """A photo or document to fetch through the Bot API (only when it is within the size limit)."""

    file_id: str
    kind: str
    file_name: str
    mime_type: str
    size: int


def unsupported_kind(message: Message) -> str | None:
    for attribute, words in _UNSUPPORTED:
        if getattr(message, attribute, None):
            return words
    return None


def pending_file(message: Message) -> PendingFile | None:
    if message.photo:
        photo = max(message.photo, key=lambda p: (p.file_size or 0, p.width * p.height))
        return PendingFile(
            photo.file_id, "photo", f"照片_{photo.file_unique_id}.jpg", "image/jpeg", photo.file_size or 0
        )
    if message.document:
        document = message.document
        return PendingFile(
            document.file_id,
            "document",
            document.file_name or f"文件_{document.file_unique_id}",
            document.mime_type or "application/octet-stream",
            document.file_size or 0,
        )
    return None


def to_incoming(
    update: Update, attachments: tuple[IncomingAttachment, ...] = (), unsupported: str | None = None
) -> Incoming | None:
    """The plain Incoming for a private-chat update, or None when there is nothing to answer."""
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        return None
    name = " ".join(p for p in (user.first_name, user.last_name) if p) or user.username
    common = {
        "channel": "telegram",
        "chat_id": str(chat.id),
        "user_id": str(user.id),
        "update_id": str(update.update_id),
        "user_name": name,
    }
    if update.callback_query is not None:
        return Incoming(button=update.callback_query.data or "", **common)
    message = update.message
    if message is None:
        return None
    text = message.text or message.caption or ""
    if unsupported is None and not text and not attachments:
        unsupported = unsupported_kind(message) or "这种消息"
    return Incoming(text=text, attachments=attachments, unsupported=unsupported, **common)


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in reply.buttons]
    )


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Cut a long answer under Telegram's limit, at paragraph or line ends where possible."""
    chunks: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind("\n\n", 0, limit), text.rfind("\n", 0, limit), text.rfind("。", 0, limit))
        cut = cut + 1 if cut > limit // 2 else limit
        chunks.append(text[:cut].rstrip())
        text = text[cut:].lstrip("\n")
    chunks.append(text)
    return [c for c in chunks if c] or [""]


def to_messages(reply: Reply) -> list[dict]:
    """sendMessage keyword arguments for one Reply; the buttons go with the last piece."""
    parts = split_text(reply.text or " ")
    markup = keyboard(reply)
    return [{"text": part, "reply_markup": markup if i == len(parts) - 1 else None} for i, part in enumerate(parts)]


def to_payloads(replies: list[Reply]) -> list[dict]:
    """The messages owed for these replies, as JSON the inbox keeps (one dict per sendMessage)."""
    payloads = []
    for reply in replies:
        buttons = [[[b.label, b.data] for b in row] for row in reply.buttons] or None
        parts = split_text(reply.text or " ")
        payloads += [
            {"text": part, "buttons": buttons if i == len(parts) - 1 else None} for i, part in enumerate(parts)
        ]
    return payloads


def from_payload(payload: dict) -> dict:
    """sendMessage keyword arguments for one owed message."""
    buttons = payload.get("buttons")
    markup = (
        InlineKeyboardMarkup(
            [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in buttons]
        )
        if buttons
        else None
    )
    return {"text": payload["text"], "reply_markup": markup}
