"""Settings from the environment, read once at start-up."""
import os
from dataclasses import asdict, dataclass

IMPORT_MODES = ("monolithic", "batched")


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


@dataclass(frozen=True)
class Settings:
    database_path: str
    #: monolithic: every entry of an import in one transaction; batched: one transaction per batch.
    import_mode: str
    #: Entries per transaction in batched mode.
    import_batch_size: int
    #: Simulated per-artifact work inside the transaction (I/O, parsing), in milliseconds.
    artifact_work_ms: int
    #: How long a connection waits for SQLite's write lock before "database is locked", in milliseconds.
    busy_timeout_ms: int
    #: PRAGMA wal_autocheckpoint, in pages.
    wal_autocheckpoint: int

    def as_dict(self) -> dict:
        return asdict(self)


def load_settings() -> Settings:
    mode = os.environ.get("IMPORT_MODE", "monolithic")
    if mode not in IMPORT_MODES:
        raise SystemExit(f"IMPORT_MODE must be one of {', '.join(IMPORT_MODES)}, got {mode!r}")
    return Settings(
        database_path=os.environ.get("DATABASE_PATH", "marketplace.db"),
        import_mode=mode,
        import_batch_size=_int("IMPORT_BATCH_SIZE", 10, 1),
        artifact_work_ms=_int("ARTIFACT_WORK_MS", 20, 0),
        busy_timeout_ms=_int("BUSY_TIMEOUT_MS", 30_000, 0),
        wal_autocheckpoint=_int("WAL_AUTOCHECKPOINT", 1000, 0),
    )
