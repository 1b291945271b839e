"""The dialogue, channel-agnostic: an Incoming goes in, a list of Reply comes out.

Only transports (bot/) know about Telegram or HTTP; everything here works on plain dataclasses,
so the same conversation runs on Telegram, the web chat and the terminal.
"""

from .assistant import Assistant
from .context import Services
from .types import Button, Incoming, IncomingAttachment, Reply

__all__ = ["Assistant", "Button", "Incoming", "IncomingAttachment", "Reply", "Services"]
