"""Time from starting the server to the home page's first rendered heading, VPN Lab vs `streamlit hello`.

Usage: .venv/bin/python benchmarks/bench_startup.py [--runs 3]
Needs Debian's Chromium at /usr/bin/chromium. Prints the median of each and the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.net import free_port  # noqa: E402

FLAGS = ["--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]


def measure(cmd: list[str], heading: str, browser) -> float:
    port = free_port()
    start = time.monotonic()
    proc = subprocess.Popen([*cmd, *FLAGS, "--server.port", str(port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                if time.monotonic() - start > 60:
                    raise RuntimeError("server did not start") from None
                time.sleep(0.05)
        page = browser.new_page()
        page.goto(url)
        page.get_by_role("heading", name=heading).first.wait_for(state="visible", timeout=60_000)
        elapsed = time.monotonic() - start
        page.close()
        return elapsed
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    py = sys.executable
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        lab = [measure([py, "-m", "streamlit", "run", str(ROOT / "lab" / "app.py")], "VPN Lab", browser)
               for _ in range(args.runs)]
        hello = [measure([py, "-m", "streamlit", "hello"], "Welcome to Streamlit!", browser)
                 for _ in range(args.runs)]
        browser.close()
    lab_m, hello_m = statistics.median(lab), statistics.median(hello)
    print(f"{'app':<18}{'median s':>10}{'runs':>40}")
    print(f"{'streamlit hello':<18}{hello_m:>10.2f}{str([round(x, 2) for x in hello]):>40}")
    print(f"{'VPN Lab home':<18}{lab_m:>10.2f}{str([round(x, 2) for x in lab]):>40}")
    print(f"ratio VPN Lab / hello: {lab_m / hello_m:.2f}")


if __name__ == "__main__":
    main()
