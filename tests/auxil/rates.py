"""Reading send times (the Bot API stand-in's arrival stamps): the busiest second and the pace."""

from __future__ import annotations

from collections.abc import Sequence


def busiest_second(stamps: Sequence[float], window: float = 1.0) -> int:
    """The most sends in any window of `window` seconds (any start, not only whole seconds)."""
    ordered = sorted(stamps)
    best, left = 0, 0
    for right, t in enumerate(ordered):
        while t - ordered[left] >= window:
            left += 1
        best = max(best, right - left + 1)
    return best


def pace(stamps: Sequence[float]) -> float:
    """Sends per second from the first to the last: (n − 1) gaps over the time they took."""
    if len(stamps) < 2:
        return 0.0
    return (len(stamps) - 1) / (max(stamps) - min(stamps))
