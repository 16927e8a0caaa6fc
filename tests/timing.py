"""Timing for tests that compare two costs measured in the same run (a ratio, never an absolute time)."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_seconds(fn: Callable[[str], object], text: str, runs: int = 3) -> float:
    """The fastest of `runs` calls of `fn(text)`, in seconds: the least disturbed by other work on the machine."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - start)
    return best
