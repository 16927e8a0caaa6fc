"""tasks.py installs with uv from where pip would install: pip's index settings become uv's options."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from lab import PROJECT_DIR


def _tasks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tasks_under_test", Path(PROJECT_DIR) / "tasks.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _with_pip_config(monkeypatch: pytest.MonkeyPatch, listing: str) -> ModuleType:
    tasks = _tasks()

    def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        assert command[-2:] == ["config", "list"], command
        return subprocess.CompletedProcess(command, 0, stdout=listing, stderr="")

    monkeypatch.setattr(tasks.subprocess, "run", run)
    return tasks


def test_pip_index_settings_become_uv_options(monkeypatch: pytest.MonkeyPatch) -> None:
    # As `pip config list` prints a configuration file and PIP_* variables (this machine's form).
    listing = (
        "global.cert='/etc/ssl/certs/ca-certificates.crt'\n"
        "global.constraint='/etc/xdg/pip/constraints.txt'\n"
        "global.extra-index-url='file:///opt/pypi/simple file:///opt/pypi-more/simple'\n"
        ":env:.find-links='/opt/wheels'\n"
        ":env:.default-timeout='180'\n"
    )
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    options, env = _with_pip_config(monkeypatch, listing)._pip_settings_for_uv()
    assert options == [
        "--extra-index-url", "file:///opt/pypi/simple", "--extra-index-url", "file:///opt/pypi-more/simple",
        "--find-links", "/opt/wheels", "--constraint", "/etc/xdg/pip/constraints.txt",
        "--index-strategy", "unsafe-best-match",
    ]
    assert env["SSL_CERT_FILE"] == "/etc/ssl/certs/ca-certificates.crt"


def test_an_index_url_replaces_pypi_and_a_set_certificate_file_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    listing = "global.index-url='https://pypi.example.internal/simple'\nglobal.cert='/other.pem'\n"
    monkeypatch.setenv("SSL_CERT_FILE", "/mine.pem")
    options, env = _with_pip_config(monkeypatch, listing)._pip_settings_for_uv()
    assert options == ["--index-url", "https://pypi.example.internal/simple"]
    assert env["SSL_CERT_FILE"] == "/mine.pem"


def test_without_pip_settings_uv_uses_its_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    options, _env = _with_pip_config(monkeypatch, "")._pip_settings_for_uv()
    assert options == []
