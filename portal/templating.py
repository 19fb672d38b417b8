"""The Jinja2 environment of the public pages (``portal/jinja2/``).

Why Jinja2 for these pages and Django's template language for the admin: the public pages are
what a whole country's citizens load, uncached after every edit, and Django's engine spends
about 5 µs on each ``{{ value }}`` and ``{% if %}`` (lookup, localisation, escaping, a node per
step): a search page writes ~400 values, a node page ~200, and rendering was more than half of
their time. Jinja2 compiles a template to Python code: on the sample plans the node page
renders in 1.8 ms instead of 4.7, the search page in 2.2 instead of 5.3 (helpers included),
with the same markup in templates and includes (the 952 pages of
``scripts/snapshot_pages.py`` are the same but for ``'`` and ``"`` written ``&#39;`` and
``&#34;``, and a blank line). Django supports it as a template backend; the admin, form
widgets and third-party apps keep Django templates (``config/settings/base.py`` asks the
Jinja2 engine first, and it holds only ``portal/jinja2/``).

What differs from Django templates, for whoever edits one:

- Words go through gettext: ``{{ _("計画を検索") }}``, values by name:
  ``{{ _("「%(query)s」の検索結果", query=filters.query) }}`` (the value is escaped, the
  translation is not; a literal ``%`` is ``%%``), plurals as Django wrote their msgids:
  ``{{ ngettext("%(counter)s件", "%(counter)s件", n, counter=n) }}``. ``makemessages``
  reads these files too (``portal/management/commands/makemessages.py``).
- Methods are called with ``()`` (``ref.get_kind_display()``); Django called them by itself.
  A missing variable is empty, as in Django, but looping over ``None`` is an error.
- Helpers are the functions in ``portal/presenters``, by the same names: filters
  (``plan|plan_url``, ``value|number_text(raw)``) and functions (``kpi_verdict(status)``);
  what an inclusion tag was is a function whose result its include reads:
  ``{% with crumbs=breadcrumb(plan) %}{% include "portal/includes/breadcrumb.html" %}``.
"""

from django.conf import settings
from django.template.defaultfilters import linebreaksbr
from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats
from django.utils.dateformat import format as date_format
from django.utils.translation import get_language, gettext, ngettext
from jinja2 import Environment, Undefined, pass_context
from markupsafe import Markup

from .presenters import indicators, plans, words


def url(name: str, *args, **kwargs) -> str:
    """``{{ url("portal:search") }}``: Django's ``{% url %}``."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def available_languages() -> list[tuple[str, str]]:
    """(code, name) of the site's languages, names as written in each language."""
    return [(code, words.word(name)) for code, name in settings.LANGUAGES]


def date(value, format_name: str = "DATE_FORMAT") -> str:
    """``day|date("Y-m-d")`` or a named format of the page's language (``DATE_FORMAT``)."""
    if value in (None, ""):
        return ""
    if format_name.isupper():
        return formats.date_format(value, format_name)
    return date_format(value, format_name)


FILTERS = {
    "date": date,
    "linebreaksbr": linebreaksbr,
    "localize": formats.localize,
    # plans
    "fiscal_year": plans.fiscal_year,
    "level_label": plans.level_label,
    "without_listed": plans.without_listed,
    "text_blocks": plans.text_blocks,
    "sdg_name": plans.sdg_name,
    "sdg_link_texts": plans.sdg_link_texts,
    "with_counts": plans.with_counts,
    "in_ja": plans.in_ja,
    "plan_url": plans.plan_url,
    "local_day": plans.local_day,
    # indicators
    "number_text": indicators.number_text,
    "shows_as_printed": indicators.shows_as_printed,
    "qualifier": indicators.qualifier,
    "history_word": indicators.history_word,
    "get_count": indicators.get_count,
}

GLOBALS = {
    "url": url,
    "static": static,
    "get_language": get_language,
    "available_languages": available_languages,
    "breadcrumb": plans.breadcrumb,
    "plan_tree_html": plans.plan_tree_html,
    "node_kpis": indicators.node_kpis,
    "status_words": indicators.status_words,
    "status_count_list": indicators.status_count_list,
    "kpi_verdict": indicators.kpi_verdict,
    "comparator_word": indicators.comparator_word,
    "progress_summaries": indicators.progress_summaries,
    "indicator_chart": indicators.indicator_chart,
    "value_rows": indicators.value_rows,
}


# (language, message, alone) -> a template's word as markup: as given to ``%`` when values are
# given, as written when none are (alone: ``%%`` already a ``%``).
_words: dict[tuple[str, str, bool], str] = {}


@pass_context
def template_gettext(context, message: str, /, **variables) -> Markup:
    """``{{ _("…", name=value) }}``: the word in the page's language (looked up once per
    language), with the values escaped into it; a literal ``%`` is ``%%``.

    What Jinja2's own "newstyle" gettext does, without its two context calls per word and
    with the page's language from its context (``portal.context_processors``; a context-local
    read per word otherwise): a node page writes about 30 words, and they were a sixth of its
    rendering."""
    key = (context.get("language") or get_language(), message, not variables)
    found = _words.get(key)
    if found is None:
        # Markup: the catalogue's translations are ours, as trusted as the templates (Jinja2's
        # newstyle gettext does the same); the values given are escaped by ``%``.
        template = Markup(words.word(message))  # noqa: S704
        found = _words[key] = template % {} if not variables else template
    return found % variables if variables else found


def template_ngettext(singular: str, plural: str, number: int, /, **variables) -> Markup:
    """``{{ ngettext("%(counter)s件", "%(counter)s件", n, counter=n) }}``: as Jinja2's
    newstyle ngettext (``num`` is the number unless given)."""
    variables.setdefault("num", number)
    return Markup(ngettext(singular, plural, number)) % variables  # noqa: S704 (as above)


def environment(**options) -> Environment:
    """The environment Django's Jinja2 backend renders ``portal/jinja2/`` with."""
    # keep_trailing_newline: a file's last line break is written, as Django's templates do.
    options.pop("autoescape", None)  # always on, whatever the settings say
    # A missing variable is empty, with DEBUG too (Django's backend would print "{{ name }}"
    # in development, e.g. into the site header's search box on every page but search).
    options["undefined"] = Undefined
    env = Environment(
        autoescape=True, extensions=["jinja2.ext.i18n"], keep_trailing_newline=True, **options
    )
    # newstyle: {% trans %} blocks compile as these callables expect; the callables themselves
    # are ours (template_gettext, template_ngettext).
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.globals.update(_=template_gettext, gettext=template_gettext, ngettext=template_ngettext)
    env.filters.update(FILTERS)
    env.globals.update(GLOBALS)
    return env
