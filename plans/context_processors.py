"""Template context for every page: the site-wide links of the header and footer."""

import functools

from django.urls import reverse


@functools.cache
def site_urls() -> dict[str, str]:
    """The URLs every page links to. They never change while the process runs, and reversing
    them on every request is a measurable share of a page's time."""
    return {
        "home_url": reverse("plans:home"),
        "search_url": reverse("plans:search"),
        "text_size_url": reverse("plans:text_size"),
        "language_url": reverse("plans:language"),
    }


def portal(request) -> dict[str, str]:
    return site_urls()
