"""The engine and the session factory.

`create_engine("sqlite:///<file>")` gives a file database SQLAlchemy 1.4's NullPool: every session
opens its own connection and closes it when the session ends, so the pragmas run on every connect.
"""
import sqlite3

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker

from .settings import Settings

# Primary result codes (extended codes carry them in the low byte).
_LOCK_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


def create_db_engine(settings: Settings) -> Engine:
    engine = create_engine(
        f"sqlite:///{settings.database_path}",
        connect_args={"check_same_thread": False, "timeout": settings.busy_timeout_ms / 1000},
    )

    @event.listens_for(engine, "connect")
    def set_pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA cache_size=-64000")
        cursor.execute("PRAGMA mmap_size=268435456")
        cursor.execute(f"PRAGMA busy_timeout={settings.busy_timeout_ms}")
        cursor.execute(f"PRAGMA wal_autocheckpoint={settings.wal_autocheckpoint}")
        cursor.close()

    return engine


def create_session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(autocommit=False, autoflush=False, bind=engine)


def is_lock_timeout(error: OperationalError) -> bool:
    """SQLITE_BUSY / SQLITE_LOCKED: the write lock was not acquired within the busy timeout."""
    code = getattr(error.orig, "sqlite_errorcode", None)
    return code is not None and (code & 0xFF) in _LOCK_CODES
