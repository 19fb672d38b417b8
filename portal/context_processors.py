"""Template context for every page: the site-wide links of the header and footer, and the
reader's text size."""

from plans.links import site_urls

TEXT_SIZE_COOKIE = "textsize"
TEXT_SIZE_CLASSES = {"large": "text-large", "xlarge": "text-xlarge"}


def portal(request) -> dict[str, str]:
    """Site links, and the class of ``<html>`` for the text size the reader chose (a template
    lookup of a missing cookie costs an exception per page)."""
    size = request.COOKIES.get(TEXT_SIZE_COOKIE, "")
    return {**site_urls(), "text_size_class": TEXT_SIZE_CLASSES.get(size, "")}
