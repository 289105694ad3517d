"""What the Django examples (django-gunicorn, django-shop) share: the server's settings from the environment,
the database settings of Django 3.2's SQLite backend (or sqlite_immediate's), the JSON error answer, and
the start-up (create and seed the database, set its journal mode, become gunicorn). Each example's start.py
puts this folder on sys.path; gunicorn's workers get it through --pythonpath."""
import argparse
import os
import sqlite3
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from django.db import OperationalError
from django.http import JsonResponse

HERE = str(Path(__file__).resolve().parent)
GUNICORN = "/usr/bin/gunicorn"


def env_int(name: str, default: int, minimum: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise SystemExit(f"{name} must be an integer >= {minimum}, got {raw!r}")
    return value


def env_choice(name: str, default: str, choices: tuple) -> str:
    value = os.environ.get(name, default)
    if value not in choices:
        raise SystemExit(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


TRANSACTION_MODES = ("deferred", "immediate")
JOURNAL_MODES = ("rollback", "wal")


@dataclass(frozen=True)
class ServerConfig:
    """What every example's server takes: its database, how it opens transactions, and gunicorn's size."""

    database_path: str
    #: deferred: BEGIN, as Django 3.2 opens every atomic block; immediate: BEGIN IMMEDIATE, as Django 5.1's
    #: OPTIONS["transaction_mode"] = "IMMEDIATE" does (here through the small sqlite_immediate backend).
    transaction_mode: str
    #: rollback: SQLite's default rollback journal (journal_mode DELETE), as Django leaves a new file; wal: WAL.
    journal_mode: str
    #: How long a connection waits for a lock before "database is locked" (Python's sqlite3 `timeout`), in ms.
    busy_timeout_ms: int
    #: gunicorn worker processes and threads per worker.
    workers: int
    threads: int

    def as_dict(self) -> dict:
        return asdict(self)


def server_settings(database_path: str, workers: int, threads: int) -> dict:
    """The ServerConfig fields from the environment; the arguments are the example's defaults."""
    return {
        "database_path": os.environ.get("DATABASE_PATH", database_path),
        "transaction_mode": env_choice("TRANSACTION_MODE", "deferred", TRANSACTION_MODES),
        "journal_mode": env_choice("JOURNAL_MODE", "rollback", JOURNAL_MODES),
        # Python's sqlite3 default, which Django 3.2 keeps unless OPTIONS["timeout"] is set.
        "busy_timeout_ms": env_int("BUSY_TIMEOUT_MS", 5000, 0),
        "workers": env_int("WORKERS", workers, 1),
        "threads": env_int("THREADS", threads, 1),
    }


def database(path: str, transaction_mode: str, busy_timeout_ms: int) -> dict:
    """Django's DATABASES["default"]: Django 3.2's own backend begins transactions DEFERRED; the small
    sqlite_immediate backend begins them IMMEDIATE, as Django 5.1 does with OPTIONS["transaction_mode"]."""
    return {
        "ENGINE": "sqlite_immediate" if transaction_mode == "immediate" else "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {"timeout": busy_timeout_ms / 1000},
    }


class JsonErrorMiddleware:
    """The API's error answers as JSON. The status stays the one Django gives: 500 for a database error, so
    a "database is locked" comes back as the 500 a Django app answers, with SQLite's message in the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError):
            return JsonResponse({"error": {"code": "OperationalError", "message": str(exception)}}, status=500)
        return None


def set_journal_mode(database_path: str, journal_mode: str) -> None:
    """The journal mode is a setting of the file: set once at start-up, as the app's own start-up would."""
    connection = sqlite3.connect(database_path)
    with connection:
        connection.execute(f"PRAGMA journal_mode={'WAL' if journal_mode == 'wal' else 'DELETE'}")
    connection.close()


def serve(wsgi: str, prepare_database) -> None:
    """`start.py --port N`: Django set up, the database prepared (`prepare_database(config)`), then gunicorn."""
    import django

    parser = argparse.ArgumentParser(description=sys.modules["__main__"].__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    django.setup()
    from django.conf import settings

    config = settings.CONFIG
    set_journal_mode(config.database_path, config.journal_mode)
    prepare_database(config)
    become_gunicorn(wsgi, args.host, args.port, config.workers, config.threads)


def become_gunicorn(wsgi: str, host: str, port: int, workers: int, threads: int) -> None:
    """exec: the process lockbench started becomes gunicorn's master, and its workers are its children."""
    from django.db import connections

    connections.close_all()
    sys.stdout.flush()
    os.execv(
        GUNICORN,
        [
            "gunicorn",
            "--workers", str(workers),
            "--threads", str(threads),
            "--worker-class", "gthread",
            "--bind", f"{host}:{port}",
            "--graceful-timeout", "5",
            "--pythonpath", HERE,
            wsgi,
        ],
    )
