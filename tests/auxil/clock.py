"""A clock tests can move forward (days later, across a deadline)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

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


def china_today() -> date:
    """Today as the office counts it: the server's dates are China time, whatever the machine's zone."""
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()
