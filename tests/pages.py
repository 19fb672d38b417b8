"""Reading what a page shows: the options of a form's select, the text of an element."""

from html.parser import HTMLParser


class _SelectOptions(HTMLParser):
    def __init__(self, name: str):
        super().__init__()
        self.name, self.inside, self.options = name, False, []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "select" and attributes.get("name") == self.name:
            self.inside = True
        elif tag == "option" and self.inside and attributes.get("value"):
            self.options.append("")

    def handle_endtag(self, tag):
        if tag == "select":
            self.inside = False

    def handle_data(self, data):
        if self.inside and self.options:
            self.options[-1] += data.strip()


def select_options(html: str, name: str) -> list[str]:
    """The labels of the non-empty options of ``<select name=name>``; fails if there is none."""
    parser = _SelectOptions(name)
    parser.feed(html)
    assert f'name="{name}"' in html, f"the page has no field {name!r}"
    return parser.options
