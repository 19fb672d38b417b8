"""relisted: 「(code 再掲)」 in a node's text is a cross-reference to the node of that code."""

from importers.parsing import parse_file
from importers.parsing.model import CrossRefKind


def test_relisted_codes_in_a_nodes_text_are_cross_references_with_their_lines():
    text = "1. まち\n\n- 公園を整えます。(2101 再掲)\n- 道路を直します。(3-2 再掲)\n"
    text += "- 橋を架けます。\n"
    [node] = parse_file(text.encode(), "plan.txt").nodes
    assert [(ref.kind, ref.target_code, ref.line) for ref in node.crossrefs] == [
        (CrossRefKind.RELISTED, "2101", 3),
        (CrossRefKind.RELISTED, "3-2", 4),
    ]
