"""The test suite: fast password hashing, SQLite unless DATABASE_URL is set.

The SQLite test database is a file (one per pytest-xdist worker, in this checkout's ``db/``), not
the in-memory default: threads then get SQLite's real locking, as production has it (a second
writer waits for the first). In-memory shared-cache databases refuse a second writer at once.
"""

from . import env
from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files from the finders, without a collected STATIC_ROOT.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    (BASE_DIR / "db").mkdir(exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": BASE_DIR / "db" / "test.sqlite3"}  # noqa: F405

# No page cache unless CACHE_URL asks for one: the page tests count the queries of rendering;
# the cache's own tests switch local memory on.
CACHES = {"default": cache_config(env.CACHE_URL or "dummy://")}  # noqa: F405
