"""Script run time of every registered page (first run and rerun) next to a two-line hello page.

Usage: .venv/bin/python benchmarks/bench_pages.py [--reruns 5] [--page monitor]
Runs each page with Streamlit's AppTest in this process: the first run (imports, loading, cold
caches), then `--reruns` reruns with nothing changed, which is what every click on a page pays.
Prints the first run and the median rerun in milliseconds; the goal is a median rerun <= 50 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)  # Streamlit reads .streamlit/config.toml from here, as `vpn-lab run` does

from streamlit.testing.v1 import AppTest  # noqa: E402

from lab import PACKAGE_DIR  # noqa: E402
from lab.ui.registry import PAGES  # noqa: E402

HELLO = 'import streamlit as st\nst.write("Hello")\n'
GOAL_MS = 50.0


def _timed(at: AppTest) -> float:
    start = time.perf_counter()
    at.run()
    elapsed = (time.perf_counter() - start) * 1000
    if at.exception:
        raise SystemExit(f"the page raised: {at.exception[0].value}")
    return elapsed


def measure(at: AppTest, script: str | None, reruns: int) -> tuple[float, list[float]]:
    if script is not None:
        at.run()  # the app's entry point, then the page itself
        at.switch_page(script)
    first = _timed(at)
    return first, [_timed(at) for _ in range(reruns)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reruns", type=int, default=5)
    parser.add_argument("--page", action="append", help="url path of a page to measure (default: all)")
    args = parser.parse_args()
    rows = [("hello (2 lines)", *measure(AppTest.from_string(HELLO, default_timeout=120), None, args.reruns))]
    for spec in PAGES:
        if args.page and spec.url_path not in args.page and not (spec.url_path == "" and "home" in args.page):
            continue
        at = AppTest.from_file(str(PACKAGE_DIR / "app.py"), default_timeout=120)
        rows.append((spec.title, *measure(at, spec.script, args.reruns)))
    print(f"{'page':<18}{'first run ms':>14}{'rerun median ms':>17}   reruns ms")
    slow = []
    for name, first, reruns in rows:
        median = statistics.median(reruns)
        flag = "" if median <= GOAL_MS or name.startswith("hello") else f"   > {GOAL_MS:.0f} ms goal"
        slow += [name] if flag else []
        print(f"{name:<18}{first:>14.0f}{median:>17.1f}   {[round(x) for x in reruns]}{flag}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
