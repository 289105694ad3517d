"""Creates and seeds the shop's database, sets its journal mode as configured, then becomes gunicorn (exec:
the process lockbench started is gunicorn's master, and its workers are that process's children).

    python3 start.py --port 8000
"""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "django-common"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

from sqlite_app import serve  # noqa: E402

#: Seeded products 1 .. N, each with SEED_STOCK units: far more than a run orders (the workload's
#: restocks-stored check counts on this figure).
SEED_PRODUCTS = 500
SEED_STOCK = 1000


def prepare_database(config) -> None:
    from django.core.management import call_command
    from shop.models import Product

    call_command("migrate", run_syncdb=True, verbosity=0)
    if not Product.objects.exists():
        Product.objects.bulk_create(
            Product(id=p, name=f"Product {p}", stock=SEED_STOCK, price=f"{5 + p % 20}.99") for p in range(1, SEED_PRODUCTS + 1)
        )


if __name__ == "__main__":
    serve("shop.wsgi", prepare_database)
