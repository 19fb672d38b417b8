"""How long a 200-page plan PDF takes to read, and how much memory it needs.

    .venv/bin/python bench/pdf_200_pages.py [--pages 200] [--keep PATH]

Prints headless Chromium a plan of about 200 A4 pages in the style of the test documents
(headings, paragraphs, ruled KPI tables, a running header and page numbers), then reads it with
the PDF front end (``document_blocks``) and with the whole parser (``parse_file``: front end +
reader) in a fresh process each, and prints the wall time and the peak resident memory. The
target (issue 13): under 20 s and under 500 MB. On a shared machine the wall time includes
waiting for a core; the CPU time printed beside it does not.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "importers" / "documents"))

from make_documents import page, print_pdf  # noqa: E402

PARAGRAPH = (
    "市民と行政の良好なパートナーシップの構築を図ります。人口減少への対策として、移住・定住を"
    "促進する戦略的な取組を進めるとともに、本市の魅力を全国に発信し、市民が地域に愛着と誇りを"
    "感じるシビックプライドを醸成します。"
)

MEASURE = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from importers.parsing import parse_file
from importers.parsing.formats import document_blocks
from importers.parsing.model import Report
data = Path({path!r}).read_bytes()
start, cpu = time.perf_counter(), time.process_time()
if {whole}:
    plan = parse_file(data, "plan.pdf")
    count = sum(1 for _ in plan.walk())
    kpis = sum(len(node.indicators) for node in plan.walk())
else:
    blocks = document_blocks(data, "plan.pdf", Report())
    count, kpis = len(blocks), sum(1 for b in blocks if b.rows)
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": seconds, "cpu": cpu, "peak_mb": peak, "count": count, "kpis": kpis}}))
"""


def plan_html(goals: int) -> str:
    parts = ["<h1>第2次総合計画 後期基本計画</h1>"]
    for goal in range(1, goals + 1):
        parts.append(f"<h2>基本目標{goal} みんなの力で磨くまちづくり</h2>")
        for measure in range(1, 5):
            parts.append(f"<h3>施策{goal}-{measure} 市民協働・コミュニティ活動の推進</h3>")
            parts.append(f"<p>{PARAGRAPH * 3}</p><p>{PARAGRAPH * 2}</p>")
            parts.append(
                "<table><tr><th>成果指標</th><th>単位</th><th>現状値（令和3年度）</th>"
                "<th>目標値（令和9年度）</th></tr>"
            )
            for kpi in range(1, 4):
                parts.append(
                    f"<tr><td>まちづくり組織の認定団体数{goal}-{measure}-{kpi}</td><td>団体</td>"
                    f"<td>{60 + kpi}</td><td>{70 + kpi}</td></tr>"
                )
            parts.append("</table>")
    return page("総合計画", "\n".join(parts), "第2次総合計画 後期基本計画")


def page_count(path: Path) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


def measure(path: Path, whole: bool) -> dict:
    code = MEASURE.format(root=str(ROOT), path=str(path), whole=whole)
    result = subprocess.run(  # noqa: S603 - this interpreter on our own script
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--keep", help="also write the PDF here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.keep) if args.keep else Path(tmp) / "plan.pdf"
        goals = max(1, -(-args.pages // 2))  # a goal prints on a little over 2 pages
        print_pdf(plan_html(goals), path)
        pages = page_count(path)
        print(f"plan PDF: {pages} pages, {path.stat().st_size / 1e6:.1f} MB")
        for whole, label in (
            (False, "PDF front end (blocks)"),
            (True, "parse_file (front end + reader)"),
        ):
            best = min((measure(path, whole) for _ in range(2)), key=lambda r: r["seconds"])
            what = "nodes" if whole else "blocks"
            print(
                f"{label:32} {best['seconds']:6.2f} s (CPU {best['cpu']:5.2f} s)  "
                f"peak {best['peak_mb']:6.0f} MB  "
                f"{best['count']} {what}, {best['kpis']} {'KPIs' if whole else 'tables'}  "
                f"({pages / best['seconds']:.0f} pages/s; best of 2)"
            )


if __name__ == "__main__":
    main()
