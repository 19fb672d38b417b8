"""Every environment variable the portal reads, in one place."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DATABASE_URL = os.environ.get("DATABASE_URL", "")
SQLITE_PATH = Path(os.environ.get("SQLITE_PATH", BASE_DIR / "db" / "portal.sqlite3"))
CACHE_URL = os.environ.get("CACHE_URL", "")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h]
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]
SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
# Set by CI runners (and by .ci/run): what rewrites committed files (golden files, fixtures)
# refuses to run, so that they change only as a reviewed diff.
CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
