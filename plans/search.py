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
pairs too. SQLite has none of this: ``LIKE`` alone, fine at plan sizes.
"""

import unicodedata

from django.contrib.postgres.fields import ArrayField
from django.db import connections
from django.db.models import Func, Q, TextField
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


def fold(text: str) -> str:
    """Fold text for matching: NFKC, variant kanji to standard, case-folded, spaces squeezed."""
    folded = unicodedata.normalize("NFKC", text).translate(VARIANT_FORMS).casefold()
    return " ".join(folded.split())


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


def containing(queryset, expression, words: set[str], *, index: bool = True):
    """The rows of ``queryset`` whose text (``expression``) contains one of ``words``.

    On PostgreSQL each word is looked up in the bigram index first (an index on
    ``plans_bigrams(expression)``), so only rows holding all its pairs are read. With
    ``index=False`` (the caller has narrowed ``queryset`` to a few plans) only ``LIKE`` is
    asked: see :func:`nodes_containing`.
    """
    postgresql = index and connections[queryset.db].vendor == "postgresql"
    queryset = queryset.alias(haystack=expression)
    if postgresql:
        queryset = queryset.alias(haystack_grams=Bigrams(expression))
    condition = Q()
    for word in sorted(words - {""}):
        if not postgresql:
            match = Q(haystack__contains=word)
        elif len(word) <= 2:  # its own key: the index answers exactly (see NODE_SEARCH_SHORT)
            match = Q(haystack_grams__contains=grams(word))
        else:
            match = Q(haystack__contains=word, haystack_grams__contains=grams(word))
        condition |= match
    return queryset.filter(condition)


NODE_SEARCH = (
    "SELECT node_id FROM plans_nodesearch "
    "WHERE plans_bigrams(search_text) @> %s::text[] AND search_text LIKE %s"
)
# A word of one or two characters is itself a key of ``plans_bigrams``: a text holds the key
# exactly when it contains the word, so the index answers alone. Without the LIKE (which the
# planner guesses matches almost nothing) the planner also sees how many rows match: with it,
# it estimated 5 KPIs of 15,800 for 公園 and joined every plan to them (1.2 s instead of 30 ms).
NODE_SEARCH_SHORT = (
    "SELECT node_id FROM plans_nodesearch WHERE plans_bigrams(search_text) @> %s::text[]"
)


def nodes_containing(queryset, folded: str, *, index: bool = True):
    """The nodes of ``queryset`` whose folded text contains ``folded`` (PostgreSQL: through
    ``plans_nodesearch`` and its bigram index).

    ``index=False`` when ``queryset`` is narrowed to a prefecture, a municipality or a plan:
    then ``LIKE`` on those plans' rows alone is fast (福祉 in 静岡県: 1,001 of its nodes in
    2.5 ms), while with the bigram condition the planner walked the same rows computing each
    text's pairs (0.2 ms a node: 1 s), the index being no help for a word common everywhere.
    """
    if not index or connections[queryset.db].vendor != "postgresql":
        return queryset.filter(search_text__contains=folded)
    if len(folded) <= 2:
        return queryset.filter(pk__in=RawSQL(NODE_SEARCH_SHORT, (grams(folded),)))  # noqa: S611
    pattern = "%" + folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    # NODE_SEARCH is a constant; the word and its pairs go as parameters.
    return queryset.filter(pk__in=RawSQL(NODE_SEARCH, (grams(folded), pattern)))  # noqa: S611
