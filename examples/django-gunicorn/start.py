"""Creates and seeds the database, sets its journal mode as configured, then becomes gunicorn (exec: the
process lockbench started is gunicorn's master, and its workers are that process's children).

    python3 start.py --port 8000
"""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "django-common"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

from sqlite_app import serve  # noqa: E402

#: Seeded sources src-1 .. src-N and catalog entries 1 .. N spread over them.
SEED_SOURCES = 8
SEED_CATALOG_ENTRIES = 400


def prepare_database(config) -> None:
    from django.core.management import call_command
    from marketplace.models import CatalogEntry, Source

    call_command("migrate", run_syncdb=True, verbosity=0)
    if not Source.objects.exists():
        Source.objects.bulk_create(Source(id=f"src-{s}", name=f"Source {s}") for s in range(1, SEED_SOURCES + 1))
        CatalogEntry.objects.bulk_create(
            CatalogEntry(id=c, source_id=f"src-{(c - 1) % SEED_SOURCES + 1}", title=f"Catalog entry {c}", status="published", updated_ms=0)
            for c in range(1, SEED_CATALOG_ENTRIES + 1)
        )


if __name__ == "__main__":
    serve("marketplace.wsgi", prepare_database)
