"""The parts of a node's page: title, heading with its facts, text sections, children and
cross-references (its KPIs come from ``indicators_tags.node_kpis``).

Each part is built in Python in one pass: as template loops and ``{% translate %}`` tags the
node page cost several times more to render. Every text from the database is escaped here.
"""

from html import escape

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import ngettext

from portal.words import word as _  # named so that makemessages finds the messages

from .plans_tags import paragraphs, sdg_links

register = template.Library()


def _heading_words(node) -> str:
    """ "基本施策 11 協働のまちづくり": the level, the code when there is one, the title."""
    code = f" {node.code}" if node.code else ""
    return f"{node.level_label}{code} {node.title}"


@register.simple_tag
def node_title(node, plan) -> str:
    """The start of the page's ``<title>``: the node, then its municipality."""
    return f"{_heading_words(node)} | {plan.municipality.name} | "


@register.simple_tag
def node_heading(node, plan) -> SafeString:
    """The ``<h1>`` (level, code, title, 重点施策 badge), then the department and SDGs."""
    code = f' <span class="code">{escape(node.code)}</span>' if node.code else ""
    priority = ""
    if node.is_priority:
        badge = escape(_("重点施策"))
        priority = f' <span class="badge priority">{badge}</span>'
    html = [
        f'<h1><span class="level">{escape(node.level_label)}</span>{code} '
        f"{escape(node.title)}{priority}</h1>\n"
    ]
    if node.department or node.goals:
        html.append('<dl class="facts">\n')
        if node.department:
            term = escape(_("担当"))
            html.append(f"  <div><dt>{term}</dt><dd>{escape(node.department)}</dd></div>\n")
        if node.goals:
            term = escape(_("SDGs"))
            html.append(
                f'  <div><dt>{term}</dt><dd><ul class="sdg-list">'
                f"{sdg_links(plan, node.goals)}</ul></dd></div>\n"
            )
        html.append("</dl>\n")
    return SafeString("".join(html))


@register.simple_tag
def node_sections(node, plan) -> SafeString:
    """A node's text sections (めざす姿, 現況と課題 …), each with its heading and paragraphs."""
    html = []
    for section in node.section_list:
        heading = f"<h2>{escape(section.heading)}</h2>" if section.heading else ""
        body = paragraphs(section.body, plan.url)
        html.append(f'<section class="text-section">\n  {heading}\n  {body}\n</section>\n')
    return SafeString("".join(html))


@register.simple_tag
def node_children(children) -> SafeString:
    """The items under the node, headed by their level name and count: each a link with its
    code, 重点 mark, and the counts of items and KPIs below it."""
    if not children:
        return SafeString("")
    badge = escape(_("重点"))
    priority = f' <span class="badge priority">{badge}</span>'
    items = []
    for child in children:
        code = f'<span class="code">{escape(child.code)}</span> ' if child.code else ""
        counts = ""
        if child.descendant_total:
            counts = ngettext("%(counter)s項目", "%(counter)s項目", child.descendant_total) % {
                "counter": child.descendant_total
            }
        if child.indicator_count:
            count = child.indicator_count
            counts += " " + ngettext("指標%(counter)s件", "指標%(counter)s件", count) % {
                "counter": count
            }
        items.append(
            f'\n    <li><a href="{escape(child.url)}">{code}{escape(child.title)}</a>'
            f"{priority if child.is_priority else ''}\n"
            f'      <span class="counts">{escape(counts)}</span></li>'
        )
    level = children[0].level_label or _("下位の項目")
    count = ngettext("%(counter)s件", "%(counter)s件", len(children)) % {"counter": len(children)}
    return SafeString(
        '<section aria-labelledby="children-heading">\n'
        f'  <h2 id="children-heading">{escape(level)}（{count}）</h2>\n'
        f'  <ul class="child-list">{"".join(items)}\n  </ul>\n'
        "</section>\n"
    )


def _node_link(node) -> str:
    code = f"{escape(node.code)} " if node.code else ""
    return f'<a href="{escape(node.url)}">{code}{escape(node.title)}</a>'


@register.simple_tag
def node_references(node, outgoing, incoming) -> SafeString:
    """関連する項目: where this node is also listed (再掲, 政策連携プラン) and what lists it.

    A reference to an item the site does not have shows its code and title as printed.
    """
    if not outgoing and not incoming:
        return SafeString("")
    heading = escape(_("関連する項目"))
    html = [f'<section aria-labelledby="refs-heading">\n  <h2 id="refs-heading">{heading}</h2>\n']
    if outgoing:
        if node.kind == "cross_cutting":
            title = _("このプランを構成する施策")
        else:
            title = _("この項目は次の項目にも掲載されています")
        missing = escape(_("（このサイトには未掲載）"))
        items = []
        for ref in outgoing:
            badge = f'<span class="badge">{escape(ref.get_kind_display())}</span>'
            if ref.to_node is not None:
                target = _node_link(ref.to_node)
            else:
                printed = escape(f"{ref.target_code} {ref.target_title}")
                target = f'{printed} <span class="meta">{missing}</span>'
            items.append(f"<li>{badge} {target}</li>")
        html.append(f"  <h3>{escape(title)}</h3>\n  <ul>{''.join(items)}</ul>\n")
    if incoming:
        title = escape(_("この項目を取り上げている項目"))
        items = "".join(
            f'<li><span class="badge">{escape(ref.get_kind_display())}</span> '
            f"{_node_link(ref.from_node)}</li>"
            for ref in incoming
        )
        html.append(f"  <h3>{title}</h3>\n  <ul>{items}</ul>\n")
    html.append("</section>\n")
    return SafeString("".join(html))
