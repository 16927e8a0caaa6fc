"""A class on one app server: 30 participant sessions against one, interaction by interaction.

Each participant (a browser context of one Chromium) joins the class, opens lesson 1, answers its first
quiz question and answers the open drill. The script measures every interaction from the click (or
navigation) to the result on screen, first for one session alone, then for N sessions at once, and
reads the server's CPU time from /proc. It prints p50/p95 per interaction next to one session's, the
ratio (target: p95 within 2x of one session) and the server CPU per interaction.

Usage: .venv/bin/python benchmarks/bench_class.py [--sessions 30] [--sqlite]
Needs Debian's Chromium at /usr/bin/chromium; uses a PostgreSQL server it starts in a temporary
directory (Debian's binaries, like the tests) unless --sqlite or the binaries are missing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, running_app  # noqa: E402
from tests.pg import pg_bin, postgres_server  # noqa: E402

STEPS = ("join", "lesson", "quiz answer", "drill answer")
QUIZ_CHOICE = "It gives private connectivity over a shared public network"
DRILL = "s4-bgp-failover"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
TIMEOUT = 180_000


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children so far (from /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


async def participant(browser, url: str, code: str, n: int, times: dict[str, list[float]]) -> None:
    ctx = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await ctx.new_page()
    page.set_default_timeout(TIMEOUT)
    try:
        await page.goto(f"{url}/class?code={code}")
        await page.wait_for_selector(IDLE)
        await page.get_by_role("textbox", name="Display name").fill(f"Participant {n:02d}")
        t = time.perf_counter()
        await page.get_by_role("button", name="Join", exact=True).click()
        await page.get_by_text("How many seconds is traffic from the VPC to on-premises lost?").wait_for()
        times["join"].append(time.perf_counter() - t)

        t = time.perf_counter()
        await page.goto(f"{url}/lessons?lesson=what-is-a-vpn")
        await page.get_by_text(QUIZ_CHOICE).first.wait_for()
        times["lesson"].append(time.perf_counter() - t)
        await page.wait_for_selector(IDLE)

        t = time.perf_counter()
        await page.get_by_text(QUIZ_CHOICE).first.click()
        await page.get_by_text("Correct at the first try.").first.wait_for()
        times["quiz answer"].append(time.perf_counter() - t)

        await page.goto(f"{url}/class")
        await page.get_by_text("30 s", exact=True).wait_for()
        await page.get_by_text("30 s", exact=True).click()
        t = time.perf_counter()
        await page.get_by_role("button", name="Send answer").click()
        await page.get_by_text("Your answer is in").wait_for()
        times["drill answer"].append(time.perf_counter() - t)
    finally:
        await ctx.close()


async def room(url: str, code: str, sessions: int, start_at: int) -> dict[str, list[float]]:
    from playwright.async_api import async_playwright

    times: dict[str, list[float]] = {s: [] for s in STEPS}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            await asyncio.gather(*(participant(browser, url, code, start_at + i, times) for i in range(sessions)))
        finally:
            await browser.close()
    return times


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--sqlite", action="store_true", help="use an SQLite file instead of PostgreSQL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vpnlab-bench-") as tmp:
        if args.sqlite or pg_bin() is None:
            db, server = f"sqlite:///{tmp}/bench.sqlite3", None
        else:
            server = postgres_server()
            pg = server.__enter__()
            db = pg.create_database("bench")
        try:
            os.environ["VPNLAB_DATABASE_URL"] = db
            from lab.classes import create_class
            from lab.classes.drills import ready_made
            from lab.classes.live import start_drill
            from lab.store import describe_url, open_store

            store = open_store()
            cls, _key = create_class(store, "Benchmark room", datetime.now(UTC))
            prepared = next(p for s, p in ready_made() if s.id == DRILL)
            start_drill(store, cls, prepared, datetime.now(UTC), 3600)
            with running_app({"VPNLAB_DATABASE_URL": db}) as url:
                pid = _server_pid(url)
                asyncio.run(room(url, cls.code, 1, 0))  # warm-up: first page loads, caches
                cpu0 = _cpu_seconds(pid)
                alone = asyncio.run(room(url, cls.code, 1, 100))
                cpu1 = _cpu_seconds(pid)
                crowd = asyncio.run(room(url, cls.code, args.sessions, 200))
                cpu2 = _cpu_seconds(pid)
        finally:
            if server is not None:
                server.__exit__(None, None, None)
    print(f"Database: {describe_url(db).split('@')[-1]} · one app server · {args.sessions} sessions in one "
          f"Chromium ({os.cpu_count()} CPU cores on this machine)")
    print(f"{'interaction':<14}{'1 session s':>12}{'p50 s':>9}{'p95 s':>9}{'p95/1':>8}")
    worst = 0.0
    for step in STEPS:
        one = alone[step][0]
        p50, p95 = _p(crowd[step], 0.5), _p(crowd[step], 0.95)
        worst = max(worst, p95 / one)
        print(f"{step:<14}{one:>12.2f}{p50:>9.2f}{p95:>9.2f}{p95 / one:>8.1f}")
    n_one, n_crowd = len(STEPS) + 2, (len(STEPS) + 2) * args.sessions  # + page loads of join and drill
    print(f"server CPU per interaction: {1000 * (cpu1 - cpu0) / n_one:.0f} ms alone, "
          f"{1000 * (cpu2 - cpu1) / n_crowd:.0f} ms with {args.sessions} sessions")
    print(f"worst p95 / one session: {worst:.1f}x (target: within 2x)")


def _server_pid(url: str) -> int:
    """The streamlit process listening on the URL's port (found through /proc/net/tcp and fd links)."""
    port = int(url.rsplit(":", 1)[1])
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        parts = line.split()
        if int(parts[1].split(":")[1], 16) == port and parts[3] == "0A":
            inodes.add(parts[9])
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    return int(proc.name)
        except OSError:
            continue
    raise RuntimeError(f"no process listens on port {port}")


if __name__ == "__main__":
    main()
