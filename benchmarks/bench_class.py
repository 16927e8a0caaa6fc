"""A class on one app server: 30 participant sessions against one, interaction by interaction.

Each participant joins the class, opens lesson 1, answers its first quiz question, goes back to the
class page and answers the open drill; then it stays on the class page (whose drill area refreshes every
two seconds, like a participant's open tab) until the whole room is done. Every interaction is timed
from the request to the end of the page run it causes, first for one session alone, then for N sessions
at once; the server's CPU time comes from /proc. It prints p50/p95 per interaction next to one session's,
the ratio (target: p95 within 2x of one session) and the server CPU per interaction.

By default the participants speak Streamlit's websocket protocol (`benchmarks/st_protocol.py`): what a
browser sends and receives, without drawing the page, so the numbers are the server's, as in a room where
every participant's browser runs on their own laptop. `--browser` drives one Debian Chromium with one
context per participant instead; on a small machine that Chromium, drawing N pages at once on the same
cores as the server, is what gets measured (30 full page loads with plotly figures overwhelm 2 cores).

`--think S` makes each participant pause a random 0-S s before each interaction, as people in a room read
the question and decide; without it all of them click at the same instant, the worst case.

Usage: .venv/bin/python benchmarks/bench_class.py [--sessions 30] [--think S] [--sqlite] [--browser] [--repeat 1]
Uses a PostgreSQL server it starts in a temporary directory (Debian's binaries, like the tests) unless
--sqlite or the binaries are missing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from st_protocol import StreamlitSession, Widget  # noqa: E402

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, running_app  # noqa: E402
from tests.pg import pg_bin, postgres_server  # noqa: E402

BROWSER_STEPS = ("join", "lesson", "quiz answer", "drill answer")
PROTOCOL_STEPS = ("open class", "join", "lesson", "quiz answer", "class page", "drill answer")
LESSON = "what-is-a-vpn"
QUIZ_CHOICE = "It gives private connectivity over a shared public network"
DRILL_QUESTION = "How many seconds is traffic from the VPC to on-premises lost?"
DRILL = "s4-bgp-failover"
DRILL_ANSWER = "30 s"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
TIMEOUT = 180_000
ALONE_RUNS = 3  # the one-session baseline: the median of this many participants, one after the other


class FlowError(RuntimeError):
    """A page did not show what a participant expects at that step (the app changed, or failed)."""


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children so far (from /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


async def browser_participant(browser, url: str, code: str, n: int, times: dict[str, list[float]]) -> None:
    ctx = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await ctx.new_page()
    page.set_default_timeout(TIMEOUT)
    try:
        await page.goto(f"{url}/class?code={code}")
        await page.wait_for_selector(IDLE)
        await page.get_by_role("textbox", name="Display name").fill(f"Participant {n:02d}")
        t = time.perf_counter()
        await page.get_by_role("button", name="Join", exact=True).click()
        await page.get_by_text(DRILL_QUESTION).wait_for()
        times["join"].append(time.perf_counter() - t)

        t = time.perf_counter()
        await page.goto(f"{url}/lessons?lesson={LESSON}")
        await page.get_by_text(QUIZ_CHOICE).first.wait_for()
        times["lesson"].append(time.perf_counter() - t)
        await page.wait_for_selector(IDLE)

        t = time.perf_counter()
        await page.get_by_text(QUIZ_CHOICE).first.click()
        await page.get_by_text("Correct at the first try.").first.wait_for()
        times["quiz answer"].append(time.perf_counter() - t)

        await page.goto(f"{url}/class")
        await page.get_by_text(DRILL_ANSWER, exact=True).wait_for()
        await page.get_by_text(DRILL_ANSWER, exact=True).click()
        t = time.perf_counter()
        await page.get_by_role("button", name="Send answer").click()
        await page.get_by_text("Your answer is in").wait_for()
        times["drill answer"].append(time.perf_counter() - t)
    finally:
        await ctx.close()


async def browser_room(url: str, code: str, sessions: int, start_at: int) -> dict[str, list[float]]:
    from playwright.async_api import async_playwright

    times: dict[str, list[float]] = {s: [] for s in BROWSER_STEPS}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            await asyncio.gather(*(browser_participant(browser, url, code, start_at + i, times) for i in range(sessions)))
        finally:
            await browser.close()
    return times


async def _timed(times: dict[str, list[float]], step: str, run, think: float = 0.0):
    if think:  # a person reads, types and decides before each click
        await asyncio.sleep(random.uniform(0, think))
    t = time.perf_counter()
    result = await run
    times[step].append(time.perf_counter() - t)
    if result.exception:
        raise FlowError(f"{step}: the page failed: {result.exception}")
    return result


def _widget(result, label: str, step: str) -> Widget:
    if label not in result.widgets:
        raise FlowError(f"{step}: no widget labelled {label!r} (found: {sorted(result.widgets)})")
    return result.widgets[label]


def _expect(result, text: str, step: str) -> None:
    if not result.has(text):
        raise FlowError(f"{step}: {text!r} is not on the page")


async def protocol_participant(url: str, code: str, n: int, times: dict[str, list[float]],
                               room_done: asyncio.Event, counts: dict[str, int], think: float) -> None:
    s = StreamlitSession(url)
    await s.open()
    try:
        r = await _timed(times, "open class", s.goto("class", f"code={code}"), think)
        await s.fill(_widget(r, "Join code", "open class"), code)
        await s.fill(_widget(r, "Display name", "open class"), f"Participant {n:02d}")
        r = await _timed(times, "join", s.set(_widget(r, "Join", "join"), trigger_value=True), think)
        _expect(r, DRILL_QUESTION, "join")

        r = await _timed(times, "lesson", s.goto("lessons", f"lesson={LESSON}"), think)
        quiz = next((w for w in r.widgets.values() if w.kind == "radio"
                     and any(o.startswith(QUIZ_CHOICE) for o in w.options)), None)
        if quiz is None:
            raise FlowError(f"lesson: no quiz question offers {QUIZ_CHOICE!r}")
        pick = next(o for o in quiz.options if o.startswith(QUIZ_CHOICE))  # a radio sends the option's label
        r = await _timed(times, "quiz answer", s.set(quiz, string_value=pick), think)
        _expect(r, "Correct at the first try.", "quiz answer")

        r = await _timed(times, "class page", s.goto("class"), think)
        answer = _widget(r, "Your answer", "class page")
        if DRILL_ANSWER not in answer.options:
            raise FlowError(f"class page: the drill offers {answer.options}, not {DRILL_ANSWER!r}")
        await s.set_value(answer, string_value=DRILL_ANSWER)
        r = await _timed(times, "drill answer", s.set(_widget(r, "Send answer", "class page"), trigger_value=True), think)
        _expect(r, "Your answer is in", "drill answer")
        counts["done"] += 1
        if counts["done"] == counts["sessions"]:
            room_done.set()
        await room_done.wait()  # the tab stays open on the class page, refreshing the drill, until all are done
    finally:
        counts["fragment runs"] += s.fragment_runs
        await s.close()


async def protocol_room(url: str, code: str, sessions: int, start_at: int,
                        think: float = 0.0) -> tuple[dict[str, list[float]], int]:
    times: dict[str, list[float]] = {s: [] for s in PROTOCOL_STEPS}
    counts = {"done": 0, "sessions": sessions, "fragment runs": 0}
    done = asyncio.Event()
    random.seed(start_at)  # the same pauses on every run of the benchmark
    await asyncio.gather(*(protocol_participant(url, code, start_at + i, times, done, counts, think)
                           for i in range(sessions)))
    return times, counts["fragment runs"]


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _own_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def _run(url: str, code: str, sessions: int, start_at: int, browser: bool,
         think: float = 0.0) -> tuple[dict[str, list[float]], int]:
    if browser:
        return asyncio.run(browser_room(url, code, sessions, start_at)), 0
    return asyncio.run(protocol_room(url, code, sessions, start_at, think))


def measure(db: str, sessions: int, browser: bool, think: float) -> None:
    os.environ["VPNLAB_DATABASE_URL"] = db
    from lab.classes import create_class
    from lab.classes.drills import ready_made
    from lab.classes.live import start_drill
    from lab.store import describe_url, open_store

    store = open_store()
    cls, _key = create_class(store, "Benchmark room", datetime.now(UTC))
    prepared = next(p for s, p in ready_made() if s.id == DRILL)
    start_drill(store, cls, prepared, datetime.now(UTC), 3600)
    steps = BROWSER_STEPS if browser else PROTOCOL_STEPS
    with running_app({"VPNLAB_DATABASE_URL": db}) as url:
        pid = _server_pid(url)
        _run(url, cls.code, 1, 0, browser)  # warm-up: first page runs fill the caches
        cpu0 = _cpu_seconds(pid)
        alone: dict[str, list[float]] = {step: [] for step in steps}
        for i in range(ALONE_RUNS):  # one participant at a time: the baseline is the median of a few
            one, _polls = _run(url, cls.code, 1, 100 + i, browser)
            for step in steps:
                alone[step] += one[step]
        cpu1, own1 = _cpu_seconds(pid), _own_cpu()
        t = time.perf_counter()
        crowd, polls_crowd = _run(url, cls.code, sessions, 200, browser, think)
        wall = time.perf_counter() - t
        cpu2, own2 = _cpu_seconds(pid), _own_cpu()
        rss = _rss_mb(pid)
    driver = f"one Chromium with {sessions} contexts" if browser else f"{sessions} websocket sessions"
    if not browser:
        driver += f", a pause of 0-{think:g} s before each interaction" if think else ", all clicking at once"
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · database: {describe_url(db).split('@')[-1]} · one app "
          f"server · {driver} ({os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.1f})")
    print(f"{'interaction':<14}{'1 session s':>12}{'p50 s':>9}{'p95 s':>9}{'p95/1':>8}")
    worst = 0.0
    for step in steps:
        one = _p(alone[step], 0.5)
        p50, p95 = _p(crowd[step], 0.5), _p(crowd[step], 0.95)
        worst = max(worst, p95 / one)
        print(f"{step:<14}{one:>12.2f}{p50:>9.2f}{p95:>9.2f}{p95 / one:>8.1f}")
    # The browser also loads the class page before joining and before the drill: two more page runs each.
    extra = 2 if browser else 0
    n_one, n_crowd = (len(steps) + extra) * ALONE_RUNS, (len(steps) + extra) * sessions
    print(f"server CPU per interaction: {1000 * (cpu1 - cpu0) / n_one:.0f} ms alone, "
          f"{1000 * (cpu2 - cpu1) / n_crowd:.0f} ms with {sessions} sessions"
          + (f" (their {polls_crowd} drill refreshes included; {1000 * (cpu2 - cpu1) / (n_crowd + polls_crowd):.0f} ms "
             "per page or fragment run)" if not browser else ""))
    print(f"the room took {wall:.1f} s; server CPU {cpu2 - cpu1:.1f} s ({100 * (cpu2 - cpu1) / wall:.0f}% of one core); "
          f"this load generator {own2 - own1:.1f} s; server memory {rss:.0f} MB")
    print(f"worst p95 / one session: {worst:.1f}x (target: within 2x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--sqlite", action="store_true", help="use an SQLite file instead of PostgreSQL")
    parser.add_argument("--browser", action="store_true", help="drive one Chromium instead of the websocket protocol")
    parser.add_argument("--think", type=float, default=0.0, metavar="S",
                        help="each participant pauses a random 0-S s before each interaction (default 0: all at once)")
    parser.add_argument("--repeat", type=int, default=1, help="measure this many times (a fresh class each time)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vpnlab-bench-") as tmp:
        server = None
        if args.sqlite or pg_bin() is None:
            db = f"sqlite:///{tmp}/bench.sqlite3"
        else:
            server = postgres_server()
            db = server.__enter__().create_database("bench")
        try:
            for i in range(args.repeat):
                if i:
                    print()
                measure(db, args.sessions, args.browser, args.think)
        finally:
            if server is not None:
                server.__exit__(None, None, None)


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


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
