"""The pages' fixed words, translated once per language.

Django's ``gettext`` costs ~6 µs a call (the active language from a context-local, then the
catalogue); a node page asks for the same few dozen words on every request, from its templates
(``portal.templating``) and presenters. Words with values are formatted after the lookup.
"""

from django.utils.translation import get_language, gettext

# (language, message) -> translation: a few hundred words in two languages.
_translated: dict[tuple[str | None, str], str] = {}


def word(message: str) -> str:
    """``gettext(message)`` in the active language, looked up once per language."""
    key = (get_language(), message)
    translated = _translated.get(key)
    if translated is None:
        translated = _translated[key] = gettext(message)
    return translated
