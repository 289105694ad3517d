"""Settings from the environment, read once at start-up; a bad value stops the server with its name."""
import os
from dataclasses import asdict, dataclass

TRANSACTION_MODES = ("deferred", "immediate")
JOURNAL_MODES = ("rollback", "wal")


def _int(name: str, default: int, minimum: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be an integer >= {minimum}, got {raw!r}")
    if value < minimum:
        raise SystemExit(f"{name} must be an integer >= {minimum}, got {raw!r}")
    return value


def _choice(name: str, default: str, choices: tuple) -> str:
    value = os.environ.get(name, default)
    if value not in choices:
        raise SystemExit(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


@dataclass(frozen=True)
class Config:
    database_path: str
    #: deferred: BEGIN, as Django 3.2 opens every atomic block; immediate: BEGIN IMMEDIATE, as Django 5.1's
    #: OPTIONS["transaction_mode"] = "IMMEDIATE" does (here through the small sqlite_immediate backend).
    transaction_mode: str
    #: rollback: SQLite's default rollback journal (journal_mode DELETE), as Django leaves a new file; wal: WAL.
    journal_mode: str
    #: How long a connection waits for a lock before "database is locked" (Python's sqlite3 `timeout`), in ms.
    busy_timeout_ms: int
    #: Simulated per-artifact work inside the import's transaction (parsing, I/O), in ms.
    artifact_work_ms: int
    #: Work between reading a catalog entry and writing it back, in the same transaction, in ms.
    catalog_work_ms: int
    #: gunicorn worker processes and threads per worker.
    workers: int
    threads: int

    def as_dict(self) -> dict:
        return asdict(self)


def load_config() -> Config:
    return Config(
        database_path=os.environ.get("DATABASE_PATH", "marketplace.db"),
        transaction_mode=_choice("TRANSACTION_MODE", "deferred", TRANSACTION_MODES),
        journal_mode=_choice("JOURNAL_MODE", "rollback", JOURNAL_MODES),
        # Python's sqlite3 default, which Django 3.2 keeps unless OPTIONS["timeout"] is set.
        busy_timeout_ms=_int("BUSY_TIMEOUT_MS", 5000, 0),
        artifact_work_ms=_int("ARTIFACT_WORK_MS", 20, 0),
        catalog_work_ms=_int("CATALOG_WORK_MS", 2, 0),
        workers=_int("WORKERS", 3, 1),
        threads=_int("THREADS", 4, 1),
    )
