"""`vpn-lab db upgrade`: create or migrate the database that keeps progress, classes and drills.

    vpn-lab db upgrade          # the SQLite file in your data directory, or VPNLAB_DATABASE_URL

Prints where the database is and its schema revision. Exit 2 with one line when the database is
unreachable or has a newer schema than this version knows.
"""

from __future__ import annotations

import argparse

from lab.i18n import t


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("db", help=t("manage the database of progress, classes and drills"),
                       description=t("Manage the database that keeps learners' progress, classes and drills: "
                       "an SQLite file in your data directory by default, or PostgreSQL named by "
                       "VPNLAB_DATABASE_URL (postgresql://user:password@host:5432/dbname)."))
    dbsub = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    up = dbsub.add_parser("upgrade", help=t("create or migrate the database to this version's schema"))
    up.set_defaults(func=_upgrade)


def _upgrade(args: argparse.Namespace) -> int:
    from lab.store import describe_url, upgrade
    from lab.store.db import database_url

    url = database_url()
    before = None
    from lab.store import schema_status

    before = schema_status(url).current
    status = upgrade(url)
    where = describe_url(url)
    if before == status.current:
        print(f"Database {where} is up to date (schema {status.current}).")
    elif before is None:
        print(f"Created database {where} (schema {status.current}).")
    else:
        print(f"Migrated database {where} from schema {before} to {status.current}.")
    return 0
