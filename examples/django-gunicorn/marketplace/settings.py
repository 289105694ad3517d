"""Django settings: one app, one SQLite database, nothing else (no admin, no sessions, no auth)."""
from .config import load_config

CONFIG = load_config()

SECRET_KEY = "lockbench-example-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["marketplace"]
MIDDLEWARE = ["marketplace.errors.JsonErrorMiddleware"]
ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

DATABASES = {
    "default": {
        # Django 3.2's own backend opens transactions DEFERRED; the small sqlite_immediate backend opens
        # them IMMEDIATE, as Django 5.1 does with OPTIONS["transaction_mode"] = "IMMEDIATE".
        "ENGINE": "sqlite_immediate" if CONFIG.transaction_mode == "immediate" else "django.db.backends.sqlite3",
        "NAME": CONFIG.database_path,
        "OPTIONS": {"timeout": CONFIG.busy_timeout_ms / 1000},
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    # One line per failed request (Django logs every 500 with its traceback otherwise).
    "loggers": {"django.request": {"handlers": ["stderr"], "level": "CRITICAL"}},
}
