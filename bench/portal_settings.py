"""Settings for the page benchmark: production settings, with the benchmark's URLs.

Used only by ``bench/serve_pages.py`` (``DJANGO_SETTINGS_MODULE=bench.portal_settings``).
"""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.portal_urls"
LOGGING = {"version": 1, "disable_existing_loggers": False}
