"""Plain data produced by the parsers: a plan outline with its KPIs and a report.

Nothing here knows about Django. Every element remembers where it came from
(``source``: file name, ``line``: 1-based line number in that file) so that the
report and error messages can point at the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Comparator(StrEnum):
    NONE = ""
    GTE = "gte"  # 以上
    LTE = "lte"  # 以下 / 以内
    STAY = "stay"  # 維持


class Direction(StrEnum):
    NONE = ""
    UP = "up"  # 増加を目指す / アップ
    DOWN = "down"  # 減少を目指す / ダウン
    STAY = "stay"


class NodeKind(StrEnum):
    POLICY = "policy"  # a node of the plan's hierarchy
    CROSS_CUTTING = "cross_cutting"  # 政策連携プラン / 分野横断: a named set of references


# The level label of a cross-cutting node, whatever the plan calls its levels.
CROSS_CUTTING_LABEL = "政策連携プラン"


class CrossRefKind(StrEnum):
    RELISTED = "relisted"  # 再掲
    POLICY_LINK = "policy_link"  # 政策連携プラン / 分野横断


@dataclass(frozen=True)
class Line:
    """A line of normalized text and its 1-based line number in the source file."""

    number: int
    text: str


@dataclass
class Value:
    """One cell of a KPI table: the raw text and what it means.

    ``value`` is None for "—", "なし" and non-numeric targets such as 設置/策定.
    ▲/△ mean minus. ``fiscal_year`` is set when the cell itself names a year
    (``70.7%(2012年度)``, ``H27:74.3%``); otherwise the column's year applies.
    """

    raw: str
    value: Decimal | None = None
    unit: str = ""
    comparator: Comparator = Comparator.NONE
    note: str = ""
    fiscal_year: int | None = None


@dataclass
class Section:
    heading: str  # めざす姿, 基本方針, 現況と課題, 取組内容, 協働による取組, 施策に係る市民満足度 …
    body: str  # plain text; paragraphs separated by "\n\n", bullets as lines starting "- "
    line: int = 0


@dataclass
class CrossRef:
    kind: CrossRefKind
    target_code: str = ""  # e.g. "2101", "2-1"
    target_title: str = ""
    line: int = 0


@dataclass
class ParsedIndicator:
    name: str
    key: str  # unique within the plan, stable across re-imports (e.g. "1-1:自治会の加入率")
    definition: str = ""  # the [bracketed] definition after the name
    unit: str = ""
    baseline: Value = field(default_factory=lambda: Value(raw=""))
    baseline_year: int | None = None  # 西暦 fiscal year
    target: Value = field(default_factory=lambda: Value(raw=""))
    target_year: int | None = None
    comparator: Comparator = Comparator.NONE
    direction: Direction = Direction.NONE
    cumulative: bool = False
    note: str = ""
    source: str = ""
    line: int = 0


@dataclass
class ParsedNode:
    title: str
    key: str  # unique within the plan, stable across re-imports: the code where there is one
    level: int  # 0 = top level; index into ParsedPlan.level_names
    code: str = ""
    sections: list[Section] = field(default_factory=list)
    children: list[ParsedNode] = field(default_factory=list)
    indicators: list[ParsedIndicator] = field(default_factory=list)
    crossrefs: list[CrossRef] = field(default_factory=list)
    kind: NodeKind = NodeKind.POLICY
    is_priority: bool = False
    department: str = ""
    sdg_goals: list[int] = field(default_factory=list)
    source: str = ""
    line: int = 0


@dataclass
class GlossaryTerm:
    term: str
    definition: str
    source: str = ""
    line: int = 0


@dataclass
class Issue:
    """One entry of the import report."""

    kind: str  # "warning" | "normalization" | "conflict" | "unresolved_reference" | "noise"
    message: str
    source: str = ""
    line: int = 0
    original: str = ""
    replacement: str = ""


@dataclass
class Report:
    issues: list[Issue] = field(default_factory=list)

    def add(self, kind: str, message: str, **where: object) -> None:
        self.issues.append(Issue(kind=kind, message=message, **where))  # type: ignore[arg-type]

    def of_kind(self, kind: str) -> list[Issue]:
        return [issue for issue in self.issues if issue.kind == kind]


@dataclass
class ParsedPlan:
    municipality: str
    title: str
    level_names: list[str]
    nodes: list[ParsedNode]  # the roots, in order
    glossary: list[GlossaryTerm] = field(default_factory=list)
    layout: str = ""  # which reader understood the text ("policy_chapter", "reader", …)
    sources: list[str] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    # The plan period the text states (計画期間 令和5年度〜令和9年度); None where it states none.
    first_fiscal_year: int | None = None
    last_fiscal_year: int | None = None

    def walk(self):
        """Every node, depth first, in document order."""
        stack = list(reversed(self.nodes))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))
