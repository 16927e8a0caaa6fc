"""Set-up and task runner for a fresh machine: needs only Python 3.11+ with venv and pip.

    python3 tasks.py run     install into .venv (when needed) and start the app on :8501
    python3 tasks.py test    install into .venv (when needed), then ruff and the whole test suite
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import os
import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"


def _sh(*args: str | Path) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True)


def _ensure_venv(extras: str) -> None:
    """Create .venv and install the project (editable) unless the same install already happened."""
    if sys.version_info < (3, 11):
        sys.exit(f"VPN Lab needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    installed = STAMP.read_text().split() if STAMP.exists() else []
    # The stamp holds the pyproject digest and the extras installed with it ("test" includes the app).
    if installed[:1] == [digest] and (not extras or extras in installed[1:]):
        return
    what = "VPN Lab, its dependencies and the test tools" if extras == "test" else "VPN Lab and its dependencies"
    print(f"tasks.py: installing {what} into {VENV} (the first time takes about 10-20 seconds)", flush=True)
    if not (BIN / "python").exists():
        _sh(sys.executable, "-m", "venv", "--without-pip", VENV)
    target = f".[{extras}]" if extras else "."
    # uv installs the same packages as pip from the same indexes in a quarter of the time (measured: 3 s against
    # 12 s for every dependency, without a cache), printing each package as it goes; pip is the fallback.
    if not _uv_install(target):
        _ensure_pip()
        # pip's own progress (each package as it is collected and installed), so a first install is never silent.
        # pip would compile the installed modules one after another, on one core; here each package is compiled
        # as soon as pip has installed it, on the core pip leaves idle, and what is left at the end on every core.
        _install_compiling([str(BIN / "python"), "-m", "pip", "install", "--progress-bar", "on", "--no-compile",
                            "-e", target])
    # Compiled at install, not on first import: an environment with PYTHONDONTWRITEBYTECODE would otherwise compile
    # them again in every process of every run.
    print("tasks.py: compiling the installed modules", flush=True)
    _compile(_site_packages(), skip=NOT_IMPORTED)  # what is not compiled yet
    print("tasks.py: install done", flush=True)
    STAMP.write_text(f"{digest} {extras}".strip())


def _uv_install(target: str) -> bool:
    """Install `target` (and pip, for later use of the venv) with uv, itself installed into the venv by this
    Python's pip, with pip's index settings. False when uv cannot be had or cannot install: pip does it then."""
    uv = BIN / ("uv.exe" if os.name == "nt" else "uv")
    if not uv.exists():
        get_uv = [sys.executable, "-m", "pip", "--python", str(BIN / "python"), "install", "--quiet", "uv"]
        print("+", " ".join(get_uv), flush=True)
        if subprocess.run(get_uv, cwd=ROOT, stderr=subprocess.DEVNULL).returncode != 0 or not uv.exists():
            print("tasks.py: uv is not available here; installing with pip", flush=True)
            return False
    options, env = _pip_settings_for_uv()
    command = [str(uv), "pip", "install", "--python", str(BIN / "python"), *options, "pip", "-e", target]
    print("+", " ".join(command), flush=True)
    if subprocess.run(command, cwd=ROOT, env=env).returncode != 0:
        print("tasks.py: uv could not install; trying pip", flush=True)
        return False
    return True


def _pip_settings_for_uv() -> tuple[list[str], dict[str, str]]:
    """pip's index settings (its configuration files and PIP_* variables, as `pip config list` shows them) as uv
    options, so that uv installs from where pip would: index-url, extra-index-url, find-links, constraint and
    cert."""
    env = dict(os.environ)
    listing = subprocess.run([sys.executable, "-m", "pip", "config", "list"], cwd=ROOT, capture_output=True,
                             text=True).stdout
    settings: dict[str, str] = {}
    for line in listing.splitlines():  # e.g. global.extra-index-url='file:///a file:///b' (the last scope wins)
        key, sep, value = line.partition("=")
        if sep:
            settings[key.rpartition(".")[2]] = value.strip().strip("'\"")
    options = []
    for key in ("index-url", "extra-index-url", "find-links", "constraint"):
        for value in settings.get(key, "").split():
            options += [f"--{key}", value]
    if settings.get("extra-index-url"):
        options += ["--index-strategy", "unsafe-best-match"]  # pip's way: the best version across every index
    if settings.get("cert") and "SSL_CERT_FILE" not in env:
        env["SSL_CERT_FILE"] = settings["cert"]
    return options, env


def _ensure_pip() -> None:
    """pip in the venv: the machine's pip puts the current one there directly (1.5 s measured); without a pip on
    the machine that can do it (`pip --python` needs pip 22.3), the venv module's own copy is used."""
    if subprocess.run([str(BIN / "python"), "-m", "pip", "--version"], cwd=ROOT, capture_output=True).returncode == 0:
        _sh(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        return
    pip_here = [sys.executable, "-m", "pip", "--python", str(BIN / "python"), "install", "--quiet", "--upgrade", "pip"]
    print("+", " ".join(pip_here), flush=True)
    if subprocess.run(pip_here, cwd=ROOT, stderr=subprocess.DEVNULL).returncode != 0:
        print("tasks.py: this Python's pip cannot install into the venv; using the venv's own pip", flush=True)
        _sh(BIN / "python", "-m", "ensurepip", "--upgrade", "--default-pip")
        _sh(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")


# Reads file paths on stdin and byte-compiles each (a file that does not compile is left to Python), at the lowest
# priority.
_COMPILER = """
import os, py_compile, sys
os.nice(19)  # the idle core's work: pip comes first
for line in sys.stdin:
    try:
        py_compile.compile(line.rstrip("\\n"), quiet=2)
    except Exception:
        pass
"""


def _install_compiling(command: list[str]) -> None:
    """Run pip's `command`; meanwhile, compile each package's modules once pip has finished installing it (its
    .dist-info/RECORD, pip's last file of a package, lists them). When pip is done, the compiler stops where it
    is: the rest is compiled next on every core."""
    print("+", " ".join(command), flush=True)
    site = Path(_site_packages())
    seen = set(site.glob("*.dist-info/RECORD"))
    skip = re.compile(NOT_IMPORTED)
    compiler = subprocess.Popen([str(BIN / "python"), "-c", _COMPILER], stdin=subprocess.PIPE, text=True, cwd=ROOT)
    todo: queue.SimpleQueue[str | None] = queue.SimpleQueue()

    def feed() -> None:  # a thread of its own: a full pipe must not keep the loop below from seeing pip finish
        assert compiler.stdin is not None
        with contextlib.suppress(OSError, ValueError):
            while (path := todo.get()) is not None:
                compiler.stdin.write(path + "\n")
                compiler.stdin.flush()

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    pip = subprocess.Popen(command, cwd=ROOT)
    try:
        while pip.poll() is None:
            time.sleep(0.3)
            for record in sorted(set(site.glob("*.dist-info/RECORD")) - seen):
                seen.add(record)
                with contextlib.suppress(OSError, csv.Error):
                    for row in csv.reader(record.read_text(encoding="utf-8").splitlines()):
                        path = site / row[0] if row else None
                        if path and path.suffix == ".py" and not skip.search(str(path)):
                            todo.put(str(path))
    finally:
        pip.wait()
        compiler.kill()  # a module is written whole or not at all
        compiler.wait()
        todo.put(None)
    if pip.returncode:
        raise subprocess.CalledProcessError(pip.returncode, command)


def _site_packages() -> str:
    code = "import sysconfig; print(sysconfig.get_path('purelib'))"
    return subprocess.run([str(BIN / "python"), "-c", code], check=True, capture_output=True, text=True).stdout.strip()


# Installed but never imported by VPN Lab or its tests: the packages' own test folders and pip's tools.
NOT_IMPORTED = r"[/\\](tests?|pip|setuptools|pkg_resources)[/\\]"


def _compile(*folders: str | Path, skip: str | None = None) -> None:
    """Byte-compile the folders' modules on every core (a module that does not compile is left to Python)."""
    exclude = ["-x", skip] if skip else []
    subprocess.run([str(BIN / "python"), "-m", "compileall", "-qq", "-j", "0", *exclude, *map(str, folders)], cwd=ROOT)


def run(extra: list[str]) -> int:
    _ensure_venv("")
    return subprocess.call([str(BIN / "vpn-lab"), "run", *extra], cwd=ROOT)


def test(extra: list[str]) -> int:
    _ensure_venv("test")
    _compile(ROOT / "lab")  # VPN Lab's own modules, as they are now (every test process imports them)
    _sh(BIN / "ruff", "check", ".")
    return subprocess.call([str(BIN / "python"), "-m", "pytest", *extra], cwd=ROOT)


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"run", "test"}:
        print(__doc__.strip())
        return 2
    command, extra = sys.argv[1], sys.argv[2:]
    try:
        return run(extra) if command == "run" else test(extra)
    except subprocess.CalledProcessError as exc:
        print(f"tasks.py: `{' '.join(str(a) for a in exc.cmd)}` failed with exit code {exc.returncode}", file=sys.stderr)
        return exc.returncode or 1


if __name__ == "__main__":
    sys.exit(main())
