"""Settings for the page benchmark: production settings, with the benchmark's URLs.

Used by ``bench/serve_pages.py`` and ``bench/national.py``
(``DJANGO_SETTINGS_MODULE=bench.portal_settings``).
"""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.portal_urls"
LOGGING = {"version": 1, "disable_existing_loggers": False}

# Database connections live through a run (production closes them after 60 s): the benches
# count the server's CPU time from the processes alive before and after a page's load, and a
# backend that ended in between took its time with it (a national search once read -11 ms).
DATABASES["default"]["CONN_MAX_AGE"] = None  # noqa: F405
