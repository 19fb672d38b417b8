"""The public page cache: a page is kept per version of what it shows, and revalidated by ETag.

A plan's pages (plan, node, KPI) are keyed by the plan's version (``plans.versions``), which
every write to the plan moves on, so a kept page is never stale; home, municipality and search
pages by the version of all published plans. The key also holds the URL (with its query), the
language and the text size, everything else a page depends on. Each answer carries an ``ETag``
and ``Last-Modified``; a browser that sends them back gets 304 Not Modified.

The backend is the ``default`` cache (``CACHE_URL``: local memory unless set, Redis in
production). With the dummy backend (``CACHE_URL=dummy://``, the tests' default) pages are
rendered every time, with no version lookup, so the pages' own query counts stay measurable.
"""

import functools
import hashlib

from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import get_language

from plans import versions

from .context_processors import TEXT_SIZE_COOKIE


def cached_page(version_of):
    """Keep the view's 200 answers per ``version_of(**view_kwargs)``; None means "no such
    page", and the view answers (a 404) uncached."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, **kwargs):
            cache = caches["default"]
            if isinstance(cache, DummyCache):
                return view(request, **kwargs)
            version = version_of(**kwargs)
            if version is None:
                return view(request, **kwargs)
            etag, last_modified = _validators(request, version)
            not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
            if not_modified is not None:
                return not_modified
            key = f"page:{etag.strip(chr(34))}"
            kept = cache.get(key)
            if kept is None:
                response = view(request, **kwargs)
                if response.status_code != 200 or response.streaming:
                    return response
                kept = (response.content, response["Content-Type"], _http_date(last_modified))
                cache.set(key, kept)
            else:
                response = HttpResponse(kept[0], content_type=kept[1])
            response["ETag"] = etag
            if kept[2] is not None:
                response["Last-Modified"] = kept[2]
            response["Cache-Control"] = "no-cache"  # keep, but ask again each time
            return response

        return wrapper

    return decorator


def _validators(request, version) -> tuple[str, int | None]:
    """(ETag, Last-Modified as a timestamp) of this request's page at ``version``."""
    stamp = version[0] if isinstance(version, tuple) else version
    parts = [
        request.get_full_path(),
        get_language() or "",
        request.COOKIES.get(TEXT_SIZE_COOKIE, ""),  # the header marks the reader's choice
        repr(version),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    # Last-Modified counts whole seconds; the ETag tells apart two writes in the same second.
    return f'"{digest}"', (int(stamp.timestamp()) if stamp is not None else None)


def _http_date(timestamp: int | None) -> str | None:
    return None if timestamp is None else http_date(timestamp)


def plan_version(municipality, plan, **kwargs):
    return versions.plan_version(municipality, plan)


def site_version(**kwargs):
    return versions.site_version()
