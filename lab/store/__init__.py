"""Where progress, classes and drills live: a database behind SQLAlchemy 2 with Alembic migrations.

The only importer of SQLAlchemy. `open_store()` connects to the database named by
`VPNLAB_DATABASE_URL` (PostgreSQL through psycopg 3 for a team server) or, by default, to an
embedded SQLite file in the user's data directory, checks its schema (upgrading an older one,
refusing a newer one) and returns a `Store` whose methods read and write plain records
(`lab.store.records`). Migrations ship inside the package (`lab/store/migrations/`), so
`vpn-lab db upgrade` needs nothing but the installed app. Nothing here keeps learner data in
memory: every call is one short transaction against the database.
"""

from lab.store.db import (
    StoreError,
    database_url,
    default_sqlite_path,
    describe_url,
    open_store,
    schema_status,
    upgrade,
)
from lab.store.records import (
    ClassRow,
    DrillAnswerRow,
    DrillRow,
    LearnerRow,
    QuizAnswerRow,
    SavedDrillRow,
)
from lab.store.repo import Store

__all__ = [
    "ClassRow",
    "DrillAnswerRow",
    "DrillRow",
    "LearnerRow",
    "QuizAnswerRow",
    "SavedDrillRow",
    "Store",
    "StoreError",
    "database_url",
    "default_sqlite_path",
    "describe_url",
    "open_store",
    "schema_status",
    "upgrade",
]
