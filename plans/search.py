"""Text folding and the bigram index for search.

The same function folds stored text and the user's query: 國 and 国, ｺﾄﾞﾓ and コドモ, ＡＢＣ and
abc meet. Japanese has no spaces between words, so search is substring search over folded text.

Most Japanese policy words have two characters (福祉, 防災, 公園), too short for a trigram index,
and Debian's PostgreSQL has neither pg_bigm nor PGroonga. So the database indexes each text by
its characters and character pairs: ``plans_bigrams(text)`` (migration 0008) returns them as an
array, a GIN index holds that array for node texts and for KPI names (``indicators`` 0003), and
a query asks for rows whose array contains every pair of the query (:func:`grams`), then
checks the substring itself (``LIKE``) for the order of the pairs. The database keeps the
index on every write, so ``save()``, the bulk path, the importer and ``loaddata`` all keep it
without knowing of it. Node texts live in a table of their own, ``plans_nodesearch``, kept by
triggers (migration 0009): tree writes rewrite many node rows and must not rewrite their
pairs too. Each index is in two parts (:data:`INDEX_PARTS`, plans 0013 and indicators 0005)
so that a common word is answered from the first part alone. SQLite has none of this:
``LIKE`` alone, fine at plan sizes.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.contrib.postgres.fields import ArrayField
from django.db import connections
from django.db.models import BooleanField, F, Func, Lookup, Q, TextField
from django.db.models.expressions import RawSQL

# Old and variant forms (旧字体・異体字) that NFKC leaves alone, folded to the standard form.
VARIANT_FORMS = str.maketrans(
    {
        "國": "国",
        "戰": "戦",
        "學": "学",
        "會": "会",
        "廣": "広",
        "澤": "沢",
        "邊": "辺",
        "邉": "辺",
        "齋": "斎",
        "齊": "斉",
        "濱": "浜",
        "髙": "高",
        "﨑": "崎",
        "圖": "図",
        "體": "体",
        "與": "与",
        "縣": "県",
        "區": "区",
        "發": "発",
        "來": "来",
        "變": "変",
        "樂": "楽",
        "營": "営",
        "傳": "伝",
        "兒": "児",
        "壽": "寿",
        "惠": "恵",
        "濟": "済",
        "處": "処",
        "當": "当",
        "预": "予",
        "ヶ": "ケ",
    }
)


# Most texts are already in NFKC and hold no variant form: both steps are then skipped after a
# check in C. Search folds the title of each of up to 1,001 matches to put titles containing
# the word first: 7.4 ms for 1,020 titles with every step taken, 3.1 ms so.
_HAS_VARIANT = re.compile("[" + re.escape("".join(map(chr, VARIANT_FORMS))) + "]")


def fold(text: str) -> str:
    """Fold text for matching: NFKC, variant kanji to standard, case-folded, spaces squeezed."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if _HAS_VARIANT.search(text):
        text = text.translate(VARIANT_FORMS)
    return " ".join(text.casefold().split())


def search_text_for_node(node) -> str:
    """Everything a citizen may search a node by: code, title and the text of its sections."""
    parts = [node.code, node.title]
    if node.pk:
        parts += [f"{s.heading} {s.body}" for s in node.sections.all()]
    return fold(" ".join(part for part in parts if part))


def grams(folded: str) -> list[str]:
    """The keys ``plans_bigrams`` must hold for a text containing ``folded``: its character
    pairs, or the character itself for a one-character query."""
    if len(folded) < 2:
        return [folded] if folded else []
    return sorted({folded[i : i + 2] for i in range(len(folded) - 1)})


class Bigrams(Func):
    """``plans_bigrams(text)``: the characters and character pairs of a text (PostgreSQL)."""

    function = "plans_bigrams"
    output_field = ArrayField(TextField())


class KpiText(Func):
    """A KPI's searchable text as its index holds it: ``lower(name || ' ' || definition)``.

    KPI names are kept as printed (not folded), so the query is tried as typed and folded.
    """

    template = "lower(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = TextField()

    def __init__(self, **extra):
        super().__init__("name", "definition", **extra)


# The bigram indexes come in two partial indexes (plans 0013, indicators 0005): the first
# part holds the rows of one run of 1,024 ids in eight, the rest the others. A GIN index
# collects every match before the first row is read, so asking the first part, then the rest,
# under one LIMIT spares a common word most of its matches (福祉: 20,000 index entries read of
# 159,405). The planner uses a partial index only for a query that states its predicate:
# these are the indexes' own predicates, for the id column ``{id}``, written again (``%%`` is
# SQL's ``%`` in a statement sent with parameters).
INDEX_PARTS = ("({id} / 1024) %% 8 = 0", "({id} / 1024) %% 8 <> 0")


def index_parts(queryset, *, index: bool = True) -> list[int | None]:
    """The parts of the bigram indexes a search of ``queryset`` reads, in order: each part
    on PostgreSQL, ``[None]`` (no index) on SQLite or with ``index=False``."""
    if index and connections[queryset.db].vendor == "postgresql":
        return list(range(len(INDEX_PARTS)))
    return [None]


def _in_part(queryset, part: int):
    """``queryset`` within ``part`` of its table's bigram index (by its primary key)."""
    column = f'"{queryset.model._meta.db_table}"."{queryset.model._meta.pk.column}"'
    # INDEX_PARTS is a constant and the column the model's own: no value of a request.
    condition = RawSQL(INDEX_PARTS[part].format(id=column), (), output_field=BooleanField())  # noqa: S611
    return queryset.filter(condition)


@dataclass(frozen=True)
class Word:
    """A folded word as the search queries take it: its pairs (:func:`grams`, one ``text[]``
    parameter whatever their number) and its ``LIKE`` pattern (see :class:`Like`).

    :meth:`of` gives a word's values; :meth:`placeholders` the places of a compiled query's
    parameters (:class:`plans.compiled.CompiledQuery`), of which only ``short`` is known: it
    decides the SQL (see :data:`NODE_SEARCH_SHORT`), so a short and a long word are two
    statements, and every word of the same length class the same one.
    """

    short: bool  # one or two characters: itself a key of the bigram index
    grams: object
    pattern: object

    @classmethod
    def of(cls, folded: str) -> "Word":
        escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return cls(len(folded) <= 2, grams(folded), f"%{escaped}%")

    @classmethod
    def placeholders(cls, value, name: str, *, short: bool) -> "Word":
        """The word ``name``'s placeholders (``value``: the compiled query's); its values go
        by these names (:meth:`values`)."""
        return cls(short, value(f"{name}_grams"), value(f"{name}_pattern"))

    def values(self, name: str) -> dict:
        """This word's values under the names of :meth:`placeholders`."""
        return {f"{name}_grams": self.grams, f"{name}_pattern": self.pattern}


class Like(Lookup):
    """``lhs LIKE pattern``, the pattern made already (:attr:`Word.pattern`): the SQL of
    Django's ``contains`` given a value, also when the pattern is a compiled query's
    parameter. (``contains`` given an expression makes the pattern in SQL, for every row: as a
    generic plan, 福祉 in a prefecture, 13,000 national nodes, took 14–15 ms instead of 10.)"""

    lookup_name = "like"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} {connection.operators['contains'] % rhs}", (*lhs_params, *rhs_params)


def _words(words) -> list[Word]:
    """``words`` as :class:`Word`: a set of folded strings (sorted, the empty one dropped) or
    a list of words already."""
    if isinstance(words, list):
        return words
    return [Word.of(word) for word in sorted(words - {""})]


def containing(queryset, expression, words, *, part: int | None = None):
    """The rows of ``queryset`` whose text (``expression``) contains one of ``words`` (a set
    of strings, or a list of :class:`Word`).

    With ``part`` (PostgreSQL; see :func:`index_parts`) each word is looked up in that part
    of the bigram index (an index on ``plans_bigrams(expression)``), so only rows holding all
    its pairs are read. Without it only ``LIKE`` is asked: on SQLite, or where the caller has
    narrowed ``queryset`` to a few plans (see :func:`nodes_containing`).
    """
    postgresql = part is not None
    queryset = queryset.alias(haystack=expression)
    if postgresql:
        queryset = _in_part(queryset, part).alias(haystack_grams=Bigrams(expression))
    condition = Q()
    for word in _words(words):
        if not postgresql:
            match = Q(Like(F("haystack"), word.pattern))
        elif word.short:  # its own key: the index answers exactly (see NODE_SEARCH_SHORT)
            match = Q(haystack_grams__contains=word.grams)
        else:
            match = Q(Like(F("haystack"), word.pattern), haystack_grams__contains=word.grams)
        condition |= match
    return queryset.filter(condition)


NODE_SEARCH = (
    "SELECT node_id FROM plans_nodesearch WHERE {part} "
    "AND plans_bigrams(search_text) @> %s::text[] AND search_text LIKE %s"
)
# A word of one or two characters is itself a key of ``plans_bigrams``: a text holds the key
# exactly when it contains the word, so the index answers alone. Without the LIKE (which the
# planner guesses matches almost nothing) the planner also sees how many rows match: with it,
# it estimated 5 KPIs of 15,800 for 公園 and joined every plan to them (1.2 s instead of 30 ms).
NODE_SEARCH_SHORT = (
    "SELECT node_id FROM plans_nodesearch WHERE {part} AND plans_bigrams(search_text) @> %s::text[]"
)


def nodes_containing(queryset, word: "str | Word", *, part: int | None = None):
    """The nodes of ``queryset`` whose folded text contains ``word`` (folded, or a
    :class:`Word`); with ``part`` (PostgreSQL, see :func:`index_parts`) through that part of
    ``plans_nodesearch``'s bigram index.

    No ``part`` when ``queryset`` is narrowed to a prefecture, a municipality or a plan: then
    ``LIKE`` on those plans' rows alone is fast (福祉 in 静岡県: 1,001 of its nodes in
    2.5 ms), while with the bigram condition the planner walked the same rows computing each
    text's pairs (0.2 ms a node: 1 s), the index being no help for a word common everywhere.
    """
    if isinstance(word, str):
        word = Word.of(word)
    if part is None:
        return queryset.filter(Like(F("search_text"), word.pattern))
    where = INDEX_PARTS[part].format(id="node_id")
    # NODE_SEARCH(_SHORT) and INDEX_PARTS are constants; the word's pairs and pattern go as
    # parameters.
    if word.short:
        sql = NODE_SEARCH_SHORT.format(part=where)
        return queryset.filter(pk__in=RawSQL(sql, (word.grams,)))  # noqa: S611
    sql = NODE_SEARCH.format(part=where)
    return queryset.filter(pk__in=RawSQL(sql, (word.grams, word.pattern)))  # noqa: S611
