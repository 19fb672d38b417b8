"""Search over published plans: nodes and KPIs, by words, place, plan, level and SDG.

At national size (700,000 nodes, 250,000 KPIs) a common word matches tens of thousands of rows.
So the page never counts or sorts them all: the bigram index (:mod:`plans.search`) finds the
rows and one query reads the ids (and sort keys) of at most :data:`COUNT_CAP` + 1 of them in
the index's order — the count (「1,000件以上」 past the cap) and the order of the pages; only
the :data:`PER_PAGE` rows of the page asked for are then read whole. The filters narrow by
prefecture and municipality (two short lists) rather than offering every plan at once.

The ordered ids of a search are kept in the cache per search and version of the published
plans (:func:`plans.versions.site_version`), so its next pages and repeats read only their
rows: a common word's ids take 20–30 ms of the database (the index walks every match), a
page's rows 1–2 ms. With the dummy cache (tests, the uncached benchmark) nothing is kept.

The ids query is compiled once per *shape* of search (which filters are set, how long the
words are: :class:`_Shape`) and on PostgreSQL prepared once per connection, the words and
filters going as parameters (:mod:`plans.compiled`): building and compiling the two QuerySets
cost ~1.3 ms of Python a search, and the server planned them on every request (0.5–2.5 ms
each). After five runs the server plans a statement once for any word (a generic plan) when
it estimates that no dearer than planning for each word; at national size the generic plans
read as fast as those planned for the word, every shape and word tried
(``bench/search_plans.py``). For a long word the estimates keep it planning for each word
(about 1.2 ms a query, as before), the compiling is still saved.
"""

import hashlib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.utils.translation import gettext as _

from indicators.models import Indicator
from plans import versions
from plans.compiled import CompiledQuery
from plans.models import Municipality, Plan, PlanNode
from plans.prefectures import PREFECTURES
from plans.search import KpiText, Word, containing, fold, index_parts, nodes_containing

from .presenters.plans import level_label, sdg_name
from .search_hits import kpi_hits, node_hits
from .selectors import parse_small_int

# A query longer than this is cut: no plan text needs more, and LIKE on 10 KB is wasted work.
MAX_QUERY_LENGTH = 100
PER_PAGE = 20
COUNT_CAP = 1000
LAST_PAGE = COUNT_CAP // PER_PAGE


@dataclass
class SearchFilters:
    """What the citizen typed and chose; everything already validated."""

    query: str = ""  # as typed (cut to MAX_QUERY_LENGTH), for display
    folded: str = ""  # folded like PlanNode.search_text
    prefecture: str = ""
    municipality: Municipality | None = None
    plan: Plan | None = None
    level: int | None = None
    sdg: int | None = None
    page: int = 1
    truncated: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.folded

    @cached_property
    def site_version(self) -> tuple:
        """The version of the published plans when this search was made (one query)."""
        return versions.site_version()

    def cache_key(self, kind: str) -> str:
        """Where the ordered ids of this search's ``kind`` (nodes, KPIs) are kept."""
        chosen = (
            kind,
            self.query.lower(),
            self.folded,
            self.prefecture,
            self.municipality and self.municipality.pk,
            self.plan and self.plan.pk,
            self.level,
            self.sdg,
            self.site_version,
        )
        return "search-ids:" + hashlib.sha256(repr(chosen).encode()).hexdigest()[:32]

    @property
    def is_placed(self) -> bool:
        """Narrowed to a prefecture, a municipality or a plan: a few plans' rows, searched
        without the bigram index (see :func:`plans.search.nodes_containing`)."""
        return bool(self.plan or self.municipality or self.prefecture)


def search_filters(
    *,
    query: str,
    prefecture: str = "",
    municipality: str = "",
    plan_ref: str = "",
    level: str = "",
    sdg: str = "",
    page: str = "",
) -> SearchFilters:
    """Validate the search form; unknown filters are dropped rather than failing the page.

    A plan (``omitama/2023``) implies its municipality, a municipality its prefecture.
    """
    truncated = len(query) > MAX_QUERY_LENGTH
    query = query[:MAX_QUERY_LENGTH].strip()
    filters = SearchFilters(query=query, folded=fold(query), truncated=truncated)
    if "/" in plan_ref:
        municipality_slug, _, plan_slug = plan_ref.partition("/")
        filters.plan = (
            Plan.objects.published()
            .select_related("municipality")
            .filter(municipality__slug=municipality_slug, slug=plan_slug)
            .first()
        )
    if filters.plan is not None:
        filters.municipality = filters.plan.municipality
    elif municipality:
        filters.municipality = Municipality.objects.filter(
            slug=municipality, plans__status=Plan.Status.PUBLISHED
        ).first()
    if filters.municipality is not None:
        filters.prefecture = filters.municipality.prefecture
    elif prefecture in PREFECTURES:
        filters.prefecture = prefecture
    filters.level = parse_small_int(level, 0, 9)
    filters.sdg = parse_small_int(sdg, 1, 17)
    filters.page = parse_small_int(page, 1, LAST_PAGE) or 1
    return filters


def municipality_choices(filters: SearchFilters) -> list[Municipality]:
    """The municipalities with a published plan in the chosen prefecture (none chosen: [])."""
    if not filters.prefecture:
        return []
    chosen = Municipality.objects.filter(
        prefecture=filters.prefecture, plans__status=Plan.Status.PUBLISHED
    )
    return list(chosen.distinct().order_by("name_kana", "slug").only("name", "slug"))


def form_choices(filters: SearchFilters, goals) -> dict[str, list[dict]]:
    """The options of the form's lists (levels, SDGs, prefectures) with their labels in the
    page's language and whether each is chosen: worked out once here rather than compared
    and translated option by option in the template (70 options)."""
    return {
        "level_choices": [
            {
                "value": level,
                "label": _level_option(filters.plan, level),
                "selected": filters.level == level,
            }
            for level in range(4)
        ],
        "sdg_choices": [
            {"value": goal.number, "label": sdg_name(goal), "selected": filters.sdg == goal.number}
            for goal in goals
        ],
        "prefecture_choices": [
            {"name": name, "selected": name == filters.prefecture} for name in PREFECTURES
        ],
    }


def _level_option(plan: Plan | None, level: int) -> str:
    """The plan's name for a depth, or 第N階層 for any plan."""
    if plan is not None:
        return level_label(plan, level)
    return _("第%(n)s階層") % {"n": level + 1}


@dataclass
class Results:
    """One page of matches, and how many there are up to :data:`COUNT_CAP`."""

    items: list = field(default_factory=list)
    total: int = 0
    capped: bool = False  # more than COUNT_CAP matched: the page says 「1,000件以上」
    page: int = 1

    @property
    def count_text(self) -> str:
        """The count as the page prints it: 「12件」, or 「1,000件以上」 past the cap."""
        if self.capped:
            return _("%(count)s件以上") % {"count": f"{self.total:,}"}
        return _("%(count)s件") % {"count": self.total}

    @property
    def first_number(self) -> int:
        return (self.page - 1) * PER_PAGE + 1

    @property
    def last_number(self) -> int:
        return self.first_number + len(self.items) - 1

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page * PER_PAGE < self.total


@dataclass(frozen=True)
class _Shape:
    """What a search's ids query is made of: which filters are set and, for each word, whether
    it is short (:class:`plans.search.Word`). The searches of one shape run one compiled
    statement, their place, level, SDG and words as its parameters (:func:`_ids_query`)."""

    kind: str  # "nodes" or "kpis"
    place: str  # the narrowest chosen: "plan", "municipality", "prefecture", or "" for none
    level: bool
    sdg: bool
    short_words: tuple[bool, ...]

    @classmethod
    def of(cls, kind: str, filters: SearchFilters, words: list[Word]) -> "_Shape":
        place = next(
            (name for name in ("plan", "municipality", "prefecture") if getattr(filters, name)),
            "",
        )
        level, sdg = filters.level is not None, filters.sdg is not None
        return cls(kind, place, level, sdg, tuple(word.short for word in words))


def _values(filters: SearchFilters, words: list[Word]) -> dict:
    """A search's parameters, by the names of their placeholders (:func:`_narrowed`, the
    words' :meth:`plans.search.Word.placeholders`)."""
    place = filters.plan or filters.municipality
    values = {"place": place.pk if place else filters.prefecture}
    values |= {"level": filters.level, "sdg": filters.sdg}
    for number, word in enumerate(words):
        values |= word.values(f"word{number}")
    return values


# The lookup of each place, from the matches' plan (``{plan}``)
_PLACE_LOOKUPS = {
    "plan": "{plan}_id",
    "municipality": "{plan}__municipality_id",
    "prefecture": "{plan}__municipality__prefecture",
}


def _narrowed(matches, shape: _Shape, value, plan: str, node: str):
    """``matches`` within the filters of ``shape`` (``value``: the compiled query's
    placeholders); ``plan`` and ``node`` are the lookups to them."""
    if shape.place:
        matches = matches.filter(**{_PLACE_LOOKUPS[shape.place].format(plan=plan): value("place")})
    if shape.level:
        matches = matches.filter(**{f"{node}level": value("level")})
    if shape.sdg:
        matches = matches.filter(**{f"{node}sdg_goals": value("sdg")})
    return matches


def _ids_and_sort_keys(parts: list, sort_keys: tuple[str, ...]):
    """The ids and sort keys of up to COUNT_CAP + 1 matches, in one query (no ORDER BY:
    sorting every match of a common word is what made search slow; they are sorted by
    :func:`_ordered_ids`). ``parts`` are the matches in each part of the bigram index
    (:func:`plans.search.index_parts`), read in turn until the cap: a common word's first
    part holds enough, and the rest is never read."""
    # Each part has its own LIMIT too: the planner then reads its matches row by row (a
    # nested loop), where planned for all of them it joined a scan of every node.
    rows = [matches.order_by().values_list("pk", *sort_keys)[: COUNT_CAP + 1] for matches in parts]
    if len(rows) > 1:
        return rows[0].union(*rows[1:], all=True).order_by()[: COUNT_CAP + 1]  # no model order
    return rows[0]


def _node_ids(shape: _Shape, value):
    published = PlanNode.objects.published()
    word = Word.placeholders(value, "word0", short=shape.short_words[0])
    parts = [
        _narrowed(nodes_containing(published, word, part=part), shape, value, "plan", "")
        for part in index_parts(published, index=not shape.place)
    ]
    return _ids_and_sort_keys(parts, ("title", "plan_id", "tree_id", "lft"))


def _kpi_ids(shape: _Shape, value):
    published = Indicator.objects.filter(plan__status=Plan.Status.PUBLISHED)
    words = [
        Word.placeholders(value, f"word{number}", short=short)
        for number, short in enumerate(shape.short_words)
    ]
    parts = [
        _narrowed(
            containing(published, KpiText(), words, part=part), shape, value, "plan", "node__"
        )
        for part in index_parts(published, index=not shape.place)
    ]
    return _ids_and_sort_keys(parts, ("plan_id", "node__tree_id", "node__lft", "order"))


# Shapes are few and fixed by this module, not by what is typed: 4 places × level × SDG × the
# words' lengths (nodes: one word, short or long; KPIs: one word or two, as typed and folded,
# each short or long: 6) = 16 × 8 = 128. Each is a statement prepared once per connection;
# a shape past the cap would be compiled again and prepared under a new name.
MAX_SHAPES = 128


@lru_cache(maxsize=MAX_SHAPES)
def _ids_query(shape: _Shape) -> CompiledQuery:
    """The ids query of the searches of ``shape``, compiled (and on PostgreSQL prepared) once:
    building and compiling the two id QuerySets cost ~1.3 ms of a search, and the server
    planned them on every request (2.5 + 2.0 ms for 環境 on the sample plans)."""
    build = _node_ids if shape.kind == "nodes" else _kpi_ids
    return CompiledQuery(lambda value: build(shape, value))


def _ordered_ids(shape: _Shape, filters: SearchFilters, words: list[Word], sort) -> list[int]:
    """The ids of up to COUNT_CAP + 1 matches in page order (one query)."""
    found = _ids_query(shape)(**_values(filters, words))
    found.sort(key=sort)
    return [row[0] for row in found]


def _kept_ordered_ids(filters: SearchFilters, kind: str, read) -> list[int]:
    """``read()``, kept in the cache for this search and version of the published plans."""
    cache = caches["default"]
    if isinstance(cache, DummyCache):
        return read()
    key = filters.cache_key(kind)
    ids = cache.get(key)
    if ids is None:
        ids = read()
        cache.set(key, ids)
    return ids


def _page(ids: list[int], read, page: int) -> Results:
    """The page's matches, by ``read(ids_on_page)`` (one query), in the order of ``ids``."""
    total = min(len(ids), COUNT_CAP)
    start = (page - 1) * PER_PAGE
    ids_on_page = ids[start : min(start + PER_PAGE, total)]
    # With no match the page still reads (nothing): the same queries whatever is found.
    by_id = read(ids_on_page)
    return Results([by_id[pk] for pk in ids_on_page], total, len(ids) > COUNT_CAP, page)


def search_nodes(filters: SearchFilters) -> Results:
    """Nodes of published plans whose folded text contains the folded query (two queries:
    ids unless kept, nodes with their sections); titles that contain it first, then in plan
    order."""
    if filters.is_empty:
        return Results()
    words = [Word.of(filters.folded)]
    shape = _Shape.of("nodes", filters, words)
    ids = _kept_ordered_ids(
        filters,
        "nodes",
        lambda: _ordered_ids(
            shape,
            filters,
            words,
            lambda row: (filters.folded not in fold(row[1]), *row[2:], row[0]),
        ),
    )
    return _page(ids, lambda on_page: node_hits(on_page, filters.folded, PER_PAGE), filters.page)


def search_indicators(filters: SearchFilters) -> Results:
    """KPIs of published plans whose name or definition contains the query (two queries: ids
    unless kept, KPIs).

    Names are stored as printed, so both the typed and the folded query are tried: 防災 and
    ＤＸ find "防災" and "DX" in the common case without a second folded column.
    """
    if filters.is_empty:
        return Results()
    words = [Word.of(word) for word in sorted({filters.query.lower(), filters.folded} - {""})]
    shape = _Shape.of("kpis", filters, words)
    ids = _kept_ordered_ids(
        filters,
        "kpis",
        lambda: _ordered_ids(shape, filters, words, lambda row: (*row[1:], row[0])),
    )
    return _page(ids, lambda on_page: kpi_hits(on_page, filters.folded, PER_PAGE), filters.page)
