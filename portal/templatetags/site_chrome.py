"""The page chrome every public page shares: skip link, header (site name, search, 文字サイズ)
and footer (language, about the site).

Built by two tags rather than template markup: every page renders them, and with the words
translated once per language (``translated``) they cost a fraction of a dozen ``{% translate %}``
tags and loops.
"""

import functools
from html import escape
from urllib.parse import quote

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext_noop

from plans.links import site_urls
from portal.context_processors import TEXT_SIZE_COOKIE
from portal.words import gettext_in

register = template.Library()

# Every word of the chrome, marked for makemessages; looked up through ``translated``.
SKIP_LINK = gettext_noop("本文へ移動")
SEARCH_LABEL = gettext_noop("サイト内検索")
SEARCH_BUTTON = gettext_noop("検索")
TEXT_SIZE = gettext_noop("文字サイズ")
LANGUAGE = gettext_noop("表示言語")
TEXT_SIZE_CHOICES = (
    ("normal", gettext_noop("標準")),
    ("large", gettext_noop("大")),
    ("xlarge", gettext_noop("特大")),
)
SEARCH_MAX_LENGTH = 100
SITE_NAME = gettext_noop("総合計画ポータル")
ABOUT = gettext_noop(
    "各自治体の総合計画（基本計画）の内容を、施策と成果指標ごとに読めるようにしたものです。"
    "正式な内容は各自治体の計画書をご確認ください。"
)


@functools.lru_cache(maxsize=256)
def translated(language: str | None, message: str) -> str:
    """``message`` translated into ``language`` and HTML-escaped, once per process."""
    return escape(gettext_in(language, message))


def _here(request) -> str:
    """The page to come back to after a choice, for a ``next=`` parameter."""
    return escape(quote(request.get_full_path(), safe="/"))


@register.simple_tag(takes_context=True)
def site_header(context, query: str = "") -> SafeString:
    """Skip link, site name, the search form (holding ``query``) and the 文字サイズ links."""
    request = context["request"]
    language = translation.get_language()
    t = functools.partial(translated, language)
    urls = site_urls()
    here = _here(request)
    chosen = request.COOKIES.get(TEXT_SIZE_COOKIE, "") or "normal"
    sizes = "".join(
        f'<a href="{urls["text_size_url"]}?size={value}&amp;next={here}"'
        f"{' aria-current="true"' if value == chosen else ''}>{t(label)}</a>"
        for value, label in TEXT_SIZE_CHOICES
    )
    return SafeString(
        f'<a class="skip-link" href="#main">{t(SKIP_LINK)}</a>\n'
        '<header class="site-header">\n'
        '  <div class="wrap header-row">\n'
        f'    <a class="site-name" href="{urls["home_url"]}">{t(SITE_NAME)}</a>\n'
        f'    <form class="site-search" role="search" action="{urls["search_url"]}" method="get">\n'
        f'      <label for="site-search-q">{t(SEARCH_LABEL)}</label>\n'
        f'      <input id="site-search-q" name="q" type="search" maxlength="{SEARCH_MAX_LENGTH}"'
        f' value="{escape(str(query))}">\n'
        f'      <button type="submit">{t(SEARCH_BUTTON)}</button>\n'
        "    </form>\n"
        f'    <nav class="text-size" aria-label="{t(TEXT_SIZE)}"><span>{t(TEXT_SIZE)}</span>'
        f"{sizes}</nav>\n"
        "  </div>\n"
        "</header>"
    )


@register.simple_tag(takes_context=True)
def site_footer(context) -> SafeString:
    """The language links (the current one marked, the page to come back to) and the note on
    what the site is."""
    language = translation.get_language()
    t = functools.partial(translated, language)
    language_url = site_urls()["language_url"]
    here = _here(context["request"])
    links = "".join(
        f'<a href="{language_url}?language={code}&amp;next={here}" lang="{code}" hreflang="{code}"'
        f"{' aria-current="true"' if code == language else ''}>{t(name)}</a>"
        for code, name in settings.LANGUAGES
    )
    label = f"{t(LANGUAGE)} (Language)"
    return SafeString(
        '<footer class="site-footer">\n'
        '  <div class="wrap">\n'
        f'    <nav class="language" aria-label="{label}"><span>{label}</span>{links}</nav>\n'
        f"    <p>{t(ABOUT)}</p>\n"
        "  </div>\n"
        "</footer>"
    )


@register.simple_tag
def site_name() -> str:
    """The site's name in the current language (for ``<title>``)."""
    return SafeString(translated(translation.get_language(), SITE_NAME))
