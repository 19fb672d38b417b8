"""Interface words translated once per language.

Tags that build a page's HTML in Python ask for the same words on every page (and a KPI table
on every row); Django's ``gettext`` finds the active translation again on every call, which
showed in the pages' throughput. Translations do not change while the process runs.
"""

import functools

from django.utils import translation


@functools.lru_cache(maxsize=2048)
def gettext_in(language: str | None, message: str) -> str:
    """``message`` translated into ``language`` (None: the default language)."""
    with translation.override(language):
        return translation.gettext(message)


def word(message: str) -> str:
    """``gettext(message)`` in the active language, remembered."""
    return gettext_in(translation.get_language(), message)
