"""Hostile requests answer 400 before any view or query sees them.

PostgreSQL refuses a NUL byte in a string literal and SQLite an integer past 64 bits: either
turned a probe into a 500. One check here covers every URL, public or admin:

* a NUL byte, or a non-UTF-8 byte sequence, anywhere in the path or the query string;
* a run of more than 18 digits in a path segment or a query value (no id, year or code is
  that long; 19 digits may overflow a 64-bit integer);
* a path or a query value longer than any the portal makes (``MAX_PATH``, ``MAX_VALUE``).
"""

import re

from django.core.exceptions import BadRequest

MAX_PATH = 1000
MAX_VALUE = 1000
HUGE_NUMBER = re.compile(r"(?:^|[/=&])\d{19,}(?=$|[/&])")


class HostileInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refuse_hostile_input(request)
        return self.get_response(request)


def refuse_hostile_input(request) -> None:
    """Raise BadRequest (400) for a request no page of the portal could answer sensibly."""
    raw_path = request.META.get("PATH_INFO", "")
    path = request.path
    if "\x00" in path or len(path) > MAX_PATH or not _utf8(raw_path):
        raise BadRequest("path")
    if HUGE_NUMBER.search(path):
        raise BadRequest("number")
    for key, values in request.GET.lists():
        for value in [key, *values]:
            if "\x00" in value or "\ufffd" in value or len(value) > MAX_VALUE:
                raise BadRequest("query")
            if value.isdigit() and len(value) > 18:
                raise BadRequest("number")


def _utf8(wsgi_text: str) -> bool:
    """WSGI hands the path as latin-1 text of the raw bytes; it must decode as UTF-8."""
    try:
        wsgi_text.encode("iso-8859-1").decode("utf-8")
    except UnicodeError:
        return False
    return True
