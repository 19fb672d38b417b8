"""``makemessages`` that also reads the public pages' Jinja2 templates (``portal/jinja2/``).

Django's command reads Django templates: it rewrites each into Python that xgettext
understands (``templatize``). A Jinja2 template's words are calls (``_("…", name=value)``,
``ngettext(…)``) that Django's rewriting does not see, so for files under a ``jinja2``
directory this one writes the Python itself, from Jinja2's own parse of the template: each
call on the line it stands on, so the catalog's references point at the template's lines.
Everything else is Django's command unchanged.
"""

import json
from pathlib import Path

from django.core.management.commands import makemessages
from jinja2 import Environment
from jinja2.ext import extract_from_ast

_PARSER = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])


def jinja_messages_as_python(source: str) -> str:
    """The gettext and ngettext calls of a Jinja2 template as Python, line for line."""
    lines: dict[int, list[str]] = {}
    # babel_style=False: the constant strings of each call, whatever its keyword arguments
    for line, function, strings in extract_from_ast(_PARSER.parse(source), babel_style=False):
        quoted = [json.dumps(text, ensure_ascii=False) for text in strings]
        if function == "ngettext":
            call = f"ngettext({quoted[0]}, {quoted[1]}, 1)"
        else:
            call = f"gettext({quoted[0]})"
        lines.setdefault(line, []).append(call)
    last = source.count("\n") + 1
    return "\n".join("; ".join(lines.get(number, [])) for number in range(1, last + 1)) + "\n"


class BuildFile(makemessages.BuildFile):
    def preprocess(self):
        if not (self.is_templatized and "jinja2" in Path(self.path).parts):
            return super().preprocess()
        source = Path(self.path).read_text(encoding="utf-8")
        Path(self.work_path).write_text(jinja_messages_as_python(source), encoding="utf-8")


class Command(makemessages.Command):
    build_file_class = BuildFile
