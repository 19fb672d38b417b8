"""Decode plan text files and normalize them into numbered lines, reporting every change.

``decode`` accepts UTF-8 only (a BOM is allowed) and refuses empty, binary and wrongly
encoded files with a ``ParseError`` that names the line. ``normalize`` turns the text into
``Line`` objects that keep the ORIGINAL 1-based line numbers, so every later message can
point at the file as the city sent it. Nothing is changed silently: each change becomes an
``Issue`` in the report ("normalization", or "noise" for a dropped line).

What ``normalize`` does, in order, on every line:

1. HTML fragments (``<p>``, ``<ul>``/``<li>``, ``<br>``, ``style=…``, entities) become plain
   text lines; each block becomes its own ``Line`` with the number of the line it came from,
   ``<li>`` (and the items of a ``<ul>`` that lost its ``<li>`` tags) start with ``"- "``.
2. Control characters and U+FFFD (the mark of a character cut in half) are removed.
3. NFKC folds full-width digits, Latin letters and brackets, and half-width kana — except the
   circled numbers ①②③… that number actions (NFKC would turn ① into 1). ``FOLDS`` is applied
   first so that ～ becomes the wave dash 〜 instead of an ASCII tilde.
4. ``VARIANTS``: old, variant and OCR-confused characters become standard Japanese (國→国,
   戰→戦, 预→予 …); ー after a kanji becomes 一 and 一 between two katakana becomes ー.
5. Markdown left over from the PDF conversion (``**bold**``, ``^{*}``) is unwrapped; the
   footnote marks themselves (※, *, [*]) are kept.
6. Spaces: runs of spaces become one, spaces at the ends and around tabs (the column
   separator) go, and a space between two Japanese characters (a line-break artifact,
   "市民と行政が協働で運営する 実行委員会数") is removed.
7. Web-page noise lines (``NOISE``: 文字サイズ, MENU, page counters such as 6/37, survey links,
   postal addresses, site footers) are dropped.

Blank lines are kept as ``Line(number, "")``: the readers use them as paragraph breaks.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import defaultdict

from .errors import ParseError
from .model import Line, Report
from .radicals import RADICALS, has_radicals

# Old (旧字体), variant (異体字) and simplified-Chinese forms that OCR produces, mapped to the
# standard Japanese form (常用漢字 / JIS). NFKC leaves these alone. Only characters that are
# never correct in a modern Japanese plan are listed: old forms still used in personal and
# place names (髙, 﨑, 邊, 齋, 澤, 濱, 廣, 龍, 眞, 彌, 瀧, 驒) and simplified forms that are
# also Japanese characters (机, 筑, 准, 据) are left out.
VARIANTS: dict[str, str] = {
    # 旧字体 → 新字体
    "亞": "亜", "惡": "悪", "壓": "圧", "圍": "囲", "醫": "医", "爲": "為", "壹": "壱",
    "隱": "隠", "營": "営", "榮": "栄", "衞": "衛", "驛": "駅", "圓": "円", "鹽": "塩",
    "應": "応", "歐": "欧", "價": "価", "畫": "画", "會": "会", "壞": "壊", "懷": "懐",
    "繪": "絵", "擴": "拡", "覺": "覚", "學": "学", "樂": "楽", "氣": "気", "歸": "帰",
    "舊": "旧", "據": "拠", "擧": "挙", "區": "区", "驅": "駆", "經": "経", "繼": "継",
    "輕": "軽", "鷄": "鶏", "藝": "芸", "缺": "欠", "儉": "倹", "劍": "剣", "圈": "圏",
    "檢": "検", "權": "権", "獻": "献", "險": "険", "驗": "験", "顯": "顕", "縣": "県",
    "效": "効", "恆": "恒", "黃": "黄", "號": "号", "國": "国", "濟": "済",
    "劑": "剤", "參": "参", "棧": "桟", "蠶": "蚕", "慘": "惨", "贊": "賛",
    "殘": "残", "絲": "糸", "齒": "歯", "兒": "児", "辭": "辞", "濕": "湿", "實": "実",
    "寫": "写", "舍": "舎", "釋": "釈", "壽": "寿", "收": "収", "從": "従", "澁": "渋",
    "獸": "獣", "縱": "縦", "肅": "粛", "處": "処", "敍": "叙", "將": "将", "奬": "奨",
    "燒": "焼", "稱": "称", "證": "証", "乘": "乗", "剩": "剰", "壤": "壌", "孃": "嬢",
    "條": "条", "淨": "浄", "狀": "状", "疊": "畳", "讓": "譲", "釀": "醸", "觸": "触",
    "囑": "嘱", "寢": "寝", "愼": "慎", "盡": "尽", "圖": "図", "粹": "粋",
    "醉": "酔", "隨": "随", "髓": "髄", "數": "数", "樞": "枢", "聲": "声", "靜": "静",
    "齊": "斉", "攝": "摂", "竊": "窃", "專": "専", "戰": "戦", "淺": "浅", "潛": "潜",
    "纖": "繊", "踐": "践", "錢": "銭", "禪": "禅", "雙": "双", "壯": "壮", "搜": "捜",
    "插": "挿", "爭": "争", "總": "総", "聰": "聡", "莊": "荘", "裝": "装", "騷": "騒",
    "增": "増", "臟": "臓", "藏": "蔵", "屬": "属", "續": "続", "墮": "堕", "體": "体",
    "對": "対", "帶": "帯", "滯": "滞", "臺": "台", "擇": "択",
    "單": "単", "擔": "担", "膽": "胆", "團": "団", "彈": "弾", "斷": "断", "癡": "痴",
    "遲": "遅", "晝": "昼", "蟲": "虫", "鑄": "鋳", "廳": "庁", "聽": "聴", "敕": "勅",
    "鎭": "鎮", "遞": "逓", "鐵": "鉄", "轉": "転", "點": "点", "傳": "伝", "黨": "党",
    "盜": "盗", "燈": "灯", "當": "当", "鬭": "闘", "德": "徳", "獨": "独", "讀": "読",
    "屆": "届", "繩": "縄", "貳": "弐", "惱": "悩", "腦": "脳", "霸": "覇", "廢": "廃",
    "拜": "拝", "賣": "売", "麥": "麦", "發": "発", "髮": "髪", "拔": "抜", "晚": "晩",
    "蠻": "蛮", "祕": "秘", "甁": "瓶", "拂": "払", "佛": "仏", "竝": "並",
    "變": "変", "辨": "弁", "瓣": "弁", "辯": "弁", "舖": "舗", "步": "歩",
    "穗": "穂", "寶": "宝", "豐": "豊", "沒": "没", "萬": "万", "滿": "満", "默": "黙",
    "譯": "訳", "藥": "薬", "與": "与", "豫": "予", "餘": "余", "譽": "誉",
    "搖": "揺", "樣": "様", "謠": "謡", "來": "来", "賴": "頼", "亂": "乱", "覽": "覧",
    "兩": "両", "獵": "猟", "綠": "緑", "壘": "塁", "勵": "励", "禮": "礼",
    "隸": "隷", "靈": "霊", "齡": "齢", "戀": "恋", "爐": "炉", "勞": "労", "樓": "楼",
    "錄": "録", "灣": "湾", "觀": "観", "歡": "歓", "關": "関", "鑛": "鉱",
    # simplified Chinese forms that OCR produces for Japanese characters
    "预": "予", "发": "発", "经": "経", "济": "済", "对": "対", "设": "設", "计": "計",
    "务": "務", "议": "議", "员": "員", "动": "動", "实": "実", "现": "現", "进": "進",
    "环": "環", "护": "護", "资": "資", "产": "産", "农": "農", "华": "華", "说": "説",
    "话": "話", "语": "語", "书": "書", "见": "見", "观": "観", "关": "関", "开": "開",
    "问": "問", "间": "間", "题": "題", "应": "応", "疗": "療", "卫": "衛", "养": "養",
    "龄": "齢", "险": "険", "检": "検", "验": "験", "证": "証", "项": "項", "顺": "順",
    "领": "領", "马": "馬", "鸟": "鳥", "鱼": "魚", "财": "財", "贡": "貢", "费": "費",
    "贸": "貿", "购": "購", "让": "譲", "认": "認", "识": "識", "训": "訓", "记": "記",
    "讲": "講", "论": "論", "评": "評", "课": "課", "调": "調", "谈": "談", "请": "請",
    "读": "読", "诉": "訴", "该": "該", "详": "詳", "试": "試", "谢": "謝", "组": "組",
    "织": "織", "终": "終", "给": "給", "统": "統", "络": "絡", "结": "結", "绩": "績",
    "续": "続", "维": "維", "线": "線", "练": "練", "细": "細", "级": "級", "约": "約",
    "纳": "納", "纸": "紙", "绍": "紹", "绿": "緑", "编": "編", "缩": "縮", "际": "際",
    "陆": "陸", "阶": "階", "隐": "隠", "岁": "歳", "气": "気", "汉": "漢", "灾": "災",
    "热": "熱", "爱": "愛", "电": "電", "众": "衆", "优": "優", "价": "価", "传": "伝",
    "伤": "傷", "侧": "側", "债": "債", "倾": "傾", "兴": "興", "军": "軍", "决": "決",
    "况": "況", "减": "減", "击": "撃", "创": "創", "别": "別", "劳": "労", "势": "勢",
    "单": "単", "卖": "売", "协": "協", "历": "歴", "压": "圧", "厅": "庁", "县": "県",
    "变": "変", "启": "啓", "围": "囲", "图": "図", "团": "団", "园": "園", "场": "場",
    "报": "報", "处": "処", "备": "備", "奋": "奮", "妇": "婦", "审": "審", "宪": "憲",
    "导": "導", "层": "層", "岛": "島", "师": "師", "带": "帯", "庆": "慶", "库": "庫",
    "废": "廃", "张": "張", "弹": "弾", "归": "帰", "录": "録", "彻": "徹", "总": "総",
    "恶": "悪", "惯": "慣", "战": "戦", "扩": "拡", "执": "執", "拥": "擁", "择": "択",
    "换": "換", "损": "損", "摄": "摂", "敌": "敵", "无": "無", "显": "顕", "术": "術",
    "杂": "雑", "权": "権", "构": "構", "标": "標", "样": "様", "桥": "橋", "欢": "歓",
    "汤": "湯", "泽": "沢", "测": "測", "浓": "濃", "渔": "漁", "满": "満", "滨": "浜",
    "营": "営", "监": "監", "盘": "盤", "确": "確", "础": "礎", "离": "離", "积": "積",
    "稳": "穏", "竞": "競", "笔": "筆", "简": "簡", "类": "類", "粮": "糧", "紧": "緊",
    "荣": "栄", "药": "薬", "获": "獲", "补": "補", "规": "規", "视": "視", "觉": "覚",
    "览": "覧", "讨": "討", "许": "許", "访": "訪", "诊": "診", "词": "詞", "译": "訳",
    "误": "誤", "负": "負", "责": "責", "贤": "賢", "败": "敗", "货": "貨", "质": "質",
    "贵": "貴", "贷": "貸", "贺": "賀", "赏": "賞", "赞": "賛", "转": "転", "轮": "輪",
    "软": "軟", "轻": "軽", "载": "載", "较": "較", "输": "輸", "边": "辺", "达": "達",
    "过": "過", "运": "運", "还": "還", "远": "遠", "连": "連", "迟": "遅", "选": "選",
    "适": "適", "遗": "遺", "邮": "郵", "邻": "隣", "释": "釈", "针": "針", "钱": "銭",
    "铁": "鉄", "银": "銀", "错": "錯", "键": "鍵", "长": "長", "门": "門", "闭": "閉",
    "闻": "聞", "队": "隊", "阳": "陽", "阴": "陰", "陈": "陳", "难": "難", "须": "須",
    "顾": "顧", "频": "頻", "颜": "顔", "额": "額", "风": "風", "飞": "飛", "饭": "飯",
    "馆": "館", "鲜": "鮮", "龙": "竜", "东": "東", "车": "車", "时": "時", "业": "業",
}  # fmt: skip

# Applied before NFKC: ～ (full-width tilde) would otherwise become an ASCII "~"; the minus
# and hyphen look-alikes become "-" so that "−0.98%" reads as a negative number.
FOLDS: dict[str, str] = {"～": "〜", "\u2212": "-", "\u2010": "-", "\u2011": "-"}

# Kept out of NFKC: circled numbers ①–⑳, ㉑–㊿, ⓪ and circled katakana ㋐…, which number items.
_KEEP = re.compile("[\u2460-\u2473\u24ea\u3251-\u325f\u32b1-\u32bf\u32d0-\u32fe]+")

# What the report calls each kind of web-page furniture.
NOISE_WORDS = {
    "font-size control": "文字サイズの切り替え",
    "site navigation": "サイトのメニュー",
    "page counter": "ページ番号",
    "survey link": "アンケートへの案内",
    "postal address": "住所",
    "site footer": "サイトのフッター",
}

# Whole-line patterns of web-page furniture, with the reason reported when a line is dropped.
NOISE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("font-size control", re.compile(r"文字サイズ.{0,20}")),
    (
        "site navigation",
        re.compile(
            r"MENU|Menu|menu|メニュー|メニューを(開く|閉じる)|閉じる|HOME|ホーム|サイトマップ"
            r"|ページの?(先頭|トップ)へ(戻る)?|トップへ戻る|前のページへ?|次のページへ?|印刷(する)?"
            r"|検索|自治体の皆さまへ|本文へ(スキップ)?|ナビゲーションへ"
        ),
    ),
    ("page counter", re.compile(r"\d{1,4} ?/ ?\d{1,4}|- ?\d{1,4} ?-")),
    ("survey link", re.compile(r"[<(]?(この記事|このページ)(について|は|に関する).{0,40}[>)]?")),
    ("survey link", re.compile(r".{0,20}アンケートにご協力.{0,20}")),
    ("postal address", re.compile(r"〒 ?\d{3}-?\d{4}.*")),
    ("site footer", re.compile(r".{0,40}(マイ広報紙|Copyright|©|All Rights Reserved).{0,40}")),
)

_JAPANESE = (
    "\u3001-\u303f"  # punctuation 、。「」〜々〆 (not the ideographic space)
    "\u3040-\u30ff"  # hiragana, katakana, ・ and ー
    "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
)
_SPACE_BETWEEN_JAPANESE = re.compile(f"(?<=[{_JAPANESE}]) (?=[{_JAPANESE}])")
_KANJI = "\u3400-\u4dbf\u4e00-\u9fff々"
_KATAKANA = "\u30a1-\u30fa\u30fc-\u30ff"
_CHOON_AFTER_KANJI = re.compile(f"(?<=[{_KANJI}])ー")
_ICHI_IN_KATAKANA = re.compile(f"(?<=[{_KATAKANA}])一(?=[{_KATAKANA}])")
_BOLD = re.compile(r"(?<![^\s(「、。:])\*\*([^\s*][^\s]*?\*?)\*\*")
_SUPERSCRIPT = re.compile(r"\^\{([^{}]{1,5})\}")
_RUBY = re.compile("\\^\\{[\u3041-\u309f\u30a1-\u30ff]{1,10}\\}")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd]")

_TAG = re.compile(
    r"<(/?)(p|div|span|ul|ol|li|br|b|i|u|em|strong|font|small|big|sup|sub|a|img|table|thead"
    r"|tbody|tfoot|tr|td|th|h[1-6]|section|article|header|footer|nav|blockquote)\b[^<>]*>",
    re.IGNORECASE,
)
_ENTITY = re.compile(r"&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
_BLOCK_TAGS = frozenset(
    "p div ul ol li br table thead tbody tfoot tr h1 h2 h3 h4 h5 h6 section article header "
    "footer nav blockquote".split()
)


# --- decoding --------------------------------------------------------------------------------


def decode(data: bytes, source: str) -> str:
    """The text of a UTF-8 file (a BOM is allowed); ParseError for anything else."""
    if not data:
        raise ParseError(source, 0, "a UTF-8 plan text", "an empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError(source, 1, "UTF-8 text", "a UTF-16 byte-order mark")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ParseError(
            source, _line_at(data, nul), "a text file", f"binary data (NUL byte at {nul})"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = _line_at(data, exc.start)
        raise ParseError(source, line, "UTF-8 text", _describe_bad_bytes(data, exc.start)) from None
    control = _CONTROL.findall(text)
    if len(control) > max(8, len(text) // 20):
        first = _CONTROL.search(text)
        line = text.count("\n", 0, first.start()) + 1 if first else 0
        raise ParseError(
            source, line, "a text file", f"binary data ({len(control)} control characters)"
        )
    if not text.strip():
        raise ParseError(source, 0, "a UTF-8 plan text", "only blank lines")
    return text


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _describe_bad_bytes(data: bytes, offset: int) -> str:
    bad = data[offset : offset + 2].hex(" ")
    start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[start:offset].decode("utf-8", errors="replace")) + 1
    for encoding, name in (
        ("shift_jis", "Shift_JIS"),
        ("cp932", "Shift_JIS"),
        ("euc_jp", "EUC-JP"),
    ):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return f"bytes {bad} at column {column}, which look like {name} text"
    return f"bytes {bad} at column {column}, which are not valid UTF-8"


# --- normalization ---------------------------------------------------------------------------


def normalize(text: str, source: str, report: Report, join_spaces: bool = True) -> list[Line]:
    """Normalized lines with their original 1-based numbers; every change goes to ``report``.

    ``join_spaces=False`` keeps single spaces between Japanese characters: they may separate the
    cells of a table or the parts of a flattened page, which the reader recovers first (it
    joins the spaces left inside titles and text itself, ``join_japanese_spaces``).
    """
    raw_lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if raw_lines and raw_lines[-1] == "":
        raw_lines.pop()  # the newline that ends the last line does not start a new one
    folds: dict[tuple[str, str], list[int]] = defaultdict(list)
    lines: list[Line] = []
    for number, raw in enumerate(raw_lines, start=1):
        for piece in _html_to_text(raw, source, number, report):
            clean = _normalize_piece(piece, source, number, report, folds, join_spaces)
            reason = noise_reason(clean)
            if reason:
                report.add(
                    "noise",
                    f"ウェブページの部品を除きました（{NOISE_WORDS.get(reason, reason)}）",
                    source=source,
                    line=number,
                    original=clean,
                )
                continue
            lines.append(Line(number, clean))
    _report_folds(folds, source, report)
    return lines


def normalize_text(text: str, source: str, report: Report, line: int = 1) -> str:
    """One piece of text (a heading, a paragraph, a table cell) normalized as ``normalize`` does
    a line: for front ends that take text from elsewhere than a text file. Lines of a multi-line
    text are numbered from ``line``; no line is dropped as noise."""
    folds: dict[tuple[str, str], list[int]] = defaultdict(list)
    pieces = [
        _normalize_piece(piece, source, line + offset, report, folds)
        for offset, piece in enumerate(text.split("\n"))
    ]
    _report_folds(folds, source, report)
    return "\n".join(pieces)


def _normalize_piece(
    text: str,
    source: str,
    number: int,
    report: Report,
    folds: dict[tuple[str, str], list[int]],
    join_spaces: bool = True,
) -> str:
    where = {"source": source, "line": number}
    for bad in _CONTROL.findall(text):
        name = "U+FFFD (a character cut in half)" if bad == "\ufffd" else f"U+{ord(bad):04X}"
        report.add("normalization", f"removed {name}", original=bad, **where)
    text = _CONTROL.sub("", text)
    text = _replace_radicals(text, report, where)
    text = _fold(text, number, folds)
    text = _replace_variants(text, report, where)
    text = _unwrap_markup(text, report, where)
    return _tidy_spaces(text, report, where, join_spaces)


def _replace_radicals(text: str, report: Report, where: dict) -> str:
    """Radical code points of PDF text layers (⽬, ⺠) become the kanji they stand for, before
    NFKC (which would give some of them old forms); each is reported."""
    if not has_radicals(text):
        return text
    for char in dict.fromkeys(c for c in text if c in RADICALS):
        report.add("normalization", f"radical {char} (U+{ord(char):04X}) → {RADICALS[char]}",
                   original=char, replacement=RADICALS[char], **where)  # fmt: skip
    return text.translate(str.maketrans(RADICALS))


def _fold(text: str, number: int, folds: dict[tuple[str, str], list[int]]) -> str:
    """FOLDS, then NFKC everywhere except circled numbers; changes are collected per pair."""
    parts: list[str] = []
    position = 0
    for kept in _KEEP.finditer(text):
        parts.append(_fold_plain(text[position : kept.start()], number, folds))
        parts.append(kept.group())
        position = kept.end()
    parts.append(_fold_plain(text[position:], number, folds))
    return "".join(parts)


def _fold_plain(text: str, number: int, folds: dict[tuple[str, str], list[int]]) -> str:
    for char in dict.fromkeys(text):  # document order: the report must not vary between runs
        folded = FOLDS.get(char) or unicodedata.normalize("NFKC", char)
        if folded != char:
            folds[(char, folded)].append(number)
    return unicodedata.normalize("NFKC", text.translate(str.maketrans(FOLDS)))


def _report_folds(folds: dict[tuple[str, str], list[int]], source: str, report: Report) -> None:
    """One issue per folded character, listing its lines (a per-line issue would drown the rest)."""
    for (original, replacement), numbers in sorted(
        folds.items(), key=lambda item: (item[1][0], item[0])
    ):
        shown = ", ".join(str(n) for n in numbers[:20]) + (", …" if len(numbers) > 20 else "")
        report.add(
            "normalization",
            f"folded {original!r} → {replacement!r} (NFKC) on {len(numbers)} line(s): {shown}",
            source=source,
            line=numbers[0],
            original=original,
            replacement=replacement,
        )


def _replace_variants(text: str, report: Report, where: dict) -> str:
    if not text.isascii():
        for char in dict.fromkeys(text):
            if char in VARIANTS:
                report.add(
                    "normalization",
                    f"variant character {char} → {VARIANTS[char]}",
                    original=char,
                    replacement=VARIANTS[char],
                    **where,
                )
                text = text.replace(char, VARIANTS[char])
        text = _replace_reported(
            _CHOON_AFTER_KANJI, "一", "ー after a kanji read as 一", text, report, where
        )
        text = _replace_reported(
            _ICHI_IN_KATAKANA, "ー", "一 inside katakana read as ー", text, report, where
        )
    return text


def _replace_reported(
    pattern: re.Pattern[str],
    replacement: str,
    message: str,
    text: str,
    report: Report,
    where: dict,
) -> str:
    for match in pattern.finditer(text):
        context = text[max(0, match.start() - 2) : match.end() + 2]
        fixed = context.replace(match.group(), replacement, 1)
        report.add("normalization", message, original=context, replacement=fixed, **where)
    return pattern.sub(replacement, text)


def _unwrap_markup(text: str, report: Report, where: dict) -> str:
    """``**bold**`` and ``^{*}`` are conversion leftovers: the text inside them stays, except
    for ruby (a reading in kana after a word, 舵取り^{かじ}), which goes."""
    for match in _RUBY.finditer(text):
        report.add("normalization", "ruby reading removed", original=match.group(), **where)
    text = _RUBY.sub("", text)
    for pattern, message in ((_BOLD, "markdown bold removed"), (_SUPERSCRIPT, "superscript")):
        for match in pattern.finditer(text):
            report.add(
                "normalization",
                message,
                original=match.group(),
                replacement=match.group(1),
                **where,
            )
        text = pattern.sub(r"\1", text)
    return text


def _tidy_spaces(text: str, report: Report, where: dict, join_spaces: bool = True) -> str:
    if not text.strip():
        return ""  # spaces or tabs only: a blank line
    # A run of spaces inside a line separates columns (pdftotext -layout tables): make it a tab.
    text = re.sub(r"(?<=\S) {2,}(?=\S)", "\t", text.strip(" "))
    text = re.sub(r" *\t *", "\t", text)
    return join_japanese_spaces(text, report, where) if join_spaces else text


def join_japanese_spaces(text: str, report: Report, where: dict) -> str:
    """A space between two Japanese characters is a line-break artifact: removed, reported."""
    for match in _SPACE_BETWEEN_JAPANESE.finditer(text):
        context = text[max(0, match.start() - 2) : match.end() + 2]
        report.add(
            "normalization",
            "space between Japanese characters removed",
            original=context,
            replacement=context.replace(" ", ""),
            **where,
        )
    return _SPACE_BETWEEN_JAPANESE.sub("", text)


def noise_reason(text: str) -> str:
    """Why a whole line is web-page furniture (a ``NOISE`` reason), or "" when it is not."""
    if not text or len(text) > 120:
        return ""
    for reason, pattern in NOISE:
        if pattern.fullmatch(text):
            return reason
    return ""


# --- HTML ------------------------------------------------------------------------------------


def _html_to_text(raw: str, source: str, number: int, report: Report) -> list[str]:
    """The text lines of one source line: itself, or the blocks of the HTML it holds."""
    if "<" not in raw and "&" not in raw:
        return [raw]
    if not _TAG.search(raw) and not _ENTITY.search(raw):
        return [raw]
    pieces = _html_blocks(raw)
    report.add(
        "normalization",
        f"HTML reduced to {len(pieces)} text line(s)",
        source=source,
        line=number,
        original=raw,
        replacement="\n".join(pieces),
    )
    return pieces


def _html_blocks(raw: str) -> list[str]:
    pieces: list[str] = []
    current: list[str] = []
    list_depth = 0
    in_item = False

    def flush() -> None:
        text = "".join(current).strip()
        current.clear()
        if text and text != "-":
            pieces.append(text)

    position = 0
    for tag in _TAG.finditer(raw + "<br>"):
        text = html.unescape(raw[position : tag.start()])
        position = tag.end()
        if list_depth and not in_item and text.strip():
            # a <ul> whose <li> tags were lost: its items are separated by runs of spaces
            for item in re.split(r"\s{2,}|\t", text.strip()):
                pieces.append(f"- {item}")
        else:
            current.append(text)
        closing, name = tag.group(1) == "/", tag.group(2).lower()
        if name in ("td", "th") and closing:
            current.append("\t")
        elif name in _BLOCK_TAGS:
            flush()
            if name in ("ul", "ol"):
                list_depth = max(0, list_depth + (-1 if closing else 1))
            elif name == "li":
                in_item = not closing
                if in_item:
                    current.append("- ")
    return pieces or [""]
