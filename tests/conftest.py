"""Shared test set-up: no test reaches a real AWS account or the internet."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pg import PostgresServer, pg_bin, postgres_server


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
def _own_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every test writes progress to its own SQLite file, never to the user's data directory."""
    monkeypatch.setenv("VPNLAB_DATABASE_URL", f"sqlite:///{tmp_path}/vpn-lab.sqlite3")


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for this test worker (under xdist, one per worker), stopped at the end."""
    if pg_bin() is None:
        pytest.skip("PostgreSQL server binaries are not installed (/usr/lib/postgresql/*/bin/initdb); "
                    "`apt-get install postgresql` to run the PostgreSQL tests")
    from lab.store.db import dispose_all

    with postgres_server() as server:
        yield server
        dispose_all()
