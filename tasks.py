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
    print(f"tasks.py: installing {what} into {VENV} (the first time takes a minute or two)", flush=True)
    if not (BIN / "python").exists():
        _new_venv()
    else:
        _sh(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    target = f".[{extras}]" if extras else "."
    # pip's own progress (each package as it is collected and installed), so a first install is never silent.
    # pip would compile the installed modules one after another, on one core; here each package is compiled as
    # soon as pip has installed it, on the core pip leaves idle, and what is left at the end on every core.
    # Compiled at install, not on first import: an environment with PYTHONDONTWRITEBYTECODE would otherwise
    # compile them again in every process of every run.
    _install_compiling([str(BIN / "python"), "-m", "pip", "install", "--progress-bar", "on", "--no-compile", "-e", target])
    print("tasks.py: compiling the installed modules", flush=True)
    _compile(_site_packages(), skip=NOT_IMPORTED)  # what is not compiled yet
    print("tasks.py: install done", flush=True)
    STAMP.write_text(f"{digest} {extras}".strip())


def _new_venv() -> None:
    """A new .venv with the current pip in it. The machine's pip puts it there directly (1.5 s measured); the
    venv module's own copy of pip, installed and then upgraded, takes 3.5 s. Without a pip on the machine that
    can do it (`pip --python` needs pip 22.3), the venv module's copy is used."""
    _sh(sys.executable, "-m", "venv", "--without-pip", VENV)
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
