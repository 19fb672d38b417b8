"""The plan tree from headings: levels from how numbering schemes nest, corrected by codes.

* ``nest_by_scheme``: a heading of a scheme already open is a sibling of that one (the deeper
  ones close); a scheme not yet open is one level deeper than the current heading;
* ``code_decides_parent``: a heading with a code goes under the node whose code its code
  extends (1101 → 11 → 1, 2-1-3 → 2-1, B3-1 → B3), wherever it is printed; a node printed
  without a code takes the one its number gives it when a code below needs it (施策 1-1 under
  基本目標 1 gives 基本目標 the code 1; 1101 under 基本施策1 of goal 1 gives it 11);
* ``codes_nest_alike`` / ``heading_lends_title_to_code`` (place by code over heading): codes of
  one form nest the same way (1101 under 11 under 1, so 2101 under 21 under 2); an uncoded heading
  holding coded items is the node of their parent code and goes where that code says, wherever
  the extraction printed it; a heading whose items belong to a code another heading already
  titles, and which holds nothing else, is no node; ``coded_siblings_in_code_order``; a titled
  number shaped like the codes that nests nowhere stays text with a warning;
* ``repeated_heading_continues``: a heading printed again (same code, or same scheme, number
  and title) continues its node instead of making a new one;
* ``labels_are_not_nodes``: a heading whose title only names a level or a part of the document
  (3 基本目標, 第1編 基本計画) and a bare number that nests nowhere do not become nodes;
* captions (■ …) group what follows only where no numbered heading is open;
* ``section_names_level_of_its_items``: the numbered items of a section that names their level
  (取組内容(施策中項目)) are nodes of that level under the section's node;
* ``chapter_numbers_are_codes``: 第5章 is 5 and the numbered items under it 5-1, 5-1-1; a
  chapter titled with a level word (市民生活分野) names its level by it;
* a chapter: ``title_over_sections_is_a_node`` (its first line, when a section follows before
  any heading), ``unnumbered_parent_code_from_below``, ``section_spans_repeated_headings`` and
  ``same_heading_continues_section`` (■現況と課題 printed once, then for each policy in turn),
  ``circled_items_number_paragraphs`` (①② in a named section), ``label_names_level``;
* ``cross_cutting_chapter`` (``crosscutting``): a chapter of 政策連携プラン is no node; its
  numbered headings are cross-cutting plans (plan-link-N), a level word printed alone in them
  opens their references (2-1 名称 → a crossref); the chapter's own text is reported;
* ``subtitle_heads_introduction``: 名称〜副題〜, or 〜副題〜 alone below a heading, heads its
  introduction;
* sections: ``framed_caption_opens_box`` (「- 見出し -」: its lines are its text, numbered or
  not), ``survey_box_returns_to_its_section`` (``survey``), ``chapter_opening_sections``
  (``opening``: a chapter's slogan and quoted voices), ``list_continues_across_blank_lines``;
* ``columns_name_nodes``: a KPI table's code or section column places each row by its code,
  as a heading printing that code would be placed (``node_for_row``), never under the row
  before it.

Levels are depths in the tree; each level is named by the level word its headings carry
(基本目標, 施策, 章), else ``階層N``. Keys are codes where unique, else positions (n1, n1.2).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from importers.parsing.contents import ListedBlock
from importers.parsing.crosscutting import (
    compact,
    names_cross_cutting,
    reference,
    split_subtitle,
    subtitle_alone,
)
from importers.parsing.footnotes import NOTE, glossary_section_terms
from importers.parsing.headings import (
    Heading,
    describe_scheme,
    is_label,
    level_label,
    read_heading,
    row_heading,
)
from importers.parsing.kpis import KpiRow
from importers.parsing.model import (
    CROSS_CUTTING_LABEL,
    CrossRef,
    CrossRefKind,
    GlossaryTerm,
    Line,
    NodeKind,
    ParsedIndicator,
    ParsedNode,
    ParsedPlan,
    Report,
    Section,
)
from importers.parsing.opening import opening_sections
from importers.parsing.relisted import relisted_refs
from importers.parsing.survey import ends_with_percentage, is_survey, survey_body
from importers.parsing.tables import Table
from importers.parsing.text import circled_number, join_wide_spaces, split_circled, strip_bullet
from importers.parsing.vocabulary import (
    ACTIONS_SECTION,
    GLOSSARY_SECTIONS,
    LEVEL_WORDS,
    PRIORITY_WORDS,
)

PLAN_TITLE = re.compile(r"計画|方針|戦略|ビジョン|構想")
SENTENCE_ENDS = ("。", "」", "）", ")")
LIST_CAPTION = 20  # characters: a line introducing a list (2 協力事項), not a sentence
PRINTED_LINE = 50  # characters: no line of a printed A4 page in Japanese is longer
ITEM_SCHEMES = ("1.", "1)", "(1)", "①", "1 ")  # plainly numbered items
PART_NUMBER = re.compile(r"\s*\(\d{1,3}\)$")  # 市政方針(2): the part of a document split over pages


@dataclass
class _Entry:
    node: ParsedNode
    heading: Heading
    parent: ParsedNode | None
    sections: list[tuple[str, int, list[Line]]] = field(default_factory=list)
    named_level: str = ""  # the level word a label printed over the heading (``label_names_level``)


class TreeBuilder:
    def __init__(self, source: str, report: Report) -> None:
        self.source = source
        self.report = report
        self.roots: list[ParsedNode] = []
        self.entries: dict[int, _Entry] = {}
        self.stack: list[ParsedNode] = []
        self.by_code: dict[str, ParsedNode] = {}
        self.order: list[ParsedNode] = []
        self.preamble: list[Line] = []
        self.plan_title = ""
        self.schemes: dict[str, ParsedNode] = {}  # each numbering scheme's first node
        self.group_captions: set[int] = set()  # lines of ■ captions that group headings
        self.untitled: set[str] = set()  # codes of nodes a table row made without a title
        # headings whose coded items belong to a code another heading titles
        self.lent_elsewhere: list[tuple[ParsedNode, str, str]] = []
        self.label_word = ""  # a level word printed alone, naming the next heading's level
        # the open section that names the level of its numbered items: (holder, word, section)
        self.items_level: tuple[ParsedNode, str, str] | None = None
        self.cross_cutting = False  # inside a chapter of cross-cutting plans (crosscutting)
        self.references_open = False  # a cross-cutting plan's list of references is open
        self.blank_in_references = False  # a blank line since the last reference
        self.after_list = False  # a cross-cutting plan's section ended with its list
        self.in_box = False  # inside a framed box (framed_caption): its lines are its text
        # ``survey_box_returns_to_its_section``: the section a complete survey box interrupted
        self.resume: list[Line] | None = None

    @property
    def current(self) -> ParsedNode | None:
        return self.stack[-1] if self.stack else None

    # -- headings ------------------------------------------------------------------------------
    def add_heading(self, heading: Heading, line: Line) -> bool:
        """Place a heading; False when the line is not a node after all (the caller keeps it
        as text)."""
        heading, item_section = self._as_item(_tidy(heading))
        self.in_box, self.resume = False, None
        if heading.scheme.startswith("part:"):
            self.cross_cutting = names_cross_cutting(heading.title)
            if self.cross_cutting:
                self._enter_cross_cutting(heading, line)
                return True
        if self.cross_cutting and heading.scheme == "1.":
            self._add_cross_cutting_plan(heading, line)
            return True
        if self._numbers_paragraphs(heading):
            return False
        if is_label(heading) and not self._groups_by_caption(heading, line):
            self._title_from_label(heading)
            if heading.title in LEVEL_WORDS:
                self.name_next_level(heading.title)
            self._skip(
                line, f"階層名・部の名前で、項目ではない: {heading.title or line.text.strip()}"
            )
            return True
        if heading.scheme in ("■",) or heading.scheme.startswith("#"):
            grouping = line.number in self.group_captions and any(
                self._is_caption(node) for node in self.stack
            )
            if self.current is not None and not self._is_caption(self.current) and not grouping:
                self.open_section(heading.title, line)
                return True
        if heading.scheme.startswith("digits") and not (
            self._nests(heading.code) or (heading.title and self._holder_for(heading.code))
        ):
            self._warn_stray_code(heading, line)
            return False
        existing = self._repeated(heading)
        if existing is None and heading.code:
            self._lend_holder(heading.code, line)
        if existing is not None and existing.code in self.untitled and heading.title:
            self._adopt_title(existing, heading, line)
            self.stack = self._path(existing)
            return True
        if existing is not None:
            self._skip(line, f"同じ見出しの再掲: {existing.line} 行目の項目の続きとして読みました")
            self._continue_node(existing, line)
            return True
        parent = self._code_parent(heading.code, line) if heading.code else None
        if parent is None:
            parent = self._scheme_parent(heading)
        elif self.current is not parent and not self._is_ancestor(parent):
            self._guess(line, f"{heading.code} はコードに従って {parent.code or parent.title} "
                        "の下に置きました")  # fmt: skip
        node = self._create(heading, line, parent)
        if not heading.level_word:
            self.entries[id(node)].named_level, self.label_word = self.label_word, ""
        if item_section:
            self.entries[id(node)].sections[0] = (item_section, line.number, [])
        return True

    def _as_item(self, heading: Heading) -> tuple[Heading, str]:
        """``section_names_level_of_its_items``: a plainly numbered heading printed in a section
        that names the level of its items (取組内容(施策中項目) / 1. …) is an item of that level
        under the section's node, its text a section of that name; ("", heading) otherwise."""
        if self.items_level is None or heading.level_word or heading.code:
            return heading, ""
        holder, word, name = self.items_level
        if any(self.entries[id(node)].heading.level_key == heading.level_key
               for node in self._path(holder)[:-1]):  # fmt: skip
            self.items_level = None  # a heading of a scheme above the holder ends its list
            return heading, ""
        if heading.scheme not in ITEM_SCHEMES or not self._is_ancestor(holder):
            return heading, ""
        return replace(heading, scheme=f"word:{word}", level_word=word), name

    # -- lists of contents (``contents``) -------------------------------------------------------
    def skip_listed(self, line: Line, title: str) -> None:
        self._skip(line, f"一覧の項目「{title}」: 後に続く本文の見出しとして読みます")

    def add_listed(self, block: ListedBlock, line: Line) -> None:
        """A block a list of contents lists: its title printed here, or lent by the list."""
        heading = _tidy(block.heading)
        if not block.printed:
            self._guess(line, f"「{heading.title}」の見出しが本文にありません。{block.listed_at}"
                        " 行目の一覧の見出しを補いました")  # fmt: skip
        self.items_level = None
        self.add_heading(heading, Line(line.number, heading.title))

    # -- cross-cutting chapters (``crosscutting``) ---------------------------------------------
    def _enter_cross_cutting(self, heading: Heading, line: Line) -> None:
        """The chapter is no node: its plans are roots of their own kind."""
        self.stack = []
        self.report.add("structure", f"分野横断の章「{heading.title}」: 番号の見出しは分野横断の"
                        "プラン、その本文のコード（2-1 など）は他の章の項目への参照",
                        source=self.source, line=line.number)  # fmt: skip

    def _add_cross_cutting_plan(self, heading: Heading, line: Line) -> None:
        """A plan of a cross-cutting chapter, keyed by its number (plan-link-N); a subtitle
        printed after its name (〜副題〜) heads its introduction."""
        title, subtitle = split_subtitle(heading.title)
        node = self._create(replace(heading, title=title), line, None)
        node.kind, node.key = NodeKind.CROSS_CUTTING, f"plan-link-{heading.number}"
        self.references_open = self.after_list = False
        if subtitle:
            self.entries[id(node)].sections[0] = (subtitle, line.number, [])

    def read_reference(self, line: Line) -> bool:
        """In a cross-cutting plan, a level word printed alone (施策大項目) opens its list of
        references: each 「2-1 名称」 is a reference to that code (once per plan), shown as a
        bullet; a line right below a reference continues its title. True when used up."""
        node, text = self.current, line.text.strip()
        if not self.cross_cutting or node is None or not text:
            return False
        sections = self.entries[id(node)].sections
        if level_label(text) and not subtitle_alone(text):
            self.references_open = True
            sections[-1][2].append(line)
            return True
        found = reference(text) if self.references_open else None
        if found is not None:
            self.blank_in_references = False
            code, title = found
            sections[-1][2].append(Line(line.number, f"- {code} {title}"))
            if all(ref.target_code != code for ref in node.crossrefs):
                node.crossrefs.append(CrossRef(CrossRefKind.POLICY_LINK, code, title, line.number))
            return True
        last = sections[-1][2][-1] if sections[-1][2] else None
        if self.references_open and last is not None and self._continues_reference(last, line):
            sections[-1][2][-1] = Line(last.number, last.text + compact(text))
            for ref in node.crossrefs:
                if ref.line == last.number:
                    ref.target_title += compact(text)
            return True
        self.after_list = self.references_open
        self.references_open = False
        return False

    def _continues_reference(self, last: Line, line: Line) -> bool:
        """A line right below a reference (no blank line between, no heading) wraps its title."""
        return (
            last.text.startswith("- ")
            and last.number == line.number - 1
            and not self.blank_in_references
            and read_heading(line.text) is None
        )

    def _outside_plans(self, line: Line) -> bool:
        """Text of a cross-cutting chapter that belongs to none of its plans: its introduction
        (before the first plan) and a paragraph after the list that ends a plan's section
        (the chapter's closing note); reported, not attached. True when skipped."""
        if not self.cross_cutting or not line.text.strip():
            return False
        node = self.current
        lines = self.entries[id(node)].sections[-1][2] if node is not None else []
        texts = [item.text.strip() for item in lines]
        after_bullets = (
            bool(texts)
            and not texts[-1]
            and _is_bullet(next((text for text in reversed(texts) if text), ""))
        )
        if node is not None and not after_bullets and not self.after_list:
            return False
        self.after_list = True
        self._skip(line, "分野横断の章の本文で、どのプランにも属さない")
        return True

    def name_next_level(self, word: str) -> None:
        """``label_names_level``: a level word printed alone (基本目標 over 1) まち, ■ 個別施策
        over 1101 …) names the level of the heading right after it, where that heading prints
        no level word of its own; text in between ends the label."""
        self.label_word = word

    def _continue_node(self, node: ParsedNode, line: Line) -> None:
        """``section_spans_repeated_headings``: a heading printed again continues its node, in
        the section open where it is printed (■現況と課題, then ■基本施策1 … ■基本施策2 …: each
        policy's 現況と課題)."""
        open_name = self._open_section_name()
        self.stack = self._path(node)
        if open_name:
            self.entries[id(node)].sections.append((open_name, line.number, []))

    def _open_section_name(self) -> str:
        return self.entries[id(self.current)].sections[-1][0] if self.current else ""

    def _numbers_paragraphs(self, heading: Heading) -> bool:
        """``circled_items_number_paragraphs``: in a named section (現況と課題), ①②… number
        its paragraphs — unless circled items are already nodes of this text."""
        return heading.scheme == "①" and "①" not in self.schemes and bool(self._open_section_name())

    def _without_figure_captions(self, lines: list[Line]) -> list[Line]:
        """``figure_captions_are_noise``: a short line set apart by a break after the sentences
        of a passage, ending it (財政指標の比較(2020年) before the next heading), captions a
        figure the text does not have; it is dropped and reported. A source note (参考: …) and a
        ※ note are text, and so is a line with no break before it: the last printed line of a
        wrapped paragraph (…図ります。 / (5501 再掲))."""
        printed = [line for line in lines if line.text.strip()]
        if len(printed) < 2:
            return lines
        caption, before = printed[-1], printed[-2]
        text = caption.text.strip()
        if (
            not _break_between(lines, before, caption)
            or not before.text.strip().endswith("。")
            or len(text) > LIST_CAPTION * 2
            or text.endswith(("。", "、"))
            or ":" in text
            or NOTE.match(text)
            or _is_bullet(text)
            or circled_number(text)
        ):
            return lines
        self.report.add("noise", f"図のない図の見出しを除きました: {text}", source=self.source,
                        line=caption.number, original=text)  # fmt: skip
        return [line for line in lines if line is not caption]

    def _title_from_label(self, heading: Heading) -> None:
        """``plan_title_from_part_heading``: a heading before any node that names a part of the
        document which is a plan (## 基本計画) titles the plan when nothing else has."""
        title = join_wide_spaces(heading.title).strip()
        if not self.order and not self.plan_title and title.endswith("計画"):
            self.plan_title = title

    def _groups_by_caption(self, heading: Heading, line: Line) -> bool:
        """A caption naming only a level (■基本政策, ■重点施策) is a group, not a label, where
        two or more such captions each restart the numbering of the headings after them."""
        return (
            heading.scheme == "■"
            and len(self.group_captions) > 1
            and (line.number in self.group_captions)
        )

    def _is_caption(self, node: ParsedNode) -> bool:
        scheme = self.entries[id(node)].heading.scheme
        return scheme == "■" or scheme.startswith("#")

    def _nests(self, code: str) -> bool:
        """A bare number is a code only when it nests: a known code extends or is extended by
        it, a heading's number path gives its parent (11 for 基本施策1 of 基本目標1), or the
        heading before it is a code of the same family (1101, 1102)."""
        if any(known.startswith(code) or code.startswith(known) for known in self.by_code):
            return True
        found = self._latent(_parent_candidates(code))
        if found is not None and len(found[1]) >= 2:
            return True
        previous = self.order[-1].code if self.order else ""
        return len(previous) == len(code) > 2 and previous[:-2] == code[:-2] != ""

    # -- place by code over heading -----------------------------------------------------------
    def _family_parent(self, code: str) -> tuple[str, int] | None:
        """``codes_nest_alike``: the code ``code``'s parent has, and that parent's depth, read
        from how a known code of the same form nests (1101 under 11 → 2101 under 21)."""
        candidates = _parent_candidates(code)
        for node in self.order:
            parent = self.entries[id(node)].parent
            if not node.code or parent is None or not parent.code or node is parent:
                continue
            if _code_form(node.code) != _code_form(code):
                continue
            known = _parent_candidates(node.code)
            if parent.code in known and known.index(parent.code) < len(candidates):
                return candidates[known.index(parent.code)], len(self._path(parent)) - 1
        return None

    def _holder_for(self, code: str) -> ParsedNode | None:
        """The open heading a coded item is printed under, when it is printed without a code at
        the depth the item's parent code has: the heading of that code (its title is lent)."""
        family = self._family_parent(code)
        holder = self.current
        if family is None or holder is None or holder.code:
            return None
        if self.entries[id(holder)].heading.scheme in ("topic", "untitled", "■"):
            return None
        return holder if len(self._path(holder)) - 1 == family[1] else None

    def _lend_holder(self, code: str, line: Line) -> None:
        """``heading_lends_title_to_code``: the headings only lend titles, the codes decide
        where things go. An uncoded heading holding items 2101… is the node 21, wherever it was
        printed (moved under 2); a second heading holding items of a code another heading
        already titled (3305 under 基本施策4 when 33 is known) is not a node of its own."""
        holder = self._holder_for(code)
        if holder is None:
            return
        parent_code, depth = self._family_parent(code)
        if parent_code in self.by_code:
            if len(self._path(self.by_code[parent_code])) - 1 == depth:
                self.lent_elsewhere.append((holder, code, parent_code))
            return
        if self._printed_without(holder, parent_code):
            self._give_code(holder, parent_code, code, line)  # its number agrees
        else:
            holder.code = parent_code
            self.by_code[parent_code] = holder
            self._guess(Line(holder.line, ""), f"「{holder.title}」にコード {parent_code} を"
                        f"付けました（下のコード {code} から）")  # fmt: skip
        above = self._code_parent_at(parent_code, depth - 1, line)
        old = self.entries[id(holder)].parent
        if above is None or above is old:
            return
        (old.children if old is not None else self.roots).remove(holder)
        above.children.append(holder)
        self.entries[id(holder)].parent = above
        self.stack = self._path(holder)
        self._guess(Line(holder.line, ""), f"「{holder.title}」はコード {parent_code} に従って "
                    f"{above.code or above.title} の下に置きました")  # fmt: skip

    def _warn_stray_code(self, heading: Heading, line: Line) -> None:
        """``stray_code_is_text``: a titled number shaped like the plan's codes (9102 among
        1101, 1102 …) that nests under nothing stays text, with a warning to check it."""
        form = _code_form(heading.code)
        if heading.title and any(_code_form(code) == form for code in self.by_code):
            self.report.add("warning", f"{heading.code} {heading.title}: コードの形ですが、"
                            "その上の項目のコードがありません。本文として残しました",
                            source=self.source, line=line.number)  # fmt: skip

    def _code_parent_at(self, code: str, depth: int, line: Line) -> ParsedNode | None:
        """The node ``code`` extends: a known code, else a node at ``depth`` printed without its
        code whose number gives it (which then takes that code)."""
        candidates = _parent_candidates(code)
        for candidate in candidates:
            if candidate in self.by_code:
                return self.by_code[candidate]
        for candidate in candidates:
            for node in reversed(self.order):
                if node.code or len(self._path(node)) - 1 != depth:
                    continue
                if self._printed_without(node, candidate):
                    self._give_code(node, candidate, code, line)
                    return node
        return None

    def _is_empty(self, node: ParsedNode) -> bool:
        sections = self.entries[id(node)].sections
        return (
            not node.children
            and not node.indicators
            and not any(line.text.strip() for _, _, lines in sections for line in lines)
        )

    def _drop_lent_elsewhere(self) -> None:
        """A heading whose items all belong, by their codes, to a code another heading titles
        (3305–3307 under 基本施策4 地域学習の充実 when 33 is known) and which holds nothing else
        is not a node of its own."""
        for holder, code, parent_code in self.lent_elsewhere:
            if not self._is_empty(holder) or holder not in self.order:
                continue
            parent = self.entries[id(holder)].parent
            (parent.children if parent is not None else self.roots).remove(holder)
            self.order.remove(holder)
            for key, first in list(self.schemes.items()):
                if first is holder:
                    del self.schemes[key]
            self._skip(Line(holder.line, holder.title), f"見出し「{holder.title}」の下の {code} "
                       f"はコード {parent_code}「{self.by_code[parent_code].title}」の項目です。"
                       "この見出しは項目にしませんでした")  # fmt: skip

    def _repeated(self, heading: Heading) -> ParsedNode | None:
        if heading.code and heading.code in self.by_code:
            return self.by_code[heading.code]
        for node in self.order:
            other = self.entries[id(node)].heading
            if (other.level_key, other.number, other.title) == (
                heading.level_key,
                heading.number,
                heading.title,
            ):
                return node
        return None

    def _scheme_parent(self, heading: Heading) -> ParsedNode | None:
        keys = [self.entries[id(node)].heading.level_key for node in self.stack]
        if heading.level_key in keys:
            del self.stack[keys.index(heading.level_key) :]
        return self.current

    def _code_parent(self, code: str, line: Line) -> ParsedNode | None:
        candidates = _parent_candidates(code)
        for candidate in candidates:
            if candidate in self.by_code:
                return self.by_code[candidate]
        found = self._latent(candidates)
        if found is None:
            return None
        node, candidate = found
        self._give_code(node, candidate, code, line)
        return node

    def _give_code(self, node: ParsedNode, candidate: str, below: str, line: Line) -> None:
        """The code a node was printed without, and its parents' codes that make it up."""
        while node is not None and not node.code and candidate not in self.by_code:
            node.code = candidate
            self.by_code[candidate] = node
            self._guess(line, f"「{node.title}」にコード {candidate} を付けました（その番号と、"
                        f"下のコード {below} から）")  # fmt: skip
            number = self.entries[id(node)].heading.number
            node = self.entries[id(node)].parent
            for sep in ("-", ""):
                if node is not None and candidate.endswith(sep + number) and candidate != number:
                    candidate = candidate[: len(candidate) - len(sep + number)]
                    break
            else:
                return

    def _latent(self, candidates: list[str]) -> tuple[ParsedNode, str] | None:
        """A node without a code whose printed number (alone or after its parents' numbers)
        is one of ``candidates`` (nearest first): the code it was printed without. Open
        headings are looked at before the others."""
        nodes = [*reversed(self.stack), *reversed(self.order)]
        for candidate in candidates:
            for node in nodes:
                if not node.code and self._printed_without(node, candidate):
                    return node, candidate
        return None

    def _printed_without(self, node: ParsedNode, code: str) -> bool:
        """Whether ``code`` is the code ``node`` was printed without (``_latent_codes``)."""
        return any(
            latent == code or latent.startswith("*") and _extends_unknown(code, latent[1:])
            for latent in self._latent_codes(node)
        )

    def _latent_codes(self, node: ParsedNode) -> list[str]:
        """The codes a node's printed number may stand for: the number alone, or after its
        parent's code; ``*N`` where the parent is a title printed without any number
        (``unnumbered_parent_code_from_below``: 基本施策1 under a chapter's title is 11 when
        the items below are 1101 …, and the chapter takes 1)."""
        entry = self.entries[id(node)]
        number, parent = entry.heading.number, entry.parent
        if not number:
            return []
        if parent is None:
            return [number]
        above = [parent.code] if parent.code else self._latent_codes(parent)
        if not above and not self.entries[id(parent)].heading.number:
            above = ["*"]
        return [number] + [f"{p}{sep}{number}" for p in above if p for sep in ("", "-")]

    def _is_ancestor(self, node: ParsedNode) -> bool:
        return any(other is node for other in self.stack)

    def _path(self, node: ParsedNode) -> list[ParsedNode]:
        path = []
        while node is not None:
            path.append(node)
            node = self.entries[id(node)].parent
        return list(reversed(path))

    def _create(self, heading: Heading, line: Line, parent: ParsedNode | None) -> ParsedNode:
        node = ParsedNode(title=heading.title, key="", level=0, source=self.source,
                          line=line.number)  # fmt: skip
        if heading.code and heading.code not in self.by_code:
            node.code = heading.code
            self.by_code[heading.code] = node
        (parent.children if parent is not None else self.roots).append(node)
        self.entries[id(node)] = _Entry(node, heading, parent, [("", line.number, [])])
        self.order.append(node)
        self.stack = [*self._path(parent), node] if parent is not None else [node]
        self.schemes.setdefault(heading.level_key, node)
        return node

    # -- rows of a KPI table that name their node --------------------------------------------
    def node_for_row(self, code: str, section: str, line: int) -> None:
        """``columns_name_nodes``: a KPI row's code and section cells name its node. A known
        code (or, without one, a known title) continues that node; otherwise a node is made
        and placed as a heading printing that code would be: under the node its code extends
        (``code_decides_parent``), else beside the rows and headings of its scheme, never
        under the row before it. A node named by a bare code takes its title from the heading
        printing that code later."""
        where = Line(line, "")
        heading = row_heading(code, section)
        found = self._named_by_row(heading)
        if found is not None:
            self.stack = self._path(found)
            return
        parent = self._code_parent(heading.code, where) if heading.code else None
        if parent is None:
            parent = self._scheme_parent(heading)
        named = " ".join(part for part in (heading.code, heading.title) if part)
        self._guess(where, f"指標の表の行から項目 {named} を作りました")
        if not heading.title:
            heading = replace(heading, title=heading.code)
            self.untitled.add(heading.code)
        self._create(heading, where, parent)

    def _named_by_row(self, heading: Heading) -> ParsedNode | None:
        if heading.code:
            return self.by_code.get(heading.code)
        return next((n for n in self.order if n.title == heading.title), None)

    def _adopt_title(self, node: ParsedNode, heading: Heading, line: Line) -> None:
        """The title a heading prints for a node a table row made from its code alone."""
        self.untitled.discard(node.code)
        node.title = heading.title
        entry = self.entries[id(node)]
        entry.heading = replace(heading, code=node.code)
        self._guess(line, f"{node.code} {node.title}: {node.line} 行目の指標の表の行から作った"
                    "項目の見出し")  # fmt: skip

    def node_for_caption(self, caption: str, line: int) -> None:
        found = next((n for n in self.order if n.title == caption), None)
        if found is not None:
            self.stack = self._path(found)
            return
        self._create(Heading("■", "", "", caption), Line(line, caption), self.current)

    def open_topic(self, title: str, line: Line) -> None:
        """A topic (``topics``) under the heading it is printed below; the topic before it, if
        any, closes."""
        while self.stack and self.entries[id(self.stack[-1])].heading.scheme == "topic":
            self.stack.pop()
        self._create(Heading("topic", "", "", title), line, self.current)

    # -- content -------------------------------------------------------------------------------
    def open_section(self, name: str, line: Line, items_level: str = "", box: bool = False) -> None:
        """A section of the current node; a section after the items of a section that named
        their level belongs to the node holding those items again. In a framed ``box`` the
        lines are its text, numbered or not, up to the next section (the reader asks
        ``in_box``)."""
        if self.items_level is not None and self._is_ancestor(self.items_level[0]):
            self.stack = self._path(self.items_level[0])
        self.items_level = None
        self.references_open = self.after_list = False
        self.in_box, self.resume = box, None
        node = self.current or self._chapter_from_title()
        if node is None:
            self.preamble.append(line)
            return
        self.entries[id(node)].sections.append((name, line.number, []))
        if items_level:
            self.items_level = (node, items_level, name)

    def _chapter_from_title(self) -> ParsedNode | None:
        """``title_over_sections_is_a_node``: a text that starts with one title line (no
        sentence, no plan's name) and then a section (■政策の基本方針) before any heading is a
        chapter of the plan: the title is its node, and the headings after it are under it."""
        printed = [line for line in self.preamble if line.text.strip()]
        if len(printed) != 1 or self.plan_title or self.order:
            return None
        title = join_wide_spaces(printed[0].text.strip())
        if len(title) > PRINTED_LINE or title.endswith(SENTENCE_ENDS) or read_heading(title):
            return None
        self._guess(printed[0], f"節より前の1行「{title}」を、後の見出しをまとめる項目としました")
        return self._create(Heading("chapter", "", "", title), printed[0], None)

    def add_text(self, line: Line) -> None:
        if line.text.strip():
            self.label_word = ""
        if self.references_open and not line.text.strip():
            self.blank_in_references = True
            return  # blank lines between references: the list stays one list
        if self._outside_plans(line) or self._subtitle(line):
            return
        node = self.current
        if node is None:
            self._preamble(line)
            return
        sections = self.entries[id(node)].sections
        (self.resume if self.resume is not None else sections[-1][2]).append(line)
        if self.resume is None and len(sections) > 1 and is_survey(sections[-1][0]):
            if ends_with_percentage(line.text):  # the box is complete
                self.resume = sections[-2][2]

    def _subtitle(self, line: Line) -> bool:
        """``subtitle_heads_introduction``: a line 〜副題〜 right below a heading (before any
        text of it) is its subtitle: it heads the heading's introduction."""
        node, subtitle = self.current, subtitle_alone(line.text)
        if node is None or not subtitle:
            return False
        sections = self.entries[id(node)].sections
        if len(sections) > 1 or sections[0][0] or any(item.text.strip() for item in sections[0][2]):
            return False
        sections[0] = (subtitle, line.number, [])
        return True

    def add_table_text(self, table: Table) -> None:
        for cells, number in zip(table.rows, table.lines or [table.line] * len(table.rows),
                                 strict=False):  # fmt: skip
            self.add_text(Line(number, " ".join(cell for cell in cells if cell)))

    def add_kpi(self, kpi: KpiRow, how: str) -> None:
        node = self.current
        if node is None:
            node = self._untitled_root(kpi.line)
        if how:
            self.report.add("structure", f"{how}: {kpi.name}", source=self.source, line=kpi.line)
        node.indicators.append(
            ParsedIndicator(
                name=kpi.name,
                key="",
                definition=kpi.definition,
                unit=kpi.unit,
                baseline=kpi.baseline,
                baseline_year=kpi.baseline_year,
                target=kpi.target,
                target_year=kpi.target_year,
                comparator=kpi.target.comparator,
                cumulative="累計" in kpi.name,
                source=self.source,
                line=kpi.line,
            )
        )

    def _untitled_root(self, line: int) -> ParsedNode:
        title = self.plan_title or "成果指標"
        self._guess(Line(line, ""), f"見出しより前の指標を「{title}」の下に置きました")
        return self._create(Heading("untitled", "", "", title), Line(line, title), None)

    def _preamble(self, line: Line) -> None:
        text = join_wide_spaces(line.text.strip())
        if text and not self.plan_title and PLAN_TITLE.search(text) and len(text) <= 60:
            self.plan_title = PART_NUMBER.sub("", text)
        self.preamble.append(line)

    # -- codes from chapter numbers ------------------------------------------------------------
    def _chapter_codes(self) -> None:
        """``chapter_numbers_are_codes``: chapters are numbered through the whole document, so
        a chapter printed without a code (第5章) has its number as code, and the numbered items
        under it extend it (5-1, 5-1-1) where nothing printed a code of their own."""
        for root in self.roots:
            heading = self.entries[id(root)].heading
            if heading.scheme != "part:章" or not heading.number.isdigit():
                continue
            if not root.code and heading.number not in self.by_code:
                root.code = heading.number
                self.by_code[root.code] = root
            if root.code:
                self._extend_codes(root)

    def _extend_codes(self, node: ParsedNode) -> None:
        for child in node.children:
            number = self.entries[id(child)].heading.number
            code = f"{node.code}-{number}"
            if not child.code and number.isdigit() and code not in self.by_code:
                child.code = code
                self.by_code[code] = child
            if child.code:
                self._extend_codes(child)

    # -- reporting -----------------------------------------------------------------------------
    def _report_schemes(self, level_names: list[str]) -> None:
        """Each numbering scheme and the level it became (its first heading's, once placed)."""
        for scheme, node in self.schemes.items():
            level = node.level
            shown = describe_scheme(scheme)
            became = (f"{CROSS_CUTTING_LABEL}（分野横断）" if node.kind == NodeKind.CROSS_CUTTING
                      else f"第{level + 1}階層「{level_names[level]}」")  # fmt: skip
            self.report.add("structure", f"見出しの形式 {shown} → {became}（最初の見出し"
                            f"「{node.title}」）", source=self.source, line=node.line)  # fmt: skip

    def _skip(self, line: Line, why: str) -> None:
        self.report.add("skipped", why, source=self.source, line=line.number,
                        original=line.text.strip())  # fmt: skip

    def _guess(self, line: Line, what: str) -> None:
        self.report.add("guess", what, source=self.source, line=line.number)

    # -- the plan ------------------------------------------------------------------------------
    def finish(self) -> ParsedPlan:
        self._drop_lent_elsewhere()
        depths: dict[int, Counter] = {}
        glossary: list[GlossaryTerm] = []
        for node in self.order:
            entry = self.entries[id(node)]
            node.level = len(self._path(node)) - 1
            word = _level_name(entry.heading) or entry.named_level
            if node.kind != NodeKind.CROSS_CUTTING:  # labelled as such, whatever the levels
                depths.setdefault(node.level, Counter())[word] += 1
            raw = [(name, number, self._without_figure_captions(lines))
                   for name, number, lines in _with_opening(entry)]  # fmt: skip
            kept = [section for section in raw if section[0] not in GLOSSARY_SECTIONS]
            for name, _, lines in raw:
                if name in GLOSSARY_SECTIONS:
                    glossary.extend(glossary_section_terms(lines, self.source, self.report))
            node.crossrefs.extend(relisted_refs(line for _, _, lines in kept for line in lines))
            node.sections = _sections(kept)
        self._chapter_codes()
        _order_by_code(self.roots)
        _assign_keys(self.roots, "", set())
        _mark_priorities(self.roots, inherited=False)
        level_names = []
        for depth in range(max(depths) + 1 if depths else 0):
            words = [(n, w) for w, n in depths.get(depth, Counter()).items() if w]
            level_names.append(max(words)[1] if words else f"階層{depth + 1}")
        self._report_schemes(level_names)
        glossary.sort(key=lambda term: term.line)
        return ParsedPlan(municipality="", title="", level_names=level_names, nodes=self.roots,
                          glossary=glossary)  # fmt: skip


def _with_opening(entry: _Entry) -> list[tuple[str, int, list[Line]]]:
    """A chapter's raw sections, its opening text split into slogan and voices
    (``opening.chapter_opening_sections``) where it has that shape."""
    raw = entry.sections
    if not entry.heading.scheme.startswith("part:") or not raw or raw[0][0]:
        return raw
    opening = opening_sections(raw[0][2])
    return raw if opening is None else [*opening, *raw[1:]]


def _level_name(heading: Heading) -> str:
    """The name a heading gives its level: its level word; a chapter titled with a level word
    at its end (第5章 市民生活分野) names its level by that word (分野), not 章."""
    if heading.scheme.startswith("part:"):
        ending = next((word for word in LEVEL_WORDS if heading.title.endswith(word)), "")
        if ending and ending != heading.title:
            return ending
    return heading.level_word


def _tidy(heading: Heading) -> Heading:
    title = join_wide_spaces(heading.title).strip()
    if title == heading.title:
        return heading
    return Heading(heading.scheme, heading.number, heading.code, title, heading.level_word,
                   heading.depth, heading.decorated)  # fmt: skip


def _extends_unknown(code: str, tail: str) -> bool:
    """``code`` is one more code followed by ``tail`` (11 is 1 + 1, 2-1 is 2 + -1)."""
    head = code[: len(code) - len(tail)]
    return code.endswith(tail) and bool(head) and bool(re.fullmatch(r"\d{1,2}|[A-Z]{1,2}\d*", head))


def _parent_candidates(code: str) -> list[str]:
    """Codes ``code`` may extend, nearest first: 2-1-3 → 2-1, 2; B3-1 → B3; 1101 → 110, 11, 1."""
    if "-" in code:
        parts = code.split("-")
        return ["-".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]
    if code[:1].isalpha():
        letters = re.match(r"[A-Z]+", code).group()
        return [letters] if code != letters else []
    return [code[:i] for i in range(len(code) - 1, 0, -1)]


def _code_form(code: str) -> str:
    """The shape of a code: 1101 → 9999, 2-1-3 → 9-9-9, B3-1 → A9-9."""
    return re.sub(r"[A-Z]", "A", re.sub(r"\d", "9", code))


def _code_sort_key(code: str) -> list[tuple[int, int | str]]:
    return [
        (0, int(part)) if part.isdigit() else (1, part) for part in re.findall(r"\d+|\D+", code)
    ]


def _order_by_code(nodes: list[ParsedNode]) -> None:
    """``coded_siblings_in_code_order``: siblings that all carry codes of one form are in code
    order (an extraction that scrambled the blocks does not scramble the plan)."""
    forms = {_code_form(node.code) if node.code else None for node in nodes}
    if len(forms) == 1 and None not in forms:
        nodes.sort(key=lambda node: _code_sort_key(node.code))
    for node in nodes:
        _order_by_code(node.children)


def _sections(raw: list[tuple[str, int, list[Line]]]) -> list[Section]:
    """The node's sections; ``same_heading_continues_section``: text under a heading printed
    again continues the section of that heading (where it was first printed with text)."""
    merged: dict[str, tuple[int, list[Line]]] = {}
    for heading, number, lines in raw:
        if not any(line.text.strip() for line in lines):
            continue
        if heading in merged:
            merged[heading][1].extend([Line(number, ""), *lines])
        else:
            merged[heading] = (number, list(lines))
    sections = []
    for heading, (number, lines) in merged.items():
        actions = [] if heading else _actions(lines)
        if actions:
            sections.append(Section(ACTIONS_SECTION, "\n".join(actions), actions_line(lines)))
            continue
        body = (survey_body(lines) if is_survey(heading) else "") or render_body(lines)
        if body:
            sections.append(Section(heading=heading, body=body, line=number))
    return sections


def _actions(lines: list[Line]) -> list[str]:
    """``numbered_actions_are_what_a_node_does``: a node's text whose every paragraph starts
    with ①… ②… (items as bullets, paragraphs or cells, an item maybe continued on the next
    line) is its list of actions, one a line; [] for any other text."""
    texts = [strip_bullet(line.text) for line in lines]
    starts = [
        text for text, before in zip(texts, ["", *texts], strict=False) if text and not before
    ]
    if not starts or not all(circled_number(text) for text in starts):
        return []
    return [join_wide_spaces(action) for action in split_circled("".join(texts))]


def actions_line(lines: list[Line]) -> int:
    return next(line.number for line in lines if line.text.strip())


def render_body(lines: list[Line]) -> str:
    """Paragraphs separated by blank lines; a bullet starts a line; a line broken by the
    extraction continues the one before it — unless every line of the passage ends a sentence
    and one is longer than a printed line can be (``lines_ending_sentences_are_paragraphs``: a
    web page or a word processor's text, where a line is a paragraph).

    ``list_continues_across_blank_lines``: a bullet after blank lines goes on the list before
    them, or follows the caption that introduces it (「2 協力事項」, a short line that ends no
    sentence), on the next line."""
    paragraphs: list[list[str]] = [[]]
    whole = _sentence_lines(lines)
    for line in lines:
        text = join_wide_spaces(line.text.strip())
        if _is_bullet(text) and not paragraphs[-1] and _continues_list(paragraphs):
            paragraphs.pop()
            paragraphs[-1].append(text)
        elif not text or line.number in whole:
            if paragraphs[-1] and not (_is_bullet(text) and _is_bullet(paragraphs[-1][-1])):
                paragraphs.append([])
            if text:
                paragraphs[-1].append(text)
        elif _is_bullet(text) or not paragraphs[-1]:
            paragraphs[-1].append(text)
        else:
            paragraphs[-1][-1] += text
    return "\n\n".join("\n".join(p) for p in _join_cut_paragraphs(paragraphs) if p)


def _join_cut_paragraphs(paragraphs: list[list[str]]) -> list[list[str]]:
    """``paragraph_cut_by_a_figure_continues``: a paragraph of sentences whose last one stops
    mid-sentence (…運用監視を) was cut by a figure; the paragraph after it goes on with it."""
    joined: list[list[str]] = []
    for paragraph in (p for p in paragraphs if p):
        last = joined[-1][-1] if joined else ""
        if "。" in last and not last.endswith(SENTENCE_ENDS) and not _is_bullet(paragraph[0]):
            joined[-1][-1] += paragraph[0]
            joined[-1].extend(paragraph[1:])
        else:
            joined.append(list(paragraph))
    return joined


def _break_between(lines: list[Line], before: Line, after: Line) -> bool:
    """Whether a break (a blank line, an empty block) sets ``after`` apart from ``before``, in
    reading order: front ends number a break as the block it follows, and a paragraph block
    wrapped over several printed lines by the number of its first, so numbers cannot tell."""
    between = lines[_index(lines, before) + 1 : _index(lines, after)]
    return any(not line.text.strip() for line in between)


def _index(lines: list[Line], line: Line) -> int:
    return next(i for i, each in enumerate(lines) if each is line)


def _continues_list(paragraphs: list[list[str]]) -> bool:
    """Whether a bullet printed after blank lines belongs to the paragraph before them."""
    last = paragraphs[-2][-1] if len(paragraphs) > 1 and paragraphs[-2] else ""
    caption = 0 < len(last) <= LIST_CAPTION and not last.endswith(SENTENCE_ENDS + ("、",))
    return _is_bullet(last) or caption


def _is_bullet(text: str) -> bool:
    """``bullets_stay_one_list``: a bullet starts a line of the list it belongs to."""
    return text.startswith(("- ", "・", "•"))


def _mark_priorities(nodes: list[ParsedNode], inherited: bool) -> None:
    """``priority_by_title``: a node titled 重点… is a priority, with everything under it."""
    for node in nodes:
        node.is_priority = node.is_priority or inherited or node.title.startswith(PRIORITY_WORDS)
        _mark_priorities(node.children, node.is_priority)


def _sentence_lines(lines: list[Line]) -> set[int]:
    """The lines of passages (runs between blank lines) of two or more lines that all end a
    sentence, one of them longer than a page is wide (``PRINTED_LINE`` characters)."""
    found: set[int] = set()
    run: list[Line] = []
    for line in [*lines, Line(0, "")]:
        if line.text.strip():
            run.append(line)
            continue
        ends = all(r.text.strip().endswith(SENTENCE_ENDS) for r in run)
        if len(run) > 1 and ends and max(len(r.text.strip()) for r in run) > PRINTED_LINE:
            found.update(r.number for r in run)
        run = []
    return found


def assign_keys(nodes: list[ParsedNode]) -> None:
    """Keys again after names changed (a node's key stays; KPI keys follow their names)."""
    _assign_keys(nodes, "", set())


def _assign_keys(nodes: list[ParsedNode], prefix: str, used: set[str]) -> None:
    for position, node in enumerate(nodes, start=1):
        key = node.key or (node.code if node.code and node.code not in used else "")
        if not key:
            key = f"{prefix}.{position}" if prefix else f"n{position}"
            while key in used:
                key += "'"
        node.key = key
        used.add(key)
        names: set[str] = set()
        for indicator in node.indicators:
            base = f"{key}:{indicator.name}"[:140]
            indicator.key = base
            number = 2
            while indicator.key in names:
                indicator.key = f"{base}#{number}"
                number += 1
            names.add(indicator.key)
        _assign_keys(node.children, key, used)
