"""A clock tests can move forward (days later, across a deadline)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from handlers import Assistant


class Clock:
    def __init__(self, start: datetime = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def with_clock(assistant: Assistant, clock: Clock) -> Assistant:
    assistant.services = dataclasses.replace(assistant.services, clock=clock)
    return assistant
