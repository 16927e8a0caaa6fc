"""Every store test runs against SQLite and against a real PostgreSQL (one server per test worker)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from lab.store import Store, open_store
from tests.pg import PostgresServer

_names = itertools.count()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh, empty database of each kind, also set as VPNLAB_DATABASE_URL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/lab.sqlite3"
    else:
        server: PostgresServer = request.getfixturevalue("postgres")
        url = server.create_database(f"t{next(_names)}_{tmp_path.name[-20:].replace('-', '_').lower()}")
    monkeypatch.setenv("VPNLAB_DATABASE_URL", url)
    return url


@pytest.fixture
def store(db_url: str) -> Store:
    return open_store()
