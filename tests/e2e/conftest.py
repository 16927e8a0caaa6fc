"""Real-browser harness: `streamlit run` on a free loopback port, Playwright driving Debian's Chromium.

Never `playwright install`: the browser is /usr/bin/chromium from Debian (CI installs it with apt-get).
Without it the browser tests are skipped locally and fail in CI (CI=true).
Screenshots go to the test's temporary directory and, when VPN_LAB_SHOTS names a folder, there too.
"""

from __future__ import annotations

import base64
import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from lab import PACKAGE_DIR, PROJECT_DIR
from tests.net import free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

# Waits are generous on purpose: a busy machine (two suites at once on 2 cores) is slow, not broken.
# Wait for a state (the script finished, an element is visible), never for a fixed time.
START_S = 180  # streamlit server start
WAIT_MS = 120_000  # any element or script run in the browser


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    message = (
        f"{CHROMIUM} not found: install Debian's Chromium with "
        "`sudo apt-get update && sudo apt-get install -y chromium` to run the browser tests."
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def start_app(env_extra: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """Start the app with `streamlit run` and return (process, base URL) once it is healthy.

    Another test process may take the free port first (streamlit then exits): try another port.
    """
    for _attempt in range(3):
        try:
            return _start_app_on(free_port(), env_extra)
        except PortTaken:
            continue
    raise RuntimeError("streamlit could not get a free port in 3 attempts")


class PortTaken(RuntimeError):
    """streamlit exited before becoming healthy (the usual cause: another process took the port)."""


def _start_app_on(port: int, env_extra: dict[str, str] | None) -> tuple[subprocess.Popen[bytes], str]:
    env = {**os.environ, **(env_extra or {})}
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", str(PACKAGE_DIR / "app.py"),
            "--server.headless", "true", "--server.address", "127.0.0.1",
            "--server.port", str(port), "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
        ],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise PortTaken(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"streamlit did not become healthy within {START_S} s")


@contextlib.contextmanager
def running_app(env_extra: dict[str, str] | None = None) -> Iterator[str]:
    """The app's base URL while a `streamlit run` server is up; stopped on exit."""
    proc, url = start_app(env_extra)
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require_chromium()
    db = tmp_path_factory.mktemp("app-db") / "vpn-lab.sqlite3"
    with running_app({"VPNLAB_DATABASE_URL": f"sqlite:///{db}"}) as url:
        yield url


@pytest.fixture(scope="session")
def _playwright() -> Iterator[object]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(_playwright: object) -> Iterator[object]:
    """A browser for tests that need contexts of their own (another device, another browser language)."""
    b = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)  # type: ignore[attr-defined]
    try:
        yield b
    finally:
        b.close()


class SharedContext:
    """A shared browser profile seen through one window size.

    The profile is on disk, so Chromium keeps the compiled code of the app's scripts (a Streamlit page is
    a few megabytes of JavaScript) from one tab to the next; an incognito context compiles them for every
    tab, which was half the CPU time of loading a page. `tab()` goes further: the profile's one tab, reused
    from test to test, keeps them in memory as well (a new tab costs 0.5-1.5 CPU-seconds more per page
    than opening the page in a tab that had it before).
    """

    def __init__(self, context: object, viewport: dict[str, int] | None, tabs: dict[str, object]) -> None:
        self.context = context
        self.viewport = viewport
        self._tabs = tabs

    def new_page(self) -> object:
        page = self.context.new_page()  # type: ignore[attr-defined]
        if self.viewport:
            page.set_viewport_size(self.viewport)
        page.set_default_timeout(WAIT_MS)
        return page

    @contextlib.contextmanager
    def tab(self) -> Iterator[object]:
        """The profile's reusable tab at this window size, with no cookies (no learner carried over).

        Whatever the test opens in it is a new Streamlit session (opening a page starts one). On exit the
        tab's routes are removed and it leaves the app, so the test's session ends with the test; a test
        that adds an event handler removes it itself.
        """
        page = self._tabs.get("tab")
        if page is None or page.is_closed():  # type: ignore[attr-defined]
            page = self._tabs["tab"] = self.context.new_page()  # type: ignore[attr-defined]
        self.context.clear_cookies()  # type: ignore[attr-defined]
        if self.viewport:
            page.set_viewport_size(self.viewport)  # type: ignore[attr-defined]
        page.set_default_timeout(WAIT_MS)  # type: ignore[attr-defined]
        try:
            yield page
        finally:
            with contextlib.suppress(Exception):
                page.unroute_all(behavior="ignoreErrors")  # type: ignore[attr-defined]
                page.goto("about:blank")  # type: ignore[attr-defined]

    def clear_cookies(self) -> None:
        self.context.clear_cookies()  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self.context, name)


class SharedContexts:
    """The run's browser profiles, one per kind of device (a desktop, a phone): every window size of a
    kind shares one profile, so the app's scripts are fetched and compiled once per kind."""

    def __init__(self, playwright: object, root: Path) -> None:
        self.playwright = playwright
        self.root = root
        self.profiles: dict[str, object] = {}
        self.tabs: dict[str, dict[str, object]] = {}

    def get(self, name: str, **options: object) -> SharedContext:
        viewport = options.pop("viewport", None)
        options.pop("accept_downloads", None)  # every profile accepts downloads
        # Animations only delay what the tests look at (the final state is the same): skip them.
        options.setdefault("reduced_motion", "reduce")
        kind = repr(sorted(options.items()))
        if kind not in self.profiles:
            self.profiles[kind] = self.playwright.chromium.launch_persistent_context(  # type: ignore[attr-defined]
                str(self.root / f"profile-{len(self.profiles)}"), executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                headless=True, accept_downloads=True, viewport=viewport, **options,
            )
            self.profiles[kind].add_init_script(RUN_COUNTER_JS)  # type: ignore[attr-defined]
            self.tabs[kind] = {}
        return SharedContext(self.profiles[kind], viewport, self.tabs[kind])  # type: ignore[arg-type]

    def close(self) -> None:
        for context in self.profiles.values():
            context.close()  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def browser_contexts(_playwright: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SharedContexts]:
    """One browser profile per kind of device for the whole run, so the app's scripts and styles are fetched
    and compiled once, not for every test. Each test opens its pages in the profile's reused tab (each page
    it opens is its own Streamlit session), with the cookies cleared first."""
    contexts = SharedContexts(_playwright, tmp_path_factory.mktemp("browser-profiles"))
    try:
        yield contexts
    finally:
        contexts.close()


def context_for(contexts: SharedContexts, browser: object | None, name: str, **options: object) -> SharedContext:
    """The shared context for window `name` (`options` as for `browser.new_context`; `browser` is not used)."""
    return contexts.get(name, **options)


@pytest.fixture
def page(browser_contexts: SharedContexts) -> Iterator[object]:
    with browser_contexts.get("laptop", viewport={"width": 1400, "height": 1000}).tab() as pg:
        yield pg


def wait_idle(page: object) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=WAIT_MS)  # type: ignore[attr-defined]


# Counts the script runs the page has finished (the app's run state leaving "running"), from the first
# moment of every document the test browsers open, so a rerun that is over before a test looks is still
# seen: waiting for a rerun means waiting for this count to grow, not for a short "running" state.
RUN_COUNTER_JS = """(() => {
    window.__vpnlabRuns = 0;
    new MutationObserver(records => {
        for (const r of records) if (r.oldValue === 'running') window.__vpnlabRuns += 1;
    }).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                          attributeFilter: ['data-test-script-state']});
})();"""


def runs_done(page: object) -> int:
    """How many script runs the page has finished so far (-1 in a window without the counter)."""
    return int(page.evaluate("() => window.__vpnlabRuns ?? -1"))  # type: ignore[attr-defined]


def click_and_wait(page: object, locator: object) -> None:
    """Click, then wait for the rerun that the click starts to finish (not for the previous run's page)."""
    before = runs_done(page)
    locator.click()  # type: ignore[attr-defined]
    wait_rerun(page, before)


def wait_rerun(page: object, before: int | None = None, start_ms: int = 3_000) -> None:
    """Wait for the rerun that an action just started to finish (not for the previous run's page).

    `before` is `runs_done(page)` taken just before the action: the wait then ends as soon as one more run
    has finished, however quickly it ran. Without it (or in a window without the counter) a rerun is seen
    by its "running" state, and one that is over before we look costs a wait of `start_ms` (3 seconds).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    started = (
        "n => { const app = document.querySelector('[data-testid=\"stApp\"]');"
        " return (n >= 0 && (window.__vpnlabRuns ?? -1) > n)"
        " || (app !== null && app.getAttribute('data-test-script-state') === 'running'); }"
    )
    # An action that starts no rerun (nothing changed) ends this wait after 3 seconds; finishing is what matters.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(started, arg=-1 if before is None else before, timeout=start_ms)  # type: ignore[attr-defined]
    wait_idle(page)


COMMIT_RERUN_MS = 30_000  # how long a loaded server may take to start the rerun a committed text asks for


def commit_text(page: object, box: object, text: str, received: str | None = None) -> None:
    """Fill a text area and commit it (Ctrl+Enter, as a user does), then wait until the app has it: a click made
    before the rerun the commit starts reaches a button that rerun replaces and is lost.

    `received`: the key of a caption the page shows after the text area with the number of characters the app got
    (the Troubleshooter's log box has one). The wait is for that number, since the run counter cannot always tell: a
    rerun this quick can go by without the page ever showing it running (a wait for it then took its full 30
    seconds, about one e2e run in two). Without such a caption the wait is for the run counter. Either wait lasts up
    to 30 seconds (a loaded server may be slow to start the rerun), then goes on rather than fail. An unchanged text
    starts no rerun and is not waited for."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    wait_idle(page)
    changed = box.input_value() != text  # type: ignore[attr-defined]
    # Counted before the text goes in: the text area may commit it on its own (a blur) before Ctrl+Enter, and then
    # Ctrl+Enter starts nothing; either way one more finished run is the commit's.
    before = runs_done(page)
    box.fill(text)  # type: ignore[attr-defined]
    box.press("Control+Enter")  # type: ignore[attr-defined]
    if not changed or before < 0:
        wait_idle(page)
    elif received:
        count = re.compile(rf"(?<![\d,]){re.escape(f'{len(text):,}')}(?![\d,])")
        shown = page.locator(f".st-key-{received}").filter(has_text=count).first  # type: ignore[attr-defined]
        with contextlib.suppress(PlaywrightTimeout):  # (the Analyze click that follows hands the text over too)
            shown.wait_for(timeout=COMMIT_RERUN_MS)
        wait_idle(page)
    else:
        wait_rerun(page, before, start_ms=COMMIT_RERUN_MS)


ANALYSIS_MS = 30_000  # an analysis of a short paste shows well within this, even on a loaded machine


def open_log_form(page: object, expander: str = "Analyze logs") -> None:
    """On the Troubleshooter: open the log form, which sits below the question in a collapsed expander titled
    `expander` (the page's first lines name it too: the expander's own summary is clicked)."""
    summary = page.get_by_test_id("stExpander").filter(has_text=expander).first.locator("summary")  # type: ignore[attr-defined]
    summary.scroll_into_view_if_needed()
    if not page.locator("textarea").first.is_visible():  # type: ignore[attr-defined]
        summary.click()
    page.locator("textarea").first.wait_for(state="visible")  # type: ignore[attr-defined]


def analyze_paste(page: object, text: str, *, expander: str = "Analyze logs", button: str = "Analyze",
                  verdict: str = "Primary diagnosis:") -> None:
    """On the Troubleshooter: open the log form (a collapsed expander titled `expander`), paste and commit `text`,
    press `button`, and wait until the page shows `verdict` (the labels in the page's language).

    On a loaded machine a click that lands while the page is still redrawing after the text's commit can be lost
    (seen in full parallel runs, never alone). A user clicks again; so does this, once. The text is still in the
    box: nothing the user entered is lost."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    open_log_form(page, expander)
    box = page.locator("textarea").first  # type: ignore[attr-defined]
    # the rerun the committed text starts replaces the button: click the new one
    commit_text(page, box, text, received="ts_received")
    press = page.get_by_role("button", name=button, exact=True)  # type: ignore[attr-defined]
    click_and_wait(page, press)
    shown = page.get_by_text(verdict).first  # type: ignore[attr-defined]
    try:
        shown.wait_for(timeout=ANALYSIS_MS)
    except PlaywrightTimeout:
        assert box.input_value() == text
        click_and_wait(page, press)
        shown.wait_for()
    wait_idle(page)


def follow_link(page: object, link: str) -> None:
    """Open `link` (the app's path and query, e.g. "/monitor?replay=x") in the same Streamlit session, as the
    browser's Back and Forward do: the app reruns the page the address names with its query, without loading
    the app's scripts again. Wait for that rerun to finish."""
    before = runs_done(page)
    page.evaluate(  # type: ignore[attr-defined]
        "u => { history.pushState(null, '', u); dispatchEvent(new PopStateEvent('popstate')); }", link)
    wait_rerun(page, before)


def _shown_choice(picker: object) -> str:
    """The option a Streamlit selectbox shows as chosen (the text of its combobox field), or "" if it cannot be read."""
    field = picker.locator("input").first  # type: ignore[attr-defined]
    try:
        return field.input_value(timeout=2_000).strip()
    except Exception:
        return ""


def choose(page: object, picker: object, option: str, *, exact: bool = True) -> None:
    """Pick `option` in the Streamlit selectbox `picker` and wait for the rerun it starts.

    The list is filtered by typing the option's text, so the option is the only one shown and the
    list does not scroll under the pointer; a list that a rerun replaced is opened again. With
    `exact=False` the option is the first whose label contains `option`.
    """
    from playwright.sync_api import Error as PlaywrightError

    if exact and _shown_choice(picker) == option:
        return  # already chosen: choosing it again changes nothing and starts no rerun to wait for
    last: Exception | None = None
    for _ in range(4):
        field = picker.locator("input").first  # type: ignore[attr-defined]
        field.scroll_into_view_if_needed()
        field.click()
        field.fill(option)
        choice = (page.get_by_role("option", name=option, exact=True) if exact  # type: ignore[attr-defined]
                  else page.get_by_role("option").filter(has_text=option)).first  # type: ignore[attr-defined]
        before = runs_done(page)
        try:
            choice.click(timeout=20_000)
        except PlaywrightError as exc:  # replaced by a rerun while opening: open it again
            last = exc
            page.keyboard.press("Escape")  # type: ignore[attr-defined]
            wait_idle(page)
            continue
        wait_rerun(page, before)
        return
    raise AssertionError(f"could not choose {option!r}") from last


# The height of everything on the page: the app scrolls inside its main area, so the document itself is only as
# tall as the window.
CONTENT_HEIGHT_JS = ("Math.max(...Array.from(document.querySelectorAll("
                     "'[data-testid=\"stMain\"], [data-testid=\"stAppViewContainer\"], body')).map(e => e.scrollHeight))")
MAX_SHOT_HEIGHT = 9000  # px: a longer page is cut there (a picture that tall is no longer looked at)


def save_shot(pg: object, folder: Path, name: str, *, restore: bool = True) -> Path:
    """A PNG of the whole page of `pg` (not only the first screen) under `folder` (and VPN_LAB_SHOTS when set).

    The app scrolls inside its main area, which a full-page screenshot does not see: the window grows to the
    content's height for the picture, as a reader scrolling through it would see it, then gets its size back
    (unless `restore` is False: the caller sets the next size itself). One picture pixel per CSS pixel
    (`capture`), also for the phone profile's double-density screen.
    """
    path = folder / f"{name}.png"
    settle(pg)
    before = pg.viewport_size  # type: ignore[attr-defined]
    height = min(int(pg.evaluate(CONTENT_HEIGHT_JS)), MAX_SHOT_HEIGHT)  # type: ignore[attr-defined]
    grow = bool(before) and height > before["height"]
    if grow:
        # The page moves under the pointer when the window grows: park it in the corner, so the picture shows no
        # hover highlight on whatever element happens to land under it.
        pg.mouse.move(0, 0)  # type: ignore[attr-defined]
        resize(pg, before["width"], height)
    capture(pg, path)
    if grow and restore:
        resize(pg, before["width"], before["height"])
    keep_screenshot(path)
    return path


def capture(pg: object, path: Path) -> None:
    """A PNG of `pg`'s window (the whole page once `save_shot` has grown the window to it).

    One picture pixel per CSS pixel: the phone profile's double-density screen (layout and media queries as on a
    phone) would otherwise give four times the pixels to draw and encode (measured: half the CPU per phone
    picture). Chromium's fast PNG encoding (`optimizeForSpeed`, which Playwright's `screenshot()` does not ask
    for): the same picture for ~60 % of the CPU time (0.13 -> 0.08 CPU-seconds a picture), files ~1.3x larger.
    """
    size = pg.viewport_size  # type: ignore[attr-defined]
    left, top = pg.evaluate("[scrollX, scrollY]")  # type: ignore[attr-defined]
    cdp = _cdp_sessions.get(pg)
    if cdp is None:
        cdp = _cdp_sessions[pg] = pg.context.new_cdp_session(pg)  # type: ignore[attr-defined]
    shot = cdp.send("Page.captureScreenshot", {
        "format": "png", "optimizeForSpeed": True,
        "clip": {"x": left, "y": top, "width": size["width"], "height": size["height"], "scale": 1},
    })
    path.write_bytes(base64.b64decode(shot["data"]))


_cdp_sessions: weakref.WeakKeyDictionary[object, object] = weakref.WeakKeyDictionary()  # a page's CDP session

SHOT_SIZES = ((1920, 1080), (1400, 900), (390, 844))

# Ready for a picture: no element still loading its code (Streamlit shows a grey placeholder until then), no
# chart wider than its box (charts are redrawn at the new width after a resize), and nothing that a resize
# or a late paint changes moved for three frames in a row. Checked once per frame.
_SETTLED_JS = """() => {
    const parts = [innerWidth, innerHeight, document.documentElement.scrollHeight];
    let ready = document.querySelectorAll('[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]').length === 0;
    for (const e of document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"]')) {
        parts.push(e.scrollHeight, e.clientWidth);
    }
    for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
        const svg = chart.querySelector('.main-svg');
        if (!svg || chart.clientWidth === 0) continue;  // not drawn yet, or hidden at this size
        const width = Number(svg.getAttribute('width'));
        parts.push(width);
        if (width > chart.clientWidth + 1) ready = false;
    }
    for (const canvas of document.querySelectorAll('[data-testid="stDataFrame"] canvas')) parts.push(canvas.width);
    const shape = parts.join(',');
    window.__vpnlabSame = ready && shape === window.__vpnlabShape ? (window.__vpnlabSame || 0) + 1 : 0;
    window.__vpnlabShape = shape;
    return window.__vpnlabSame >= 3;
}"""


def settle(pg: object) -> None:
    """Wait until the page is ready for a picture: its layout has followed the window size and every
    element has drawn itself (see _SETTLED_JS)."""
    pg.evaluate("() => { window.__vpnlabSame = 0; window.__vpnlabShape = ''; }")  # type: ignore[attr-defined]
    pg.wait_for_function(_SETTLED_JS, polling="raf", timeout=WAIT_MS)  # type: ignore[attr-defined]


def resize(pg: object, width: int, height: int) -> None:
    """Set the window size and wait until the layout has followed it."""
    pg.set_viewport_size({"width": width, "height": height})  # type: ignore[attr-defined]
    settle(pg)


# Who looks at a page on which screens: a facilitator projects theirs in the training room and works on a laptop;
# a participant follows on a laptop or a phone.
FACILITATOR_SIZES = SHOT_SIZES[:2]
PARTICIPANT_SIZES = SHOT_SIZES[1:]


def shoot_sizes(pg: object, folder: Path, name: str, sizes: tuple[tuple[int, int], ...] = SHOT_SIZES) -> None:
    """Screenshots of `pg` at 1920x1080, 1400x900 and 390x844, or at `sizes` (the viewport is restored
    afterwards). The size as wide as the window is taken last: the way back is then a change of height only, which
    redraws no chart (a new width redraws every chart and lays the page out again)."""
    before = pg.viewport_size  # type: ignore[attr-defined]
    for w, h in sorted(sizes, key=lambda size: bool(before) and size[0] == before["width"]):
        resize(pg, w, h)
        save_shot(pg, folder, f"{name}-{w}x{h}", restore=False)  # the next size follows at once
    if before:
        resize(pg, before["width"], before["height"])


def keep_screenshot(path: Path) -> None:
    """Copy a screenshot into VPN_LAB_SHOTS when it names a folder (replaced atomically: two suites may
    run at once)."""
    extra = os.environ.get("VPN_LAB_SHOTS")
    if not extra:
        return
    folder = Path(extra)
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{path.name}.{os.getpid()}.part"
    shutil.copy(path, partial)
    os.replace(partial, folder / path.name)


@pytest.fixture
def shoot(page: object, tmp_path: Path) -> Callable[[str], Path]:
    """shoot("name") saves a full-page PNG under tmp_path (and VPN_LAB_SHOTS) and returns its path."""

    def _shoot(name: str) -> Path:
        return save_shot(page, tmp_path, name)

    return _shoot
