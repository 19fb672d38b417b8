"""Plan pages' helpers: 和暦 fiscal years, section text, the breadcrumb and the plan tree.

They hand data to the public pages' Jinja2 templates (``portal/jinja2/portal/``, parts in
``includes/``; ``portal/templating.py`` gives them their names there); ``fiscal_year`` is also
a Django filter for the admin (``portal/templatetags/plans_tags.py``). The one that builds HTML
in Python is ``plan_tree_html``, and its docstring says why
(``tests/portal/test_markup_in_templates.py`` keeps it the only one here).
"""

import re
from html import escape as escape_text

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from plans.links import site_urls

# (first 西暦 year of the era, era name). The fiscal year 2019 is 令和元年度 (平成31年度 too).
ERAS = ((2019, "令和"), (1989, "平成"), (1926, "昭和"))


def wareki_year(fiscal_year: int) -> str:
    """令和3年度 for 2021; 令和元年度 for 2019; the 西暦 year for years before 昭和."""
    for first_year, era in ERAS:
        if fiscal_year >= first_year:
            number = fiscal_year - first_year + 1
            return f"{era}{'元' if number == 1 else number}年度"
    return f"{fiscal_year}年度"


def fiscal_year(value) -> str:
    """A fiscal year as readers expect it: 令和3年度 (2021) in Japanese, FY2021 in English."""
    if value in (None, ""):
        return "—"
    year = int(value)
    if (get_language() or "ja").startswith("ja"):
        return f"{wareki_year(year)} ({year})"
    return f"FY{year}"


def wareki(value) -> str:
    """Only the 和暦 form: 令和3年度."""
    return "—" if value in (None, "") else wareki_year(int(value))


def level_label(plan, level) -> str:
    """The plan's name for a tree depth, or "第N階層" when the plan does not name it."""
    name = plan.level_name(int(level))
    return name or _("第%(number)s階層") % {"number": int(level) + 1}


# A footnote mark (※ or *) right after a word: it points at the plan's 用語解説.
FOOTNOTE_MARK = re.compile(r"(?<=[^\s*※])([*※])")
LINE_START_FOOTNOTE_MARK = re.compile(r"(?:^|(?<=[^\s*※]))([*※])")


def without_listed(text, references) -> str:
    """The text without a block that only lists items the page links below (a 政策連携プラン's
    「施策大項目 / - 2-1 確かな学力…」): the list is shown once, as links.

    A block goes when every "- " line in it names one of ``references`` (code and title) and
    at most one short label line (施策大項目) stands beside them."""
    listed = {
        f"{ref.target_code} {ref.target_title}".strip()
        for ref in references or ()
        if ref.target_code or ref.target_title
    }
    if not listed:
        return text
    kept = []
    for block in str(text or "").split("\n\n"):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        items = [line[2:].strip() for line in lines if line.startswith("- ")]
        others = [line for line in lines if not line.startswith("- ")]
        only_links = items and all(item in listed for item in items)
        if only_links and len(others) <= 1 and all(len(line) <= 12 for line in others):
            continue
        kept.append(block)
    return "\n\n".join(kept)


def text_blocks(text, plan_url=None) -> list[dict]:
    """Section text as blocks for ``includes/paragraphs.html``: blank-line separated paragraphs,
    runs of "- " lines as a list. Each line is a list of (text, footnote mark) pieces; given the
    plan's URL, a footnote mark right after a word (also at the start of a paragraph or list item)
    points at the plan page's 用語解説 (the importer keeps a mark only where the plan defines
    the term)."""
    blocks = []
    for block in str(text or "").split("\n\n"):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        is_list = all(line.startswith("- ") for line in lines)
        if is_list:
            lines = [line[2:].strip() for line in lines]
        pieces = [
            _footnote_pieces(line, plan_url, at_start=is_list or index == 0)
            for index, line in enumerate(lines)
        ]
        blocks.append({"is_list": is_list, "lines": pieces})
    return blocks


def _footnote_pieces(line: str, plan_url, at_start: bool) -> list[tuple[str, str]]:
    if not plan_url:
        return [(line, "")]
    pieces, last = [], 0
    marks = LINE_START_FOOTNOTE_MARK if at_start else FOOTNOTE_MARK
    for match in marks.finditer(line):
        pieces.append((line[last : match.start()], match.group(1)))
        last = match.end()
    pieces.append((line[last:], ""))
    return pieces


class TreeWords:
    """The escaped pieces a tree repeats: translated words, level labels, SDG badges."""

    def __init__(self):
        priority = escape_text(_("重点"))
        self.priority = f' <span class="badge priority">{priority}</span>'
        self.items = _("%(count)s項目")
        self.kpis = _("指標%(count)s件")
        self.children = _("%(level)s %(count)s件")
        self.lang = _content_lang()  # on node titles: the plan's words
        self._levels: dict[tuple, str] = {}
        self._badges: dict[int, str] = {}

    def level(self, node) -> str:
        key = (node.plan_id, node.kind, node.level)
        if key not in self._levels:
            self._levels[key] = escape_text(node.level_label)
        return self._levels[key]

    def badge(self, goal) -> str:
        if goal.number not in self._badges:
            self._badges[goal.number] = (
                f'<span class="sdg sdg-{goal.number}" title="{escape_text(sdg_name(goal))}">'
                f"SDG{goal.number}</span>"
            )
        return self._badges[goal.number]


def _tree_children(nodes, words: TreeWords, html: list[str], is_open: bool) -> None:
    level = f"<span{words.lang}>{escape_text(nodes[0].level_label)}</span>"
    summary = escape_text(words.children) % {"level": level, "count": len(nodes)}
    html.append(f"<details{' open' if is_open else ''}><summary>{summary}</summary><ol>")
    for node in nodes:
        html.append("<li>")
        html.append(_tree_item(node, words))
        if node.tree_children:
            _tree_children(node.tree_children, words, html, False)
        html.append("</li>")
    html.append("</ol></details>")


def _tree_item(node, words: TreeWords) -> str:
    code = f' <span class="code">{escape_text(node.code)}</span>' if node.code else ""
    counts = []
    if node.descendant_total:
        counts.append(words.items % {"count": node.descendant_total})
    if node.subtree_indicator_count:
        counts.append(words.kpis % {"count": node.subtree_indicator_count})
    badges = "".join(words.badge(goal) for goal in node.goals)
    return "".join(
        (
            f'<a class="node-link" href="{escape_text(node.url)}"{words.lang}>'
            f'<span class="level">{words.level(node)}</span>{code} '
            f'<span class="title">{escape_text(node.title)}</span></a>',
            words.priority if node.is_priority else "",
            f' <span class="counts">{escape_text(" ".join(counts))}</span>',
            f' <span class="sdgs">{badges}</span>' if badges else "",
        )
    )


def plan_tree_html(roots, summaries=None) -> SafeString:
    """The plan's tree: each top-level node with its KPI progress summary and its subtree.

    Built in Python, the one part of a page that is: a plan has up to 5,010 nodes, and with a
    template ``{% include %}`` per node the tree takes 13 times as long to render
    (``bench/tree_render.py``, 4,940 nodes on a shared machine: 3.35 s against 0.26 s). This
    builds the same escaped HTML in one pass, with the translated words, level names and SDG
    badges escaped once. The cache per plan version (``portal.cache``) serves it after the
    first request.
    """
    words = TreeWords()
    summaries = summaries or {}
    html = ['<ol class="tree" aria-labelledby="tree-heading">']
    for root in roots:
        html.append(f'\n  <li class="tree-root">\n    {_tree_item(root, words)}\n    ')
        if root.tree_id in summaries:
            html.append(_progress_summary(summaries[root.tree_id], root))
        html.append("\n    ")
        if root.tree_children:
            _tree_children(root.tree_children, words, html, True)
        html.append("\n  </li>")
    html.append("\n</ol>")
    return SafeString("".join(html))


def _progress_summary(summary, root) -> str:
    """成果指標 21件: 達成 1・順調 1・遅れ 2・未評価 17, linked to the goal's KPIs on the
    plan's dashboard."""
    text = _(
        "成果指標 %(total)s件: 達成 %(met)s・順調 %(on_track)s・遅れ %(behind)s・未評価 %(unrated)s"
    ) % {
        "total": summary.total,
        "met": summary.met,
        "on_track": summary.on_track,
        "behind": summary.behind,
        "unrated": summary.unrated,
    }
    url = f"{root.plan.url}kpis/?goal={root.pk}"
    return f'<p class="progress-summary"><a href="{escape_text(url)}">{escape_text(text)}</a></p>'


def content_language() -> str:
    """The language code to mark a plan's own words with: "ja" when the page is in another
    language, "" in Japanese (where ``<html lang="ja">`` says it already)."""
    return "" if (get_language() or "ja").startswith("ja") else "ja"


def _content_lang() -> str:
    """`` lang="ja"`` or "": the attribute for the tree (built in Python, see plan_tree_html)."""
    code = content_language()
    return f' lang="{code}"' if code else ""


def sdg_name(goal) -> str:
    """The goal's name in the page's language (the Japanese one in Japanese)."""
    return goal.name if (get_language() or "ja").startswith("ja") else goal.name_en


def sdg_link_texts(goals) -> list[tuple[int, str]]:
    """(number, 「ゴール3 すべての人に健康と福祉を」) of each goal, for ``includes/sdg_links.html``:
    the sentence translated once, not a blocktranslate per goal."""
    sentence = _("ゴール%(number)s %(name)s")
    return [
        (goal.number, sentence % {"number": goal.number, "name": sdg_name(goal)}) for goal in goals
    ]


def with_counts(children) -> list[tuple]:
    """(child, 「12項目」, 「指標3件」) of each child node for ``includes/node_children.html``
    ("" for a count of none): two ngettext per child instead of two blocktranslates."""
    return [
        (
            child,
            _items(child.descendant_total) if child.descendant_total else "",
            _kpis(child.indicator_count) if child.indicator_count else "",
        )
        for child in children
    ]


def _items(count: int) -> str:
    return ngettext("%(counter)s項目", "%(counter)s項目", count) % {"counter": count}


def _kpis(count: int) -> str:
    return ngettext("指標%(counter)s件", "指標%(counter)s件", count) % {"counter": count}


def in_ja(value) -> str:
    """The plan's words ``value`` as ``includes/in_ja.html`` shows them: in a
    ``<span lang="ja">`` when the page is in another language (as they are in Japanese).

    A filter, not an include, because it is used inside a translated sentence
    (``_("%(name)sの更新履歴", name=kpi.name|in_ja)``), where an include cannot go; the markup
    is the template's, escaped by its autoescape, and marked safe as such."""
    html = render_to_string(
        "portal/includes/in_ja.html", {"lang": content_language(), "text": value}
    )
    return mark_safe(html)  # noqa: S308 (escaped by the template)


def breadcrumb(plan, ancestors=(), current="", current_url="", current_is_ui=False) -> dict:
    """トップ › municipality › plan › ancestors › the page itself (``aria-current`` on it), for
    ``includes/breadcrumb.html``.

    ``current_is_ui``: the last step is a word of the site (更新履歴), not of the plan."""
    return {
        "lang": content_language(),
        "current_lang": "" if current_is_ui else content_language(),
        "home_url": site_urls()["home_url"],
        "plan": plan,
        "plan_url": getattr(plan, "url", None) or plan.get_absolute_url(),
        "ancestors": ancestors or (),
        "current": current,
        "current_url": current_url,
    }


def plan_url(plan) -> str:
    """The plan's page: the URL read with it, else reversed."""
    return getattr(plan, "url", None) or plan.get_absolute_url()


def local_day(value):
    """The day of ``value`` in the site's time zone (``includes/day.html`` shows it)."""
    return timezone.localtime(value).date()
