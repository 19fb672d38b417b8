"""Public URLs reversed once per process, not once per page.

``reverse()`` walks the URL resolver every time; every page links the site's own pages, and a
node page its plan and municipality, and the cost showed in the pages' throughput. The URLconf
and the script prefix are part of the key, so a test that swaps the URLconf gets its own URLs.
"""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def public_url(viewname: str, **kwargs: str) -> str:
    """``reverse(viewname, kwargs=kwargs)``, remembered."""
    return _reversed(*_resolver_key(), viewname, tuple(kwargs.items()))


def site_urls() -> dict[str, str]:
    """The URLs every page links to (header, footer, breadcrumb), remembered."""
    return _site_urls(*_resolver_key())


def _resolver_key() -> tuple:
    return get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()


@functools.lru_cache(maxsize=1024)
def _reversed(urlconf, prefix: str, viewname: str, kwargs: tuple) -> str:
    return reverse(viewname, urlconf=urlconf, kwargs=dict(kwargs))


@functools.lru_cache(maxsize=8)
def _site_urls(urlconf, prefix: str) -> dict[str, str]:
    return {
        "home_url": reverse("portal:home", urlconf=urlconf),
        "search_url": reverse("portal:search", urlconf=urlconf),
        "text_size_url": reverse("portal:text_size", urlconf=urlconf),
        "language_url": reverse("portal:language", urlconf=urlconf),
    }
