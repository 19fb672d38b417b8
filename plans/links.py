"""Public URLs reversed once per process, not once per page.

``reverse()`` walks the URL resolver every time; a node page needs its plan's and its
municipality's URL, and the cost showed in its throughput. The URLconf and the script prefix
are part of the key, so a test that swaps the URLconf gets its own URLs.
"""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def public_url(viewname: str, **kwargs: str) -> str:
    """``reverse(viewname, kwargs=kwargs)``, remembered."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reversed(urlconf, get_script_prefix(), viewname, tuple(kwargs.items()))


@functools.lru_cache(maxsize=1024)
def _reversed(urlconf, prefix: str, viewname: str, kwargs: tuple) -> str:
    return reverse(viewname, urlconf=urlconf, kwargs=dict(kwargs))
