"""Public pages' markup lives in templates (issue 12): no Python under portal/ builds HTML
(``SafeString``, ``mark_safe``, ``format_html``) except the whole-plan tree
(``presenters.plans.plan_tree_html``, too slow as templates) and the SVG chart (``charts.ChartSvg``,
geometry computed point by point). Both docstrings say why. ``presenters.plans.in_ja`` marks as safe
what its template (``includes/in_ja.html``) wrote and escaped, building nothing itself; the
templates' ``_()`` and ``ngettext()`` (``templating``) mark the catalogue's own words as markup and
escape the values given into them, as Jinja2's own gettext does."""

import ast
from pathlib import Path

from django.conf import settings

PORTAL = Path(settings.BASE_DIR) / "portal"
MARKUP_NAMES = {"SafeString", "SafeText", "mark_safe", "format_html", "format_html_join", "Markup"}
# (file under portal/, top-level function or class) allowed to build markup in Python.
ALLOWED = {
    ("presenters/plans.py", "plan_tree_html"),
    ("presenters/plans.py", "in_ja"),
    ("charts.py", "ChartSvg"),
    ("templating.py", "template_gettext"),
    ("templating.py", "template_ngettext"),
}


def _names(node: ast.AST):
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and child.id in MARKUP_NAMES:
            yield child.id, child.lineno
        elif isinstance(child, ast.Attribute) and child.attr in MARKUP_NAMES:
            yield child.attr, child.lineno
        elif isinstance(child, ast.alias) and child.name.rpartition(".")[2] in MARKUP_NAMES:
            yield child.name, child.lineno


def markup_outside_the_tree_and_chart() -> list[str]:
    """``file:line name (in what)`` for each use of a markup builder outside the two."""
    found = []
    for path in sorted(PORTAL.rglob("*.py")):
        relative = path.relative_to(PORTAL).as_posix()
        may_import = any(file == relative for file, _ in ALLOWED)
        for statement in ast.parse(path.read_text(encoding="utf-8")).body:
            if may_import and isinstance(statement, ast.Import | ast.ImportFrom):
                continue  # the allowed one's import
            owner = getattr(statement, "name", "module level")
            if (relative, owner) in ALLOWED:
                continue
            found += [f"{relative}:{line} {name} (in {owner})" for name, line in _names(statement)]
    return found


def test_only_the_tree_and_the_chart_build_markup_in_python():
    assert markup_outside_the_tree_and_chart() == []


def test_the_check_sees_the_tree_and_the_chart():
    """The allowed two are where the check looks: were they moved or renamed, the list above
    would pass without looking at anything."""
    for relative, owner in ALLOWED:
        tree = ast.parse((PORTAL / relative).read_text(encoding="utf-8"))
        (statement,) = [s for s in tree.body if getattr(s, "name", None) == owner]
        assert list(_names(statement)), f"{relative} {owner} builds no markup any more"


# What the templates now build: the plan's words marked Japanese on an English page, escaped.


def render(source: str, language: str, **context) -> str:
    from django.template import engines
    from django.utils import translation

    with translation.override(language):
        return engines["jinja2"].from_string(source).render(context)


def test_values_in_a_templates_words_are_escaped():
    """``_()`` and ``ngettext()`` of a template write the word as it is and escape the values."""
    words = "<b>R&D</b>"
    escaped = "&lt;b&gt;R&amp;D&lt;/b&gt;"
    assert render('{{ _("「%(query)s」の検索結果", query=q) }}', "ja", q=words) == (
        f"「{escaped}」の検索結果"
    )
    source = (
        '{{ ngettext("%(name)s %(counter)s件", "%(name)s %(counter)s件", 2, name=q, counter=2) }}'
    )
    assert render(source, "ja", q=words) == f"{escaped} 2件"


def test_in_ja_marks_and_escapes_the_plans_words_on_a_page_in_another_language():
    source = '{{ _("%(name)sの更新履歴", name=kpi_name|in_ja) }}'
    words = "<b>R&D</b>"
    escaped = "&lt;b&gt;R&amp;D&lt;/b&gt;"
    assert (
        render(source, "en", kpi_name=words)
        == f'Change history of <span lang="ja">{escaped}</span>'
    )
    assert render(source, "ja", kpi_name=words) == f"{escaped}の更新履歴"


def test_content_lang_is_an_attribute_only_on_a_page_in_another_language(rf):
    """The context processor's ``content_lang``, as every template spells the attribute."""
    from django.template import engines
    from django.utils import translation

    source = '<p{% if content_lang %} lang="{{ content_lang }}"{% endif %}>'
    for language, expected in [("en", '<p lang="ja">'), ("ja", "<p>")]:
        with translation.override(language):
            template = engines["jinja2"].from_string(source)
            assert template.render(request=rf.get("/")) == expected


def test_the_verdict_sentence_marks_the_plans_words_in_english(client, plan):
    from tests.portal.test_kpi_verdicts import add_kpi

    kpi = add_kpi(plan, "ceiling broken")
    kpi.target_raw = "88.0以下<i>"
    kpi.save()
    client.cookies["django_language"] = "en"
    html = client.get(kpi.get_absolute_url()).content.decode()
    assert (
        '<span class="verdict-detail">Outside the target (<span lang="ja">88.0以下&lt;i&gt;</span>)'
        ' by <span lang="ja">1.2</span></span>'
    ) in html
    client.cookies["django_language"] = "ja"
    html = client.get(kpi.get_absolute_url()).content.decode()
    assert (
        '<span class="verdict-detail">目標（88.0以下&lt;i&gt;）を 1.2 外れています</span>' in html
    )


def test_a_missing_variable_is_empty_in_development_too(settings):
    """The site header is included without ``query`` on every page but search: with DEBUG on,
    Django's Jinja2 backend would write ``{{ query }}`` into the search box."""
    from django.template.backends.jinja2 import Jinja2

    settings.DEBUG = True
    (config,) = [engine for engine in settings.TEMPLATES if engine["BACKEND"].endswith("Jinja2")]
    params = {key: value for key, value in config.items() if key != "BACKEND"}
    engine = Jinja2({**params, "NAME": "development", "OPTIONS": dict(config["OPTIONS"])})
    html = engine.get_template("portal/includes/site_header.html").render({})
    assert 'name="q" type="search" maxlength="100" value=""' in html


def test_a_templates_words_follow_the_language_of_each_page():
    """Template words are translated once per language (``portal.templating``): a page in
    English after one in Japanese, and back, each reads in its own language."""
    from django.template import engines
    from django.utils import translation

    header = engines["jinja2"].get_template("portal/includes/site_header.html")
    for language, word in [("ja", "文字サイズ"), ("en", "Text size"), ("ja", "文字サイズ")]:
        with translation.override(language):
            html = header.render({})
        assert f'aria-label="{word}"' in html, language
