"""Line structure you cannot trust, repaired before the reader looks for headings and tables.

* ``split_flattened``: a whole page flattened onto one line (headings, a table header and all
  its rows, cells split by single spaces) is cut into the lines it was made of;
* ``strip_glued_page_number``: a page number glued before a heading (``15施策``) goes;
* ``join_split_headings``: a level word alone on a line, its number on the next and its title
  wrapped over the following ones become one heading line;
* ``attach_lone_codes``: a code alone on a line joins the title it belongs to — the title
  before it (``空き家対策の推進`` / ``31201``) or after it (``D5`` / ``道路の長寿命化``);
  ``title_after_blank_lines``: a code or a level word and number printed alone takes the
  title after the blank lines that follow (wrapped over short lines in a table cell);
* ``skip_photo_captions``: ▲ captions of photos and figures are noise;
* ``skip_page_numbers`` and ``skip_boilerplate``: bare page numbers and lines repeated on
  every page (the plan's name in the page header) are skipped and reported.

Every line keeps its original number; every change is reported ("skipped" or "structure").
"""

from __future__ import annotations

import re
from collections import Counter

from importers.parsing.contents import captions_a_list
from importers.parsing.headings import level_label, read_heading, section_name
from importers.parsing.model import Line, Report
from importers.parsing.normalize import NOISE_WORDS, noise_reason
from importers.parsing.tables import COLUMN_WORDS, is_value
from importers.parsing.vocabulary import LEVEL_WORDS, NAME_WORDS

FLATTENED_LENGTH = 80  # a line longer than this holding several structures was a page
_WORDS = "|".join(LEVEL_WORDS)
_GLUED_PAGE = re.compile(rf"^(\d{{1,4}})(?=(?:{_WORDS})\s*\S|第\s*\d)")
_LEVEL_WORD_ALONE = re.compile(rf"^(?:{_WORDS})$")
_NUMBER_ALONE = re.compile(
    r"^(?:\d{1,2}(?:[-‐]\d{1,2}){0,3}|[A-Z]{1,2}\d{1,3}(?:-\d{1,3})*|[①-⑳])$"
)
_CODE_ALONE = re.compile(r"^(?:\d{3,7}|\d{1,2}(?:-\d{1,2}){1,3}|[A-Z]{1,2}\d{1,3}(?:-\d{1,3})*)$")
_PHOTO_CAPTION = re.compile(r"^(?:▲\s*[^\d\s.,]|出典\s*(?:[:：]|[(（][^)）]*[)）]\s*[:：]))")
_PAGE_NUMBER = re.compile(r"^[-‐–(]?\s*\d{1,4}\s*[-‐–)]?$")


def repair_lines(lines: list[Line], source: str, report: Report) -> list[Line]:
    where = {"source": source}
    out: list[Line] = []
    for line in lines:
        out.extend(split_flattened(line, report, where))
    out = [strip_glued_page_number(line, report, where) for line in out]
    out = join_split_headings(out, report, where)
    out = attach_lone_codes(out, report, where)
    out = skip_page_numbers(out, report, where)
    out = skip_page_furniture(out, report, where)
    out = skip_photo_captions(out, report, where)
    return skip_boilerplate(out, report, where)


# --- flattened pages -------------------------------------------------------------------------


def split_flattened(line: Line, report: Report, where: dict) -> list[Line]:
    """A long line of several structures, cut at headings, sections, sentences and tables."""
    text = line.text.strip()
    if len(text) <= FLATTENED_LENGTH or "\t" in text or text.count(" ") < 4:
        return [line]
    tokens = text.split(" ")
    pieces: list[str] = []
    index = 0
    while index < len(tokens):
        index = _next_piece(tokens, index, pieces)
    if len(pieces) < 3:
        return [line]
    report.add("structure", f"1行に詰まったページを {len(pieces)} 行に分けました",
               line=line.number, **where)  # fmt: skip
    return [Line(line.number, piece) for piece in pieces]


def _next_piece(tokens: list[str], index: int, pieces: list[str]) -> int:
    token = tokens[index]
    following = tokens[index + 1] if index + 1 < len(tokens) else ""
    header = _header_run(tokens, index)
    if header:
        return _flattened_table(tokens, index, header, pieces)
    if section_name(token):
        pieces.append(token)
        return index + 1
    joined = f"{token} {following}".strip()
    alone = read_heading(token)
    if following and (alone is None or not alone.title) and read_heading(joined) is not None:
        if not is_value(following) and not _header_run(tokens, index + 1):
            pieces.append(joined)
            return index + 2
    if read_heading(token) is not None and not token.endswith("。"):
        pieces.append(token)
        return index + 1
    if pieces and not pieces[-1].endswith("。") and _is_text(pieces[-1]) and _is_text(token):
        pieces[-1] += token
    else:
        pieces.append(token)
    return index + 1


def _is_text(text: str) -> bool:
    return bool(text) and read_heading(text) is None and not section_name(text)


def _header_run(tokens: list[str], index: int) -> int:
    """How many tokens from ``index`` form a table header (0 if none)."""
    count = 0
    while index + count < len(tokens) and _is_column_token(tokens[index + count]):
        count += 1
    names = sum(1 for t in tokens[index : index + count] if any(w in t for w in NAME_WORDS))
    return count if count >= 2 and names >= 1 else 0


def _is_column_token(token: str) -> bool:
    return len(token) <= 16 and any(word in token for word in COLUMN_WORDS)


def _flattened_table(tokens: list[str], index: int, count: int, pieces: list[str]) -> int:
    header = tokens[index : index + count]
    names = [i for i, t in enumerate(header) if any(w in t for w in NAME_WORDS)]
    if len(names) > 1:  # 成果指標 指標名 …: the first names the section
        pieces.append(" ".join(header[: names[-1]]))
        header = header[names[-1] :]
    pieces.append("\t".join(header))
    index += count
    width = len(header)
    while index < len(tokens):
        end = index
        while end < len(tokens) and not is_value(tokens[end]) and not _header_run(tokens, end):
            end += 1
        values = tokens[end : end + width - 1]
        if end == index or len(values) < width - 1 or not all(is_value(v) for v in values):
            break
        pieces.append("\t".join(["".join(tokens[index:end]), *values]))
        index = end + width - 1
    return index


# --- headings split over lines, codes alone ---------------------------------------------------


def strip_glued_page_number(line: Line, report: Report, where: dict) -> Line:
    match = _GLUED_PAGE.match(line.text.strip())
    if match is None:
        return line
    report.add("skipped", f"見出しの前に付いたページ番号 {match.group(1)}",
               line=line.number, original=match.group(1), **where)  # fmt: skip
    return Line(line.number, line.text.strip()[match.end() :])


def join_split_headings(lines: list[Line], report: Report, where: dict) -> list[Line]:
    """基本目標 / 1 / 安心して暮らせる / まちづくり → 基本目標 1 安心して暮らせるまちづくり."""
    out: list[Line] = []
    index = 0
    while index < len(lines):
        text = lines[index].text.strip()
        nxt = lines[index + 1].text.strip() if index + 1 < len(lines) else ""
        if _LEVEL_WORD_ALONE.match(text) and _NUMBER_ALONE.match(nxt):
            title, end = _title_lines(lines, index + 2)
            out.append(Line(lines[index].number, f"{text} {nxt} {title}".strip()))
            report.add("structure", f"{end - index} 行に分かれた見出しをつなぎました: "
                       f"{text} {nxt} {title}", line=lines[index].number, **where)  # fmt: skip
            index = end
            continue
        heading = read_heading(text)
        title, end = _title_block(lines, index + 1)
        if heading and heading.level_word and heading.number and not heading.title and title:
            out.append(Line(lines[index].number, f"{text} {title}"))
            report.add("structure", f"空行の後の題名を見出しにつなぎました: {text} {title}",
                       line=lines[index].number, **where)  # fmt: skip
            index = end
            continue
        out.append(lines[index])
        index += 1
    return out


def _title_block(lines: list[Line], start: int) -> tuple[str, int]:
    """``title_after_blank_lines``: the title of a heading or code printed alone, on the lines
    after the blank ones that follow it — a block of short lines (wrapped in a table cell)
    that a blank line ends; ("", start) when the block is no title (a sentence, a heading)."""
    index = start
    while index < len(lines) and not lines[index].text.strip():
        index += 1
    if index == start or index == len(lines) or read_heading(lines[index].text) is not None:
        return "", start
    title, end = _title_lines(lines, index)
    if not _is_title_text(title) or (end < len(lines) and lines[end].text.strip()):
        return "", start
    return title, end


def _title_lines(lines: list[Line], start: int) -> tuple[str, int]:
    """The title after a split level word and number: lines up to a blank line (≤ 40 chars)."""
    title, index = "", start
    while index < len(lines):
        text = lines[index].text.strip()
        if not text or len(title + text) > 40 or text.endswith("。") or "\t" in text:
            break
        if read_heading(text) is not None and title:
            break
        title += text
        index += 1
    return title, index


def attach_lone_codes(lines: list[Line], report: Report, where: dict) -> list[Line]:
    """A code alone on a line joins the title before it (without a blank line between) or,
    else, the title after it."""
    out: list[Line] = []
    index = 0
    while index < len(lines):
        text = lines[index].text.strip()
        if not _CODE_ALONE.match(text) or _PAGE_NUMBER.match(text) and len(text) <= 2:
            out.append(lines[index])
            index += 1
            continue
        before = out[-1].text.strip() if out else ""
        after = lines[index + 1].text.strip() if index + 1 < len(lines) else ""
        if _title_like(before) and read_heading(before) is None:
            out[-1] = Line(out[-1].number, f"{before}({text})")
            report.add("structure", f"1行だけのコード {text} を前の行の見出しに"
                       "つなぎました", line=lines[index].number, **where)  # fmt: skip
        elif _title_like(after) and read_heading(after) is None:
            out.append(Line(lines[index].number, f"{text} {after}"))
            report.add("structure", f"1行だけのコード {text} を次の行の見出しに"
                       "つなぎました", line=lines[index].number, **where)  # fmt: skip
            index += 1
        elif title := _title_block(lines, index + 1)[0]:
            out.append(Line(lines[index].number, f"{text} {title}"))
            report.add("structure", f"1行だけのコード {text} を空行の後の見出しに"
                       f"つなぎました: {title}", line=lines[index].number, **where)  # fmt: skip
            index = _title_block(lines, index + 1)[1] - 1
        else:
            out.append(lines[index])
        index += 1
    return out


def _title_like(text: str) -> bool:
    """A title a code beside it belongs to (not a unit that the number was the value of)."""
    return _is_title_text(text) and not re.match(r"^(?:年|月|日|人|件|円|%)", text)


def _is_title_text(text: str) -> bool:
    return (
        0 < len(text) <= 40
        and not text.endswith(("。", "、"))
        and "\t" not in text
        and not section_name(text)
        and bool(re.search(r"[^\x00-\x7f]", text))
        and not is_value(text)
    )


# --- page furniture ---------------------------------------------------------------------------


def skip_page_numbers(lines: list[Line], report: Report, where: dict) -> list[Line]:
    out = []
    for line in lines:
        text = line.text.strip()
        if text and _PAGE_NUMBER.match(text):
            report.add("skipped", f"ページ番号 {text}", line=line.number, original=text, **where)
            continue
        out.append(line)
    return out


def skip_photo_captions(lines: list[Line], report: Report, where: dict) -> list[Line]:
    """``photo_captions_are_noise``: a line ▲ 名称 captions a photo, a line 出典: … gives the
    source of a chart the text layer does not hold (the lines right below either, up to a blank
    line, continue it: a note on the chart); they are no content of the plan and are reported as
    noise. ▲ before a number is a minus sign and stays."""
    out: list[Line] = []
    caption = False
    for line in lines:
        text = line.text.strip()
        caption = bool(text) and (bool(_PHOTO_CAPTION.match(text)) or caption)
        if caption:
            report.add("noise", f"写真・図の説明や出典（本文ではない）: {text}", line=line.number,
                       original=text, **where)  # fmt: skip
            continue
        out.append(line)
    return out


def skip_page_furniture(lines: list[Line], report: Report, where: dict) -> list[Line]:
    """Web-page furniture (menus, survey links, addresses, page counters) in blocks from any
    front end: a text file's were dropped when it was normalized, a page's or a PDF's are here."""
    out = []
    for line in lines:
        reason = noise_reason(line.text.strip())
        if reason:
            report.add("skipped", f"ウェブページの部品（{NOISE_WORDS.get(reason, reason)}）",
                       line=line.number, original=line.text.strip(), **where)  # fmt: skip
            continue
        out.append(line)
    return out


def skip_boilerplate(lines: list[Line], report: Report, where: dict) -> list[Line]:
    """A short line printed identically on several pages (a running header) that is neither a
    heading nor a section name nor a level label (基本目標 over each goal) nor a table row."""
    counts = Counter(line.text.strip() for line in lines)
    texts = [line for line in lines if line.text.strip()]
    following = {line.number: after for line, after in zip(texts, texts[1:], strict=False)}
    out = []
    for line in lines:
        text = line.text.strip()
        after = following.get(line.number)
        if after is not None and captions_a_list(text, after.text):
            out.append(line)  # each chapter's caption of its list of contents
            continue
        if counts[text] >= 2 and _boilerplate(text):
            report.add("skipped", f"各ページにくり返されるヘッダー・フッター: {text}",
                       line=line.number, original=text, **where)  # fmt: skip
            continue
        out.append(line)
    return out


def _boilerplate(text: str) -> bool:
    return (
        4 <= len(text) <= 40
        and "\t" not in text
        and not text.endswith("。")
        and read_heading(text) is None
        and not section_name(text)
        and not level_label(text)
        and not text.startswith(("- ", "・", "|"))
        and not any(text.startswith(word) for word in COLUMN_WORDS)
    )
