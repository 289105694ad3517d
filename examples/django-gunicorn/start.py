"""Creates and seeds the database, sets its journal mode as configured, then becomes gunicorn (exec: the
process lockbench started is gunicorn's master, and its workers are that process's children).

    python3 start.py --port 8000
"""
import argparse
import os
import sqlite3
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

import django  # noqa: E402

#: Seeded sources src-1 .. src-N and catalog entries 1 .. N spread over them.
SEED_SOURCES = 8
SEED_CATALOG_ENTRIES = 400
GUNICORN = "/usr/bin/gunicorn"


def prepare_database(config) -> None:
    from django.core.management import call_command
    from marketplace.models import CatalogEntry, Source

    # The journal mode is a setting of the file: set once here, as the app's own start-up would.
    with sqlite3.connect(config.database_path) as connection:
        connection.execute(f"PRAGMA journal_mode={'WAL' if config.journal_mode == 'wal' else 'DELETE'}")
    connection.close()
    call_command("migrate", run_syncdb=True, verbosity=0)
    if not Source.objects.exists():
        Source.objects.bulk_create(Source(id=f"src-{s}", name=f"Source {s}") for s in range(1, SEED_SOURCES + 1))
        CatalogEntry.objects.bulk_create(
            CatalogEntry(id=c, source_id=f"src-{(c - 1) % SEED_SOURCES + 1}", title=f"Catalog entry {c}", status="published", updated_ms=0)
            for c in range(1, SEED_CATALOG_ENTRIES + 1)
        )
    from django.db import connections

    connections.close_all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    django.setup()
    from django.conf import settings

    config = settings.CONFIG
    prepare_database(config)
    sys.stdout.flush()
    os.execv(
        GUNICORN,
        [
            "gunicorn",
            "--workers", str(config.workers),
            "--threads", str(config.threads),
            "--worker-class", "gthread",
            "--bind", f"{args.host}:{args.port}",
            "--graceful-timeout", "5",
            "marketplace.wsgi",
        ],
    )


if __name__ == "__main__":
    main()
