"""Local development: debug on, a fixed throwaway key, localhost only."""

from . import env
from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = env.SECRET_KEY or "dev-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = env.ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
