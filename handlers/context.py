"""Everything a feature callback needs for one update: what came in, who, where in the
dialogue, the unit of work on the case store, the NLP engine, and the replies so far."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from backend.filing import MAX_FACTS_CHARS
from backend.store import UnitOfWork
from nlp import Engine, Reading

from .types import Button, Incoming, Reply


@dataclass(frozen=True, slots=True)
class Services:
    """Process-wide, read-only: built once by the composition root (bot/)."""

    engine: Engine
    hotline: str = "12345"
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    max_message_chars: int = MAX_FACTS_CHARS
    max_attachment_bytes: int = 10 * 1024 * 1024
    clock: Callable[[], datetime] = field(default=lambda: datetime.now().astimezone())

    def now(self) -> datetime:
        return self.clock().astimezone(self.timezone)

    def today(self) -> date:
        return self.now().date()


@dataclass
class DialogueState:
    """Where the citizen is in a conversation, and what the dialogue holds (the draft)."""

    name: str = "idle"
    data: dict[str, Any] = field(default_factory=dict)


# dialogue data that outlives a single conversation (e.g. which drafts were already filed)
_KEPT_ACROSS_RESETS = frozenset({"filed", "cancelled_draft", "start_payload"})


class CitizenNeeded(BaseException):  # a signal, not an error: no `except Exception` swallows it
    """A feature needs the citizen's row, which does not exist yet: the turn is rolled back and
    run again with the row made (once per citizen, on the first turn that stores something)."""


@dataclass
class Context:
    incoming: Incoming
    text: str  # normalised and length-limited
    state: DialogueState
    known_citizen_id: int | None  # None: nothing stored about them yet (no row)
    uow: UnitOfWork
    services: Services
    replies: list[Reply] = field(default_factory=list)
    cut: bool = False  # the message was longer than the limit: `text` is its beginning
    _reading: Reading | None = field(default=None, repr=False)

    @property
    def reader_id(self) -> int:
        """For look-ups only (their cases, their topics): the row id, or 0 — no row matches it —
        so asking what one has stored stores nothing."""
        return self.known_citizen_id or 0

    @property
    def citizen_id(self) -> int:
        """The citizen's row id; the row is made on first use (a greeting or a question makes none)."""
        if self.known_citizen_id is None:
            raise CitizenNeeded
        return self.known_citizen_id

    def say(self, text: str, buttons: tuple[tuple[Button, ...], ...] = ()) -> None:
        self.replies.append(Reply(text, buttons))

    def go(self, name: str, **data: Any) -> None:
        """Enter a dialogue state, keeping the data already held unless overwritten."""
        self.state.name = name
        self.state.data.update(data)

    def reset(self) -> None:
        """Back to idle; the draft and other dialogue data are dropped (filed ids are kept)."""
        kept = {k: v for k, v in self.state.data.items() if k in _KEPT_ACROSS_RESETS}
        self.state.name, self.state.data = "idle", kept

    @property
    def engine(self) -> Engine:
        return self.services.engine

    @property
    def reading(self) -> Reading:
        """The message read once (intent, door, answer, routing, harm, date); shared by every handler."""
        if self._reading is None or self._reading.text != self.text:
            self._reading = self.engine.read(self.text, self.services.today())
        return self._reading

    def keep_reading(self, earlier: Context) -> None:
        """Take over what an earlier attempt at this same turn already read."""
        self._reading = earlier._reading
