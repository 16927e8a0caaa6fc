"""Shared test set-up: no test reaches a real AWS account or the internet.

The suite runs in parallel (pytest-xdist; `addopts` in pyproject.toml: `-n auto --maxprocesses=2`),
including while another copy of it runs on the same machine. To keep it that way, a test or fixture:

- Keeps its state to itself. Files go under `tmp_path` / `tmp_path_factory` (per worker), never in
  the project or a fixed /tmp path. A `scope="session"` fixture runs once *per worker*, so each worker
  starts its own servers (moto in tests/aws/fakes.py, streamlit in tests/e2e/conftest.py, a database
  in its own temp dir): never share one through a fixed port, path or name.
- Gets ports from the OS: start a server on port 0 and ask it which port it got (moto), or use
  `tests.net.free_port()` and retry when the server says the port is taken (`start_app`). For a
  port that must refuse connections, hold `tests.net.closed_port()`.
- Does not depend on the machine's speed: wait for a state (a server's health URL, Streamlit's
  script-state attribute, an element), never `sleep` a fixed time hoping it is enough; timeouts are
  generous (AppTest `APPTEST_TIMEOUT_S`, browser `WAIT_MS`, AWS clients `SLOW_MACHINE_ENV`).
- Does not depend on order: another worker runs the tests before and after it. Module-level caches
  (Streamlit's, `lab.aws` clients) are cleared by fixtures, not by the previous test.

`python3 tasks.py test ARGS` passes ARGS to pytest: `-n 0 --pdb` debugs in one process,
`tests/unit -x -q` runs a part. Browser screenshots: `VPN_LAB_SHOTS=folder`.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_real_aws(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Dummy credentials and an empty AWS config, so nothing can use a developer's real account."""
    home = tmp_path_factory.getbasetemp() / "aws-home"
    home.mkdir(exist_ok=True)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "credentials"))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture(autouse=True)
def _english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """Output in English whatever the developer's locale is (LANG=ko_KR would make the CLI print Korean);
    a test that wants another language says so."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
