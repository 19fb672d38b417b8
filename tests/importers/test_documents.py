"""Plan documents as staff have them, read end to end (front end + the one reader): the outline
of every test document under tests/importers/documents/, written by hand from the plan texts in
make_documents.py.

Each expectation is the plan as a person reads the printed page: nodes (code and title,
indented under their parent) and under each node its KPIs as
``KPI name | unit | baseline (fiscal year) → target (fiscal year)``, raw values as printed.
Running headers, footers and page numbers appear nowhere.
"""

from pathlib import Path

import pytest

from importers.outline import outline_dict
from importers.parsing import parse_file

DOCUMENTS = Path(__file__).resolve().parent / "documents"

NISHIHAMA = """
1 安心して子どもを産み育てられるまち
  1-1 子育て支援の充実
    KPI 子育て支援センターの利用者数 | 人 | 12,480 (2021) → 15,000 (2027)
    KPI 待機児童数 | 人 | 8 (2021) → 0 (2027)
  1-2 学校教育の推進
    KPI 授業がわかると答えた児童の割合 | % | 78.5 (2021) → 85.0 (2027)
2 健康でいきいきと暮らせるまち
  2-1 健康づくりの推進
    KPI 特定健康診査の受診率 | % | 41.2 (2021) → 60.0 (2027)
    KPI 市民一人あたりの医療費 | 千円 | 385 (2021) → 380以下 (2027)
"""

KAWAGUCHI = """
1 活力ある産業のまち
  1-1 商工業の振興
    KPI 創業支援件数 | 件 | 24件(R3) (2021) → 40件(R9) (2027)
    KPI 空き店舗数 | 店舗 | 31店舗(R3) (2021) → 20店舗(R9) (2027)
  1-2 農業の振興
    KPI 新規就農者数 | 人 | 5人(R3) (2021) → 10人(R9) (2027)
"""

HIGASHIYAMA = """
1-1 防災体制の強化
  KPI 自主防災組織の組織率 | % | 62.0 (2022) → 80.0 (2028)
  KPI 防災訓練の参加者数 | 人 | 1,150 (2022) → 1,500 (2028)
1-2 交通安全の推進
  KPI 交通事故の発生件数 | 件 | 46 (2022) → 30以下 (2028)
"""

EXPECTED = {
    "pdf/nishihama.pdf": NISHIHAMA,
    "html/nishihama.html": NISHIHAMA,
    "docx/nishihama.docx": NISHIHAMA,
    "pdf/kawaguchi.pdf": KAWAGUCHI,
    "html/kawaguchi_sjis.html": KAWAGUCHI,
    # the Word file's first table has one KPI only; its headings are numbered by Word
    "docx/kawaguchi.docx": """
1 活力ある産業のまち
  1-1 商工業の振興
    KPI 創業支援件数 | 件 | 24件(R3) (2021) → 40件(R9) (2027)
  1-2 農業の振興
    KPI 新規就農者数 | 人 | 5人(R3) (2021) → 10人(R9) (2027)
""",
    "pdf/higashiyama.pdf": HIGASHIYAMA,
    "html/higashiyama.html": HIGASHIYAMA,
    # a code column with a merged cell places the KPIs of one table under two nodes
    "docx/higashiyama.docx": """
1-1 防災体制の強化
  KPI 自主防災組織の組織率 | % | 62.0% (2022) → 80.0% (2028)
  KPI 防災訓練の参加者数 | 人 | 1,150人 (2022) → 1,500人 (2028)
1-2 交通安全の推進
  KPI 交通事故の発生件数 | 件 | 46件 (2022) → 30件以下 (2028)
""",
    # a flat KPI list: the code column places each KPI, the title column names its node
    "xlsx/nishihama.xlsx": """
1-1 子育て支援の充実
  KPI 子育て支援センターの利用者数 | 人 | 12,480 (2021) → 15,000 (2027)
  KPI 待機児童数 | 人 | 8 (2021) → 0 (2027)
1-2 学校教育の推進
  KPI 授業がわかると答えた児童の割合 | % | 78.5% (2021) → 85.0% (2027)
2-1 健康づくりの推進
  KPI 特定健康診査の受診率 | % | 41.2% (2021) → 60.0% (2027)
""",
    # a section column ("1 活力ある産業のまち", merged over its KPIs); the final target is the
    # last 目標値 column (令和9年度), the 令和7年度 one an interim target
    "xlsx/kawaguchi.xlsx": """
1 活力ある産業のまち
  KPI 創業支援件数 | 件 | 24件 (2021) → 40件 (2027)
  KPI 空き店舗数 | 店舗 | 31店舗 (2021) → 20店舗 (2027)
2 にぎわいと交流のまち
  KPI 観光入込客数 | 人 | 412,000人 (2021) → 500,000人 (2027)
""",
    # one sheet per 基本目標 (its caption names it); a 施策 column of "code title"
    "xlsx/higashiyama.xlsx": """
1 安全・安心な村づくり
  1-1 防災体制の強化
    KPI 自主防災組織の組織率 | % | 62 (2022) → 80 (2028)
  1-2 交通安全の推進
    KPI 交通事故の発生件数 | 件 | 46 (2022) → 30以下 (2028)
2 豊かな自然と共生する村づくり
  2-1 ごみの減量化
    KPI ごみの排出量(一人一日あたり) | g | 812 (2022) → 750 (2028)
""",
}
CSV = """
1-1 子育て支援の充実
  KPI 子育て支援センターの利用者数 | 人 | 12,480 (2021) → 15,000 (2027)
  KPI 待機児童数 | 人 | 8 (2021) → 0 (2027)
1-2 学校教育の推進
  KPI 授業がわかると答えた児童の割合 | % | 78.5 (2021) → 85.0 (2027)
2-1 健康づくりの推進
  KPI 市民一人あたりの医療費 | 千円 | 385 (2021) → 380以下 (2027)
"""
EXPECTED["csv/nishihama_cp932.csv"] = CSV
EXPECTED["csv/nishihama_utf8bom.csv"] = CSV
# a progress sheet in UTF-8 without a BOM: a code column apart from the 施策名 column places
# each KPI; the yearly actual columns (令和5年度実績, 令和6年度実績) are neither baseline nor target
EXPECTED["csv/higashiyama.csv"] = """
1-1 防災体制の強化
  KPI 自主防災組織の組織率 | % | 62.0 (2022) → 80.0 (2028)
  KPI 防災訓練の参加者数 | 人 | 1,150 (2022) → 1,500 (2028)
1-2 交通安全の推進
  KPI 交通事故の発生件数 | 件 | 46 (2022) → 30以下 (2028)
2-1 ごみの減量化
  KPI ごみの排出量(一人一日あたり) | g | 812 (2022) → 750 (2028)
"""


def outline_text(plan) -> str:
    """The parsed plan in the notation of the expectations above."""
    outline = outline_dict(plan)
    depth = {}
    lines = []
    kpis = {}
    for indicator in outline["indicators"]:
        kpis.setdefault(indicator["node_key"], []).append(indicator)
    for node in outline["nodes"]:
        depth[node["key"]] = depth.get(node["parent_key"], -1) + 1
        indent = "  " * depth[node["key"]]
        label = f"{node['code']} {node['title']}" if node["code"] else node["title"]
        lines.append(indent + label)
        for kpi in kpis.get(node["key"], []):
            base, target = kpi["baseline"], kpi["target"]
            lines.append(
                f"{indent}  KPI {kpi['name']} | {kpi['unit']} | "
                f"{base['raw']} ({base['fiscal_year']}) → {target['raw']} ({target['fiscal_year']})"
            )
    return "\n".join(lines)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_document_gives_its_plan_outline_with_exact_kpis(name):
    path = DOCUMENTS / name
    plan = parse_file(path.read_bytes(), path.name)
    assert outline_text(plan) == EXPECTED[name].strip()


def kpi_lines(outline: str) -> list[str]:
    return sorted(line.strip() for line in outline.splitlines() if line.strip().startswith("KPI"))


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_document_gives_its_kpis_exactly(name):
    """Every KPI of every document: name, unit, baseline and target as printed, and their
    fiscal years (wherever the reader places them in the tree)."""
    path = DOCUMENTS / name
    plan = parse_file(path.read_bytes(), path.name)
    assert kpi_lines(outline_text(plan)) == kpi_lines(EXPECTED[name])


def test_every_document_has_an_expected_outline():
    """A new test document must come with its outline (a missing one is a failure)."""
    documents = {
        f"{folder}/{path.name}"
        for folder in ("pdf", "html", "docx", "xlsx", "csv")
        for path in (DOCUMENTS / folder).iterdir()
    }
    assert documents == set(EXPECTED)
    for kind in ("pdf", "html", "docx", "xlsx", "csv"):
        assert sum(1 for name in EXPECTED if name.startswith(kind)) >= 3, kind
