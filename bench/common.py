"""Helpers for the benchmarks: timing, percentiles, and the shared data location."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_DEV = REPO.parent / "shared" / "dev"


def dev_file(name: str) -> Path:
    # $XINFANG_SHARED_DIR (the shared directory) wins, as for `xinfang demo load`
    override = os.environ.get("XINFANG_SHARED_DIR")
    path = (Path(override) / "dev" if override else SHARED_DEV) / name
    if not path.exists():
        sys.exit(f"需要 {path}（共享开发数据，放在仓库旁边的 shared/dev/）")
    return path


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def time_each(func: Callable[[str], object], items: Iterable[str], repeat: int) -> tuple[list[float], float]:
    """Per-call latencies (ms) over `repeat` passes, and the total wall time (s)."""
    items = list(items)
    latencies: list[float] = []
    start = time.perf_counter()
    for _ in range(repeat):
        for item in items:
            t = time.perf_counter()
            func(item)
            latencies.append((time.perf_counter() - t) * 1000)
    return latencies, time.perf_counter() - start


def summary(name: str, latencies: list[float], wall: float) -> str:
    qps = len(latencies) / wall if wall else 0.0
    return (
        f"{name:<28} {qps:>9.0f}/s   p50 {statistics.median(latencies):6.3f} ms   "
        f"p99 {percentile(latencies, 99):6.3f} ms"
    )
