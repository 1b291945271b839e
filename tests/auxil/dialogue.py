"""Driving the dialogue in tests: a citizen that types and presses buttons, with fresh update ids."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from handlers import Assistant, Incoming, IncomingAttachment, Reply

_update_ids = itertools.count(1)


@dataclass
class Citizen:
    assistant: Assistant
    user_id: str = "1001"
    channel: str = "telegram"
    last: list[Reply] = field(default_factory=list)

    async def send(self, text: str = "", **kwargs) -> list[Reply]:  # type: ignore[no-untyped-def]
        incoming = Incoming(
            self.channel, self.user_id, self.user_id, text=text, update_id=str(next(_update_ids)), **kwargs
        )
        self.last = await self.assistant.handle(incoming)
        return self.last

    async def press(self, label_or_data: str) -> list[Reply]:
        """Press a button of the last replies, by its label (or its data, for stray buttons)."""
        data = next((b.data for r in self.last for b in r.button_list if b.label == label_or_data), label_or_data)
        return await self.send(button=data)

    async def attach(self, name: str, mime: str, data: bytes, kind: str = "document") -> list[Reply]:
        return await self.send(attachments=(IncomingAttachment(kind, name, mime, len(data), data),))

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.last)

    @property
    def buttons(self) -> list[str]:
        return [b.label for r in self.last for b in r.button_list]
