"""A class on one or two app servers: N participant sessions at once, interaction by interaction.

Each participant joins the class, opens lesson 1, answers its first quiz question, goes back to the
class page and answers the open drill; then it stays on the class page (whose drill area refreshes every
two seconds, like a participant's open tab) until the whole room is done. Every interaction is timed
from the request to the end of the page run it causes, first for one session alone (a few participants one
after another), then for N sessions together; the servers' CPU time comes from /proc. It prints p50/p95
per interaction next to one session's, the ratio (target: p95 within 2x of one session) and the server CPU
per interaction, for two ways a room behaves:

- **room** (a realistic room): participants open the join page spread evenly over the first 15 s (the
  facilitator shows the code; people type it in), and pause before every click for a human think time
  drawn from a log-normal distribution, the usual model of how long people take to answer a test item
  (van der Linden 2006, "A lognormal model for response times on test items", J. Educ. Behav. Stat. 31(2)):
  median 4 s to type a display name and join, 2 s to open the lesson, 10 s to read the quiz question and
  pick, 3 s to go back to the class page, 15 s to read the drill question and send an answer; sigma 0.5
  (half of the pauses lie within about 0.7-1.4x the median), every drill answer within the drill's time
  limit (60 s). The same seed gives the same pauses on every run.
- **at once** (the worst case): no pauses and no spread; all N click at the same instant, every step.

By default the participants speak Streamlit's websocket protocol (`benchmarks/st_protocol.py`): what a
browser sends and receives, without drawing the page, so the numbers are the server's, as in a room where
every participant's browser runs on their own laptop. `--browser` drives one Debian Chromium with one
context per participant instead (the worst case only); on a small machine that Chromium, drawing N pages at
once on the same cores as the server, is what gets measured.

`--servers 2` starts two app servers on the same database and sends every other participant to the second
(what a load balancer with sticky sessions does; the README's recommendation past one room).
`--sessions 10,20,30` measures several room sizes and ends with a Markdown table of every measurement.

Usage: .venv/bin/python benchmarks/bench_class.py [--sessions 30] [--mode room|at-once|both] [--servers 1]
       [--sqlite] [--browser] [--repeat 1]
Uses a PostgreSQL server it starts in a temporary directory (Debian's binaries, like the tests) unless
--sqlite or the binaries are missing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import random
import resource
import sys
import tempfile
import time
from dataclasses import dataclass, field
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
ALONE_RUNS = 5  # the one-session baseline: this many participants, one after the other


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


@dataclass(frozen=True)
class Pace:
    """How the participants of a room pace themselves (see the module docstring)."""

    name: str
    arrive_s: float = 0.0  # participants open the join page spread evenly over this many seconds
    think: dict[str, float] = field(default_factory=dict)  # step -> median pause before it (log-normal), s
    sigma: float = 0.5
    cap_s: float = 55.0  # no pause longer than this: a drill answer comes within the 60 s time limit

    def pause(self, step: str, rng: random.Random) -> float:
        median = self.think.get(step, 0.0)
        return min(self.cap_s, rng.lognormvariate(math.log(median), self.sigma)) if median else 0.0


AT_ONCE = Pace("at once")
ROOM = Pace("room", arrive_s=15.0,
            think={"join": 4.0, "lesson": 2.0, "quiz answer": 10.0, "class page": 3.0, "drill answer": 15.0})
PACES = {"room": [ROOM], "at-once": [AT_ONCE], "both": [ROOM, AT_ONCE]}


async def _timed(times: dict[str, list[float]], step: str, run, pause: float = 0.0):
    if pause:  # a person reads, types and decides before each click
        await asyncio.sleep(pause)
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
                               room_done: asyncio.Event, counts: dict[str, int], pace: Pace,
                               rng: random.Random, arrive: float) -> None:
    pauses = {step: pace.pause(step, rng) for step in PROTOCOL_STEPS}
    if arrive:
        await asyncio.sleep(arrive)
    s = StreamlitSession(url)
    await s.open()
    try:
        r = await _timed(times, "open class", s.goto("class", f"code={code}"))
        await s.fill(_widget(r, "Join code", "open class"), code)
        await s.fill(_widget(r, "Display name", "open class"), f"Participant {n:02d}")
        r = await _timed(times, "join", s.set(_widget(r, "Join", "join"), trigger_value=True), pauses["join"])
        _expect(r, DRILL_QUESTION, "join")

        r = await _timed(times, "lesson", s.goto("lessons", f"lesson={LESSON}"), pauses["lesson"])
        quiz = next((w for w in r.widgets.values() if w.kind == "radio"
                     and any(o.startswith(QUIZ_CHOICE) for o in w.options)), None)
        if quiz is None:
            raise FlowError(f"lesson: no quiz question offers {QUIZ_CHOICE!r}")
        pick = next(o for o in quiz.options if o.startswith(QUIZ_CHOICE))  # a radio sends the option's label
        r = await _timed(times, "quiz answer", s.set(quiz, string_value=pick), pauses["quiz answer"])
        _expect(r, "Correct at the first try.", "quiz answer")

        r = await _timed(times, "class page", s.goto("class"), pauses["class page"])
        answer = _widget(r, "Your answer", "class page")
        if DRILL_ANSWER not in answer.options:
            raise FlowError(f"class page: the drill offers {answer.options}, not {DRILL_ANSWER!r}")
        await s.set_value(answer, string_value=DRILL_ANSWER)
        r = await _timed(times, "drill answer", s.set(_widget(r, "Send answer", "class page"), trigger_value=True),
                         pauses["drill answer"])
        _expect(r, "Your answer is in", "drill answer")
        counts["done"] += 1
        if counts["done"] == counts["sessions"]:
            room_done.set()
        await room_done.wait()  # the tab stays open on the class page, refreshing the drill, until all are done
    finally:
        counts["fragment runs"] += s.fragment_runs
        await s.close()


async def protocol_room(urls: list[str], code: str, sessions: int, start_at: int,
                        pace: Pace = AT_ONCE) -> tuple[dict[str, list[float]], int]:
    times: dict[str, list[float]] = {s: [] for s in PROTOCOL_STEPS}
    counts = {"done": 0, "sessions": sessions, "fragment runs": 0}
    done = asyncio.Event()
    rng = random.Random(start_at)  # the same pauses on every run of the benchmark
    arrivals = [pace.arrive_s * i / max(1, sessions - 1) for i in range(sessions)] if pace.arrive_s else [0.0] * sessions
    rng.shuffle(arrivals)
    await asyncio.gather(*(protocol_participant(urls[i % len(urls)], code, start_at + i, times, done, counts, pace,
                                                random.Random(rng.random()), arrivals[i])
                           for i in range(sessions)))
    return times, counts["fragment runs"]


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _own_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def _run(urls: list[str], code: str, sessions: int, start_at: int, browser: bool,
         pace: Pace = AT_ONCE) -> tuple[dict[str, list[float]], int]:
    if browser:
        return asyncio.run(browser_room(urls[0], code, sessions, start_at)), 0
    return asyncio.run(protocol_room(urls, code, sessions, start_at, pace))


@dataclass
class Figure:
    """One measurement, for the closing table."""

    mode: str
    sessions: int
    servers: int
    p50: float
    p95: float
    alone_p95: float
    worst_step_ratio: float
    cpu_ms: float
    load: str


def _cpu(pids: list[int]) -> float:
    return sum(_cpu_seconds(pid) for pid in pids)


def _load() -> float:
    return os.getloadavg()[0]


def measure(db: str, sessions_list: list[int], browser: bool, paces: list[Pace], servers: int) -> list[Figure]:
    """One server (or two on the same database) for all room sizes and paces: each room is a fresh class."""
    os.environ["VPNLAB_DATABASE_URL"] = db
    from lab.classes import create_class
    from lab.classes.drills import ready_made
    from lab.classes.live import start_drill
    from lab.store import describe_url, open_store

    store = open_store()
    prepared = next(p for s, p in ready_made() if s.id == DRILL)
    steps = BROWSER_STEPS if browser else PROTOCOL_STEPS
    figures: list[Figure] = []
    with contextlib.ExitStack() as stack:
        urls = [stack.enter_context(running_app({"VPNLAB_DATABASE_URL": db})) for _ in range(servers)]
        pids = [_server_pid(url) for url in urls]

        def new_class() -> str:
            cls, _key = create_class(store, "Benchmark room", datetime.now(UTC))
            # Open long enough for the slowest room; a participant's pause before answering stays within the
            # drill's own time limit (Pace.cap_s).
            start_drill(store, cls, prepared, datetime.now(UTC), 3600)
            return cls.code

        for i, url in enumerate(urls):  # warm-up: first page runs fill each server's caches
            _run([url], new_class(), 1, 10 + i, browser)
        code = new_class()
        cpu0 = _cpu(pids)
        alone: dict[str, list[float]] = {step: [] for step in steps}
        for i in range(ALONE_RUNS):  # one participant at a time: the baseline
            one, _polls = _run(urls[i % len(urls):], code, 1, 100 + i, browser)
            for step in steps:
                alone[step] += one[step]
        cpu_alone = _cpu(pids) - cpu0
        all_alone = [t for step in steps for t in alone[step]]
        for sessions in sessions_list:
            for pace in paces:
                code = new_class()
                load0 = _load()
                cpu1, own1 = _cpu(pids), _own_cpu()
                t = time.perf_counter()
                crowd, polls = _run(urls, code, sessions, 1000 * sessions, browser, pace)
                wall = time.perf_counter() - t
                cpu2, own2 = _cpu(pids), _own_cpu()
                load1 = _load()
                rss = sum(_rss_mb(pid) for pid in pids)
                driver = f"one Chromium with {sessions} contexts" if browser else f"{sessions} websocket sessions"
                where = f"{servers} app servers, participants split between them" if servers > 1 else "one app server"
                print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {pace.name} · {driver} · {where} · database: "
                      f"{describe_url(db).split('@')[-1]} · {os.cpu_count()} CPU cores, load average "
                      f"{load0:.1f} before, {load1:.1f} after")
                print(f"{'interaction':<14}{'1 session s':>12}{'p50 s':>9}{'p95 s':>9}{'p95/1':>8}")
                worst = 0.0
                for step in steps:
                    one = _p(alone[step], 0.5)
                    p50, p95 = _p(crowd[step], 0.5), _p(crowd[step], 0.95)
                    worst = max(worst, p95 / one)
                    print(f"{step:<14}{one:>12.2f}{p50:>9.2f}{p95:>9.2f}{p95 / one:>8.1f}")
                every = [t for step in steps for t in crowd[step]]
                p50, p95, alone_p95 = _p(every, 0.5), _p(every, 0.95), _p(all_alone, 0.95)
                print(f"{'every one':<14}{alone_p95:>12.2f}{p50:>9.2f}{p95:>9.2f}{p95 / alone_p95:>8.1f}"
                      "   (one session's column: its p95)")
                # The browser also loads the class page before joining and before the drill: two more page runs.
                extra = 2 if browser else 0
                n_one, n_crowd = (len(steps) + extra) * ALONE_RUNS, (len(steps) + extra) * sessions
                cpu_ms = 1000 * (cpu2 - cpu1) / n_crowd
                print(f"server CPU per interaction: {1000 * cpu_alone / n_one:.0f} ms alone, {cpu_ms:.0f} ms in the "
                      f"room" + (f" (its {polls} drill refreshes included; "
                                 f"{1000 * (cpu2 - cpu1) / (n_crowd + polls):.0f} ms per page or fragment run)"
                                 if not browser else ""))
                print(f"the room took {wall:.1f} s; server CPU {cpu2 - cpu1:.1f} s ({100 * (cpu2 - cpu1) / wall:.0f}% "
                      f"of one core); this load generator {own2 - own1:.1f} s; server memory {rss:.0f} MB")
                verdict = "met" if p95 <= 2 * alone_p95 else "NOT met"
                print(f"p95 / one session's p95: {p95 / alone_p95:.1f}x (target within 2x: {verdict}); "
                      f"worst single interaction p95 / its one-session median: {worst:.1f}x\n")
                figures.append(Figure(pace.name, sessions, servers, p50, p95, alone_p95, worst, cpu_ms,
                                      f"{load0:.1f}-{load1:.1f}" if abs(load1 - load0) >= 0.05 else f"{load0:.1f}"))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", default="30", help="participants, or a comma-separated list of room sizes")
    parser.add_argument("--mode", choices=sorted(PACES), default="both",
                        help="room: a realistic room; at-once: all click at the same instant; both (default)")
    parser.add_argument("--servers", type=int, choices=(1, 2), default=1,
                        help="app servers on the same database, participants split between them")
    parser.add_argument("--sqlite", action="store_true", help="use an SQLite file instead of PostgreSQL")
    parser.add_argument("--browser", action="store_true", help="drive one Chromium instead of the websocket protocol")
    parser.add_argument("--repeat", type=int, default=1, help="measure this many times (fresh servers each time)")
    args = parser.parse_args()
    try:
        sizes = [int(x) for x in args.sessions.split(",")]
    except ValueError:
        parser.error(f"--sessions: a number or a comma-separated list of numbers, not {args.sessions!r}")
    paces = [AT_ONCE] if args.browser else PACES[args.mode]
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="vpnlab-bench-") as tmp:
        server = None
        if args.sqlite or pg_bin() is None:
            db = f"sqlite:///{tmp}/bench.sqlite3"
        else:
            server = postgres_server()
            db = server.__enter__().create_database("bench")
        try:
            for _i in range(args.repeat):
                figures += measure(db, sizes, args.browser, paces, args.servers)
        finally:
            if server is not None:
                server.__exit__(None, None, None)
    print("| mode | participants | servers | p50 | p95 | one-session p95 | p95 / one | CPU per interaction "
          "| load average |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for f in figures:
        print(f"| {f.mode} | {f.sessions} | {f.servers} | {f.p50:.2f} s | {f.p95:.2f} s | {f.alone_p95:.2f} s "
              f"| {f.p95 / f.alone_p95:.1f}x | {f.cpu_ms:.0f} ms | {f.load} |")


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
