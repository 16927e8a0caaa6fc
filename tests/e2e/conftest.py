"""Real-browser harness: `streamlit run` on a free loopback port, Playwright driving Debian's Chromium.

Never `playwright install`: the browser is /usr/bin/chromium from Debian (CI installs it with apt-get).
Without it the browser tests are skipped locally and fail in CI (CI=true).
Screenshots go to the test's temporary directory and, when VPN_LAB_SHOTS names a folder, there too.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
import urllib.request
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
def browser() -> Iterator[object]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def browser_contexts(browser: object) -> Iterator[dict[str, object]]:
    """One browser context per kind of window for the whole run, so the app's scripts and styles are fetched
    and compiled once, not for every test (a Streamlit page is a few megabytes of JavaScript). Each test still
    gets its own tab, which is its own Streamlit session."""
    contexts: dict[str, object] = {}
    try:
        yield contexts
    finally:
        for context in contexts.values():
            context.close()  # type: ignore[attr-defined]


def context_for(contexts: dict[str, object], browser: object, name: str, **options: object) -> object:
    """The shared context called `name` (created with `options` on first use)."""
    if name not in contexts:
        contexts[name] = browser.new_context(**options)  # type: ignore[attr-defined]
    return contexts[name]


@pytest.fixture
def page(browser: object, browser_contexts: dict[str, object]) -> Iterator[object]:
    context = context_for(browser_contexts, browser, "laptop",
                          viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    context.clear_cookies()  # type: ignore[attr-defined]  # no learner carried over from an earlier test
    pg = context.new_page()  # type: ignore[attr-defined]
    pg.set_default_timeout(WAIT_MS)
    try:
        yield pg
    finally:
        pg.close()


def wait_idle(page: object) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=WAIT_MS)  # type: ignore[attr-defined]


def click_and_wait(page: object, locator: object) -> None:
    """Click, then wait for the rerun that the click starts to finish (not for the previous run's page)."""

    locator.click()  # type: ignore[attr-defined]
    wait_rerun(page)


def wait_rerun(page: object) -> None:
    """Wait for the rerun that an action just started to finish (not for the previous run's page)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # A very fast rerun may be over before we look; finishing is what matters.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="running"]', timeout=3_000)  # type: ignore[attr-defined]
    wait_idle(page)


def choose(page: object, picker: object, option: str, *, exact: bool = True) -> None:
    """Pick `option` in the Streamlit selectbox `picker` and wait for the rerun it starts.

    The list is filtered by typing the option's text, so the option is the only one shown and the
    list does not scroll under the pointer; a list that a rerun replaced is opened again. With
    `exact=False` the option is the first whose label contains `option`.
    """
    from playwright.sync_api import Error as PlaywrightError

    last: Exception | None = None
    for _ in range(4):
        field = picker.locator("input").first  # type: ignore[attr-defined]
        field.scroll_into_view_if_needed()
        field.click()
        field.fill(option)
        choice = (page.get_by_role("option", name=option, exact=True) if exact  # type: ignore[attr-defined]
                  else page.get_by_role("option").filter(has_text=option)).first  # type: ignore[attr-defined]
        try:
            choice.click(timeout=20_000)
        except PlaywrightError as exc:  # replaced by a rerun while opening: open it again
            last = exc
            page.keyboard.press("Escape")  # type: ignore[attr-defined]
            wait_idle(page)
            continue
        wait_rerun(page)
        return
    raise AssertionError(f"could not choose {option!r}") from last


def save_shot(pg: object, folder: Path, name: str) -> Path:
    """A full-page PNG of `pg` under `folder` (and VPN_LAB_SHOTS when set)."""
    path = folder / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    keep_screenshot(path)
    return path


SHOT_SIZES = ((1920, 1080), (1400, 900), (390, 844))


def shoot_sizes(pg: object, folder: Path, name: str) -> None:
    """Screenshots of `pg` at 1920x1080, 1400x900 and 390x844 (the viewport is restored afterwards)."""
    before = pg.viewport_size  # type: ignore[attr-defined]
    for w, h in SHOT_SIZES:
        pg.set_viewport_size({"width": w, "height": h})  # type: ignore[attr-defined]
        pg.wait_for_timeout(500)  # type: ignore[attr-defined]
        save_shot(pg, folder, f"{name}-{w}x{h}")
    if before:
        pg.set_viewport_size(before)  # type: ignore[attr-defined]


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
