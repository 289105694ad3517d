"""Settings from the environment, read once at start-up; a bad value stops the server with its name."""
from dataclasses import dataclass

from sqlite_app import ServerConfig, env_int, server_settings


@dataclass(frozen=True)
class Config(ServerConfig):
    #: Simulated per-artifact work inside the import's transaction (parsing, I/O), in ms.
    artifact_work_ms: int
    #: Work between reading a catalog entry and writing it back, in the same transaction, in ms.
    catalog_work_ms: int


def load_config() -> Config:
    return Config(
        **server_settings("marketplace.db", workers=3, threads=4),
        artifact_work_ms=env_int("ARTIFACT_WORK_MS", 20, 0),
        catalog_work_ms=env_int("CATALOG_WORK_MS", 2, 0),
    )
