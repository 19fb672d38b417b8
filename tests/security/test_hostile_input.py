"""Hostile paths and query strings answer 4xx on every public URL pattern, never 5xx.

The patterns are read from the URLconf (everything but the admin), so a page added later is
fuzzed too. Each hostile kind — NUL, non-UTF-8 bytes, a 20-digit number, 10,000 characters —
is put in every segment and in the query string of every pattern, next to real segments of
the sample plans so that it reaches the deepest lookups; then hypothesis mixes them freely.
Run on SQLite and on PostgreSQL (``DATABASE_URL``): NUL broke PostgreSQL, big ids SQLite.
"""

import re
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.models import Indicator
from plans.models import PlanNode

# Already percent-encoded, as they would travel on the wire.
HOSTILE = {
    "NUL": "a%00b",
    "non-UTF-8": "%FF%FE%C3%28",
    "huge integer": "9" * 20,
    "10,000 characters": quote("長" * 10_000),
}
CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def public_patterns(resolver=None, prefix=""):
    """Every public route as text (``<slug:municipality>/…``), the admin's excluded."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith("admin/"):
            continue
        if isinstance(entry, URLResolver):
            yield from public_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route.lstrip("^").rstrip("$")


PATTERNS = sorted(set(public_patterns()))


def real_segments() -> dict[str, str]:
    node = PlanNode.objects.filter(plan__municipality__slug="omitama", level=2).first()
    kpi = Indicator.objects.filter(plan=node.plan).first()
    return {
        "municipality": "omitama",
        "plan": node.plan.slug,
        "node": node.code,
        "pk": str(kpi.pk),
    }


def fill(route: str, segments: dict[str, str]) -> str:
    return "/" + CONVERTER.sub(lambda m: segments.get(m.group(1), "x"), route)


def get(client, path: str, query: str = ""):
    return client.get(path, QUERY_STRING=query)


def test_there_are_public_patterns_to_fuzz():
    assert {"", "search/", "<slug:municipality>/<slug:plan>/<str:node>/"} <= set(PATTERNS)


@pytest.mark.parametrize("kind", sorted(HOSTILE))
@pytest.mark.parametrize("route", PATTERNS)
def test_each_hostile_kind_answers_4xx_in_every_place(cities, client, route, kind):
    real = real_segments()
    names = CONVERTER.findall(route)
    paths = [fill(route, real | {name: HOSTILE[kind]}) for name in names]
    for path in paths:
        status = get(client, path).status_code
        assert 400 <= status < 500, f"{kind} in {path[:120]}: {status}"
    for key in ("q", "plan", "level", "sdg", "next", "size", "language", HOSTILE[kind]):
        query = f"{key}={HOSTILE[kind]}"
        status = get(client, fill(route, real), query).status_code
        assert 400 <= status < 500, f"{kind} in ?{query[:60]} on {route}: {status}"


SEGMENT = st.one_of(
    st.sampled_from(["a%00b", "%FF%FE", "%00", "%E3%81", "-1", "0", "1" * 19, "..", "%2F"]),
    st.just(quote("長" * 1500)),
    st.text(max_size=40).map(lambda text: quote(text, safe="")),
    st.sampled_from(["omitama", "honjo", "2023", "1101", "11", "kpi"]),
)
QUERY = st.lists(
    st.tuples(st.sampled_from(["q", "plan", "level", "sdg", "next", "size", "page"]), SEGMENT),
    max_size=4,
).map(lambda pairs: "&".join(f"{key}={value}" for key, value in pairs))


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(route=st.sampled_from(PATTERNS), segments=st.lists(SEGMENT, min_size=3), query=QUERY)
def test_no_mix_of_segments_and_queries_gets_a_5xx(cities, client, route, segments, query):
    names = CONVERTER.findall(route)
    path = fill(route, dict(zip(names, segments, strict=False)))
    status = get(client, path, query).status_code
    assert status < 500, f"{path[:120]}?{query[:120]}: {status}"


@pytest.mark.django_db
def test_the_refusal_page_carries_the_content_security_policy(client):
    """The 400 page that answers a hostile query is an HTML page like any other: it carries
    the same Content-Security-Policy (the browser test found it without one)."""
    page = client.get("/", {"q": "a\x00b"})
    ordinary = client.get("/no-such-page/")
    assert page.status_code == 400
    assert page["Content-Security-Policy"] == ordinary["Content-Security-Policy"]
    assert "script-src 'self'" in page["Content-Security-Policy"]
