"""Django settings: the shop app and its SQLite database, over the examples' shared ones."""
from common_settings import *  # noqa: F401,F403
from sqlite_app import database

from .config import load_config

CONFIG = load_config()

INSTALLED_APPS = ["shop"]
ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"
DATABASES = {"default": database(CONFIG.database_path, CONFIG.transaction_mode, CONFIG.busy_timeout_ms)}
