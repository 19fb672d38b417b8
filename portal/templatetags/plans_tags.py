"""Display helpers for plan pages: 和暦 fiscal years, search highlighting, text excerpts."""

import re
import unicodedata
from html import escape as escape_text

from django import template
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext

from plans.links import site_urls
from plans.search import fold
from portal.words import word as _  # named so that makemessages finds the messages

register = template.Library()

# (first 西暦 year of the era, era name). The fiscal year 2019 is 令和元年度 (平成31年度 too).
ERAS = ((2019, "令和"), (1989, "平成"), (1926, "昭和"))

EXCERPT_LENGTH = 120


def wareki_year(fiscal_year: int) -> str:
    """令和3年度 for 2021; 令和元年度 for 2019; the 西暦 year for years before 昭和."""
    for first_year, era in ERAS:
        if fiscal_year >= first_year:
            number = fiscal_year - first_year + 1
            return f"{era}{'元' if number == 1 else number}年度"
    return f"{fiscal_year}年度"


@register.filter
def fiscal_year(value) -> str:
    """A fiscal year as readers expect it: 令和3年度 (2021) in Japanese, FY2021 in English."""
    if value in (None, ""):
        return "—"
    year = int(value)
    if (get_language() or "ja").startswith("ja"):
        return f"{wareki_year(year)} ({year})"
    return f"FY{year}"


@register.filter
def wareki(value) -> str:
    """Only the 和暦 form: 令和3年度."""
    return "—" if value in (None, "") else wareki_year(int(value))


def _clusters(text: str):
    """Characters with the marks that combine with them (ｶﾞ folds as one, like ガ)."""
    cluster = ""
    for char in text:
        if cluster and (unicodedata.combining(char) or char in "\uff9e\uff9f"):
            cluster += char
            continue
        if cluster:
            yield cluster
        cluster = char
    if cluster:
        yield cluster


def _folded_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each folded character, the index in ``text`` it came from."""
    folded_chars: list[str] = []
    origin: list[int] = []
    position = 0
    for cluster in _clusters(text):
        piece = " " if cluster.isspace() else fold(cluster)
        if piece == " " and folded_chars and folded_chars[-1] == " ":
            piece = ""  # fold() squeezes runs of spaces
        folded_chars.extend(piece)
        origin.extend([position] * len(piece))
        position += len(cluster)
    origin.append(position)
    return "".join(folded_chars), origin


def match_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Where the folded ``query`` occurs in ``text``, as (start, end) indexes into ``text``."""
    needle = fold(query)
    if not needle or not text:
        return []
    haystack, origin = _folded_map(text)
    spans = []
    start = haystack.find(needle)
    while start != -1:
        end = start + len(needle)
        spans.append((origin[start], origin[end] if end < len(origin) else len(text)))
        start = haystack.find(needle, end)
    return spans


@register.filter
def highlight(text, query) -> SafeString:
    """``text`` escaped, with every match of ``query`` (folded the same way) in <mark>."""
    text = str(text or "")
    html, last = [], 0
    for start, end in match_spans(text, str(query or "")):
        html.append(escape(text[last:start]))
        html.append(format_html("<mark>{}</mark>", text[start:end]))
        last = end
    html.append(escape(text[last:]))
    return SafeString("".join(html))


@register.filter
def excerpt(text, query) -> str:
    """About EXCERPT_LENGTH characters of ``text`` around the first match (plain text)."""
    text = " ".join(str(text or "").split())
    spans = match_spans(text, str(query or ""))
    if not spans:
        return text[:EXCERPT_LENGTH] + ("…" if len(text) > EXCERPT_LENGTH else "")
    start = max(spans[0][0] - EXCERPT_LENGTH // 3, 0)
    end = min(start + EXCERPT_LENGTH, len(text))
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


@register.simple_tag
def matching_section(node, query):
    """The first text section of ``node`` whose heading or body contains the query, or None."""
    for section in node.sections.all():
        if match_spans(f"{section.heading} {section.body}", query):
            return section
    return None


@register.filter
def level_label(plan, level) -> str:
    """The plan's name for a tree depth, or "第N階層" when the plan does not name it."""
    name = plan.level_name(int(level))
    return name or _("第%(number)s階層") % {"number": int(level) + 1}


# A footnote mark (※ or *) right after a word: it points at the plan's 用語解説.
FOOTNOTE_MARK = re.compile(r"(?<=[^\s*※])([*※])")


@register.filter
def paragraphs(text, plan_url=None) -> SafeString:
    """Section text as HTML: blank-line separated paragraphs, lines starting "- " as a list.

    Everything is escaped: imported text containing markup shows as text. Given the plan's URL,
    footnote marks become links to the plan page's 用語解説 (the importer keeps a mark only
    where the plan defines the term).
    """
    html = []
    for block in str(text or "").split("\n\n"):
        lines = [escape_text(line.strip()) for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{line[2:].strip()}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        else:
            html.append("<p>" + "\n".join(lines) + "</p>")
    joined = "".join(html)
    if plan_url and FOOTNOTE_MARK.search(joined):
        note = escape_text(_("（用語解説へ）"))
        link = (
            f'<a class="footnote" href="{escape_text(plan_url)}#glossary">\\1'
            f'<span class="visually-hidden">{note}</span></a>'
        )
        joined = FOOTNOTE_MARK.sub(link, joined)
    return SafeString(joined)


@register.simple_tag
def tree_html(nodes, open_first=False) -> SafeString:
    """The nested lists under a plan's top-level node, rendered in one pass.

    A template ``{% include %}`` per node makes a 5,000-node plan page slow; this builds the
    same escaped HTML with the translated words, level names and SDG badges escaped once.
    """
    html: list[str] = []
    _tree_children(nodes, TreeWords(), html, open_first)
    return SafeString("".join(html))


class TreeWords:
    """The escaped pieces a tree repeats: translated words, level labels, SDG badges."""

    def __init__(self):
        priority = escape_text(_("重点"))
        self.priority = f' <span class="badge priority">{priority}</span>'
        self.items = _("%(count)s項目")
        self.kpis = _("指標%(count)s件")
        self.children = _("%(level)s %(count)s件")
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
                f'<span class="sdg sdg-{goal.number}" title="{escape_text(goal.name)}">'
                f"SDG{goal.number}</span>"
            )
        return self._badges[goal.number]


def _tree_children(nodes, words: TreeWords, html: list[str], is_open: bool) -> None:
    summary = words.children % {"level": nodes[0].level_label, "count": len(nodes)}
    html.append(
        f"<details{' open' if is_open else ''}><summary>{escape_text(summary)}</summary><ol>"
    )
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
            f'<a class="node-link" href="{escape_text(node.url)}">'
            f'<span class="level">{words.level(node)}</span>{code} '
            f'<span class="title">{escape_text(node.title)}</span></a>',
            words.priority if node.is_priority else "",
            f' <span class="counts">{escape_text(" ".join(counts))}</span>',
            f' <span class="sdgs">{badges}</span>' if badges else "",
        )
    )


@register.simple_tag
def tree_html_item(node) -> SafeString:
    """One node's line in the plan tree: link with level and code, counts, SDGs."""
    return SafeString(_tree_item(node, TreeWords()))


@register.simple_tag
def plan_tree_html(roots, notes=None) -> SafeString:
    """The plan's tree: each top-level node with its note (HTML by ``tree_id``) and subtree.

    The notes are the KPI progress summaries, which ``indicators``' tags build: this app
    does not import them.
    """
    words = TreeWords()
    notes = notes or {}
    html = ['<ol class="tree" aria-labelledby="tree-heading">']
    for root in roots:
        html.append(f'\n  <li class="tree-root">\n    {_tree_item(root, words)}\n    ')
        html.append(notes.get(root.tree_id, ""))
        html.append("\n    ")
        if root.tree_children:
            _tree_children(root.tree_children, words, html, True)
        html.append("\n  </li>")
    html.append("\n</ol>")
    return SafeString("".join(html))


@register.simple_tag
def sdg_options(goals, selected=None) -> SafeString:
    """The <option>s of an SDG filter, ``selected`` (a goal number) marked."""
    return SafeString(
        "".join(
            f'<option value="{goal.number}"{" selected" if goal.number == selected else ""}>'
            f"{goal.number}. {escape_text(goal.name)}</option>"
            for goal in goals
        )
    )


@register.simple_tag
def breadcrumb(plan, ancestors=(), current="", current_url="") -> SafeString:
    """トップ › municipality › plan › ancestors › the page itself (``aria-current`` on it)."""
    plan_url = getattr(plan, "url", None) or plan.get_absolute_url()
    here = "" if ancestors or current else ' aria-current="page"'
    top = escape_text(_("トップ"))
    items = [
        f'<li><a href="{site_urls()["home_url"]}">{top}</a></li>',
        f'<li><a href="{escape_text(plan.municipality.get_absolute_url())}">'
        f"{escape_text(plan.municipality.name)}</a></li>",
        f'<li><a href="{escape_text(plan_url)}"{here}>{escape_text(plan.title)}</a></li>',
    ]
    for ancestor in ancestors:
        code = f" {escape_text(ancestor.code)}" if ancestor.code else ""
        items.append(
            f'<li><a href="{escape_text(ancestor.url)}">{escape_text(ancestor.level_label)}'
            f"{code}</a></li>"
        )
    if current:
        items.append(
            f'<li><a href="{escape_text(current_url)}" aria-current="page">'
            f"{escape_text(current)}</a></li>"
        )
    label = escape_text(_("パンくずリスト"))
    return SafeString(
        f'<nav class="breadcrumb wrap" aria-label="{label}"><ol>\n  '
        + "\n  ".join(items)
        + "\n</ol></nav>"
    )


@register.simple_tag
def sdg_links(plan, goals) -> SafeString:
    """A node's SDGs as links to its plan filtered by each goal."""
    plan_url = escape_text(getattr(plan, "url", None) or plan.get_absolute_url())
    label = _("ゴール%(number)s %(name)s")
    return SafeString(
        "".join(
            f'<li><a class="sdg sdg-{goal.number}" href="{plan_url}?sdg={goal.number}">'
            f"{escape_text(label % {'number': goal.number, 'name': goal.name})}</a></li>"
            for goal in goals
        )
    )


@register.simple_tag
def day_time(value) -> SafeString:
    """``<time datetime="2024-05-01">2024年5月1日</time>``: the day in the site's time zone."""
    day = timezone.localtime(value).date()
    return SafeString(
        f'<time datetime="{day.isoformat()}">{day.year}年{day.month}月{day.day}日</time>'
    )


@register.simple_tag
def plan_list(plans) -> SafeString:
    """Published plans with their period in 和暦 and their counts of items and KPIs."""
    period = escape_text(_("計画期間"))
    items = []
    for plan in plans:
        url = getattr(plan, "url", None) or plan.get_absolute_url()
        nodes = ngettext("項目 %(counter)s件", "項目 %(counter)s件", plan.node_count)
        kpis = ngettext("成果指標 %(counter)s件", "成果指標 %(counter)s件", plan.indicator_count)
        first, last = fiscal_year(plan.first_fiscal_year), fiscal_year(plan.last_fiscal_year)
        counts = f"{nodes % {'counter': plan.node_count}} ・ "
        counts += kpis % {"counter": plan.indicator_count}
        items.append(
            f'\n  <li>\n    <a href="{escape_text(url)}">{escape_text(plan.title)}</a>\n'
            f'    <span class="meta">{period}: {escape_text(first)} 〜 {escape_text(last)}</span>\n'
            f'    <span class="meta">{escape_text(counts)}</span>\n  </li>'
        )
    return SafeString(f'<ul class="plan-list">{"".join(items)}\n</ul>')
