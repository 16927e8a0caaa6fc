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


def best_pair(fn: Callable[[str], object], small: str, large: str, rounds: int = 5) -> tuple[float, float]:
    """The fastest calls of `fn(small)` and `fn(large)`, measured in turn round after round: a busy spell on the
    machine slows both sizes alike instead of only the one being measured at the time."""
    best_small = best_large = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        fn(small)
        middle = time.perf_counter()
        fn(large)
        end = time.perf_counter()
        best_small, best_large = min(best_small, middle - start), min(best_large, end - middle)
    return best_small, best_large
