"""What goes into the dialogue and what comes out, independent of any transport."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_BUTTON_DATA_BYTES = 64  # Telegram's callback_data limit; the web chat keeps to it too


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    data: str
    # what typing this button looks like, beyond its own label: meanings of knowledge/data/choices.toml
    # (「submit」 makes 「没问题，提交吧」 press 「确认提交」); transports ignore it
    meanings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.data or len(self.data.encode("utf-8")) > MAX_BUTTON_DATA_BYTES:
            raise ValueError(f"button data must be 1–{MAX_BUTTON_DATA_BYTES} bytes: {self.data!r}")


@dataclass(frozen=True, slots=True)
class Reply:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()  # rows of buttons

    @property
    def button_list(self) -> list[Button]:
        return [b for row in self.buttons for b in row]


@dataclass(frozen=True, slots=True)
class IncomingAttachment:
    """A photo or document, already fetched by the transport (bounded by the size limit)."""

    kind: str  # "photo" or "document"
    file_name: str
    mime_type: str
    size: int
    data: bytes = field(repr=False, default=b"")
    refused: str | None = None  # the transport did not fetch it (e.g. too large), in words


@dataclass(frozen=True, slots=True)
class Incoming:
    """One thing a citizen did: typed text, pressed a button, or sent a file."""

    channel: str  # "telegram", "web", "console"
    chat_id: str
    user_id: str
    text: str = ""
    button: str | None = None
    attachments: tuple[IncomingAttachment, ...] = ()
    update_id: str | None = None  # the transport's id, to answer a re-delivered update once
    user_name: str | None = None
    # something the transport could not pass on (sticker, location, oversize file …), in words
    unsupported: str | None = None

    @property
    def key(self) -> str:
        return f"{self.channel}:{self.user_id}"


def rows(*buttons: Button, per_row: int = 2) -> tuple[tuple[Button, ...], ...]:
    """Lay buttons out in rows of `per_row`."""
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))
