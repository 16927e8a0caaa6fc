"""Connecting: which database, one engine per URL and process, the schema check and `upgrade`."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

from lab.errors import LabError
from lab.i18n import t

ENV_VAR = "VPNLAB_DATABASE_URL"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_LOCK_ID = 4_711_012  # PostgreSQL advisory lock taken while migrating (replicas may start together)


class StoreError(LabError):
    """The database cannot be used: unreachable, a bad URL, or a schema this version does not know."""

    # One line, no separate hint: the CLI prints it as is and exits 2.


def default_sqlite_path() -> Path:
    """The embedded database file in the user's data directory (platformdirs: XDG on Linux)."""
    from platformdirs import user_data_path

    return user_data_path("vpn-lab", appauthor=False) / "vpn-lab.sqlite3"


def database_url() -> str:
    """`VPNLAB_DATABASE_URL`, or the default SQLite file. `postgresql://` means psycopg 3."""
    url = os.environ.get(ENV_VAR, "").strip()
    if not url:
        return f"sqlite:///{default_sqlite_path()}"
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def describe_url(url: str) -> str:
    """The URL with its password hidden (safe to print), or the file path for SQLite."""
    try:
        u = make_url(url)
    except ArgumentError:
        return "(an unreadable database URL)"
    if u.get_backend_name() == "sqlite":
        return u.database or "(in memory)"
    return u.render_as_string(hide_password=True)


def unreachable(where: str, exc: BaseException) -> StoreError:
    """The one message for a database that does not answer (wrong address, server down, bad password)."""
    return StoreError(t("Cannot reach the database {url}: {reason} (check {env} and that the database server is "
                        "running)", url=where, reason=_reason(exc), env=ENV_VAR))


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    first = str(orig).strip().splitlines()
    return first[0] if first else type(orig).__name__


_engines: dict[str, Engine] = {}
_ready: set[str] = set()
_guard = threading.Lock()


POOL_SIZE = 15  # connections each app server keeps open (PostgreSQL's default max_connections is 100)
POOL_OVERFLOW = 25  # more, opened only while that many page runs wait on the database at once


def engine_for(url: str) -> Engine:
    """One engine (a connection pool, no learner data) per URL and process."""
    with _guard:
        if url in _engines:
            return _engines[url]
        try:
            u = make_url(url)
        except ArgumentError as exc:
            raise StoreError(t("{env} is not a database URL: {url} (write it like "
                               "postgresql://user:password@host:5432/vpnlab)", env=ENV_VAR, url=describe_url(url))) from exc
        # A room's page runs and drill refreshes run in parallel threads: the pool keeps enough connections
        # open for them (the default 5 made every sixth concurrent run open and close a new connection).
        kwargs: dict[str, object] = {"pool_pre_ping": True}
        if u.get_backend_name() != "sqlite" or u.database not in (None, "", ":memory:"):  # a pool of connections
            kwargs.update(pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)
        if u.get_backend_name() == "sqlite":
            if u.database:
                try:
                    Path(u.database).parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise StoreError(t("Cannot create the folder of the database file {path}: {reason}",
                                       path=u.database, reason=exc.strerror or exc)) from exc
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            kwargs["connect_args"] = {"connect_timeout": 10}
        try:
            engine = create_engine(url, **kwargs)
        except (NoSuchModuleError, ArgumentError, ImportError) as exc:
            raise StoreError(t("Unsupported database URL {url}: {reason} (use sqlite:///PATH or "
                               "postgresql://user:password@host/dbname)", url=describe_url(url), reason=_reason(exc))) from exc
        if u.get_backend_name() == "sqlite":

            @event.listens_for(engine, "connect")
            def _pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA foreign_keys=ON")
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA busy_timeout=30000")
                cur.close()

        _engines[url] = engine
        return engine


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@dataclass(frozen=True)
class SchemaStatus:
    url: str
    current: str | None  # None: an empty database
    head: str
    known: bool  # False: a revision this version of VPN Lab does not know (a newer schema)

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def schema_status(url: str | None = None) -> SchemaStatus:
    url = url or database_url()
    engine = engine_for(url)
    script = ScriptDirectory.from_config(_config())
    head = script.get_current_head() or ""
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    except DBAPIError as exc:
        raise unreachable(describe_url(url), exc) from exc
    known = True
    if current is not None:
        try:
            known = script.get_revision(current) is not None
        except (CommandError, KeyError, ValueError):
            known = False
    return SchemaStatus(url, current, head, known)


def _newer(status: SchemaStatus) -> StoreError:
    return StoreError(t("The database {url} has schema revision {revision}, newer than this version of VPN Lab "
                        "knows (latest {head}): upgrade VPN Lab on this server.", url=describe_url(status.url),
                        revision=status.current, head=status.head))


def upgrade(url: str | None = None, *, revision: str = "head") -> SchemaStatus:
    """Create or migrate the database to the latest schema (or to `revision`, for tests of a migration);
    StoreError when it cannot."""
    url = url or database_url()
    status = schema_status(url)
    if not status.known:
        raise _newer(status)
    if status.up_to_date:
        _ready.add(url)
        return status
    if revision != "head" and status.current == revision:
        return status
    engine = engine_for(url)
    cfg = _config()
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except DBAPIError as exc:
        raise StoreError(t("Cannot migrate the database {url}: {reason}", url=describe_url(url),
                           reason=_reason(exc))) from exc
    except (SQLAlchemyError, CommandError) as exc:
        raise StoreError(t("Cannot migrate the database {url}: {reason}", url=describe_url(url),
                           reason=_reason(exc))) from exc
    status = schema_status(url)
    if status.up_to_date:
        _ready.add(url)
    return status


def open_store(url: str | None = None):  # type: ignore[no-untyped-def]  # -> Store (import cycle)
    """The Store for `url` (default: `database_url()`), its schema checked and brought up to date once."""
    from lab.store.repo import Store

    url = url or database_url()
    if url not in _ready:
        upgrade(url)
    return Store(engine_for(url))


def dispose_all() -> None:
    """Close every pooled connection (tests that drop a database call this first)."""
    with _guard:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _ready.clear()
