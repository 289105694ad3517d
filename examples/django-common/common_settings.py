"""The Django settings every example shares: one app, one SQLite database, nothing else (no admin, no
sessions, no auth); each example's settings module starts with `from common_settings import *`."""
SECRET_KEY = "lockbench-example-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
MIDDLEWARE = ["sqlite_app.JsonErrorMiddleware"]
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    # One line per failed request (Django logs every 500 with its traceback otherwise).
    "loggers": {"django.request": {"handlers": ["stderr"], "level": "CRITICAL"}},
}
