"""Template context for every page: the site-wide links of the header and footer, and the
reader's text size."""

import functools

from django.urls import reverse

from .views import TEXT_SIZE_COOKIE

TEXT_SIZE_CLASSES = {"large": "text-large", "xlarge": "text-xlarge"}


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
    """Site links, and the class of ``<html>`` for the text size the reader chose (a template
    lookup of a missing cookie costs an exception per page)."""
    size = request.COOKIES.get(TEXT_SIZE_COOKIE, "")
    return {**site_urls(), "text_size_class": TEXT_SIZE_CLASSES.get(size, "")}
