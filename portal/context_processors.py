"""Template context for every page: the site-wide links of the header and footer, the page to
come back to after a choice, and the reader's text size."""

from urllib.parse import quote

from django.utils.translation import get_language

from plans.links import site_urls

from .presenters.plans import content_language

TEXT_SIZE_COOKIE = "textsize"
TEXT_SIZE_CLASSES = {"large": "text-large", "xlarge": "text-xlarge"}


def portal(request) -> dict[str, str]:
    """Site links; ``here_url``, this page for a ``next=`` parameter; the text size chosen
    (``normal`` unless the cookie says otherwise) and the class of ``<html>`` for it (a
    template lookup of a missing cookie costs an exception per page); ``content_lang``, the
    language to mark the plan's own words with (``{% if content_lang %} lang="…"{% endif %}``):
    "ja" on a page in another language, "" in Japanese. A variable, not a tag: a search page
    marks about a hundred elements, and an inclusion tag cost 46 µs each (4.6 ms a page);
    ``language``, the page's language, which the templates' words are looked up in."""
    size = request.COOKIES.get(TEXT_SIZE_COOKIE, "")
    return {
        **site_urls(),
        "here_url": quote(request.get_full_path(), safe="/"),
        "text_size": size or "normal",
        "text_size_class": TEXT_SIZE_CLASSES.get(size, ""),
        "content_lang": content_language(),
        "language": get_language(),
    }
