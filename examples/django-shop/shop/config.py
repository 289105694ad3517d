"""Settings from the environment, read once at start-up; a bad value stops the server with its name."""
from dataclasses import dataclass

from sqlite_app import ServerConfig, env_int, server_settings


@dataclass(frozen=True)
class Config(ServerConfig):
    #: Work between reading a product's stock and writing the order, inside the order's transaction, in ms.
    order_work_ms: int
    #: Work per item inside the restock's one transaction, in ms: 100 items hold the write lock 100 times as long.
    restock_item_work_ms: int


def load_config() -> Config:
    return Config(
        **server_settings("shop.db", workers=2, threads=4),
        order_work_ms=env_int("ORDER_WORK_MS", 2, 0),
        restock_item_work_ms=env_int("RESTOCK_ITEM_WORK_MS", 10, 0),
    )
