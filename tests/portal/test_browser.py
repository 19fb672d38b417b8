"""A citizen in a real browser (headless Debian chromium): navigation, search, keyboard, axe.

Screenshots of every page type at desktop and phone width go to ``artifacts/`` (git-ignored).
"""

import json
import re

import pytest

from indicators.models import Indicator

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}

# The three KPIs of 小美玉市 基本施策1 as printed in the sample text (令和3年度 → 令和9年度).
BASIC_POLICY_1_KPIS = [
    ("まちづくり組織認定団体数", "64団体", "76団体"),
    ("まちづくり組織ウェブサイト立ち上げ数", "8件", "14件"),
    ("市民と行政が協働で運営する実行委員会数", "24件", "30件"),
]


def open_page(browser, viewport="desktop", cookies=(), bypass_csp=False):
    context = browser.new_context(
        viewport=VIEWPORTS[viewport], locale="ja-JP", bypass_csp=bypass_csp
    )
    context.add_cookies(list(cookies))
    return context.new_page()


def assert_fits_width(page, width):
    page.wait_for_load_state("load")  # mid-navigation there is no documentElement yet
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways: {scroll_width}px > {width}px"


def shoot(page, artifacts, viewport, name):
    page.screenshot(path=str(artifacts / f"{viewport}-{name}.png"), full_page=True)


def assert_basic_policy_1_kpis(page):
    table = page.locator("table.kpi-table").first
    rows = table.locator("tbody tr")
    assert rows.count() == 3
    for row, (name, baseline, target) in zip(rows.all(), BASIC_POLICY_1_KPIS, strict=True):
        cells = [cell.inner_text() for cell in row.locator("th, td").all()]
        assert name in cells[0]
        assert baseline in cells[1].replace("\n", "") and "令和3年度 (2021)" in cells[1]
        assert target in cells[2].replace("\n", "") and "令和9年度 (2027)" in cells[2]
        assert "—" in cells[3]  # no actual yet: a dash, never 0


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_citizen_navigates_to_measure_1101_and_searches(browser, live_samples, artifacts, viewport):
    """Home → 小美玉市 → 基本目標1 → 基本施策1 (its three KPIs) → 個別施策1101; then searches
    「防災」 and 「子育て」 and lands on nodes about them — on desktop and on a 360 px phone."""
    width = VIEWPORTS[viewport]["width"]
    page = open_page(browser, viewport)
    page.goto(live_samples.url + "/")
    assert page.locator("html").get_attribute("lang") == "ja"
    shoot(page, artifacts, viewport, "home")
    page.get_by_role("link", name=re.compile("小美玉市")).first.click()
    shoot(page, artifacts, viewport, "municipality")
    page.locator("main .plan-list a").first.click()
    page.wait_for_url(re.compile(r"/omitama/[\w-]+/$"))
    assert_fits_width(page, width)
    shoot(page, artifacts, viewport, "plan")

    page.get_by_role("link", name=re.compile(r"^基本目標 1 みんなの力で磨くまちづくり")).click()
    assert "みんなの力で磨くまちづくり" in page.locator("h1").inner_text()
    page.get_by_role("link", name=re.compile("市民協働・コミュニティ活動の推進")).first.click()
    assert "市民協働・コミュニティ活動の推進" in page.locator("h1").inner_text()
    assert_basic_policy_1_kpis(page)
    assert_fits_width(page, width)
    shoot(page, artifacts, viewport, "node")

    page.get_by_role("link", name="まちづくり組織認定団体数").first.click()
    assert page.locator("h1").inner_text() == "まちづくり組織認定団体数"
    assert page.locator("svg.chart").count() == 1
    assert page.locator("table.values-table tbody tr").count() == 2  # baseline and target
    shoot(page, artifacts, viewport, "indicator")
    page.go_back()

    page.get_by_role("link", name=re.compile("1101 市民協働推進のための環境づくり")).click()
    page.wait_for_url("**/omitama/2023/1101/")
    heading = page.locator("h1").inner_text()
    assert "個別施策" in heading and "1101" in heading
    assert_basic_policy_1_kpis(page)  # what 1101 contributes to: the KPIs of 基本施策1

    for word, expected in [("防災", "防災"), ("子育て", "子育て環境の充実")]:
        page.locator("#site-search-q").fill(word)
        page.locator("#site-search-q").press("Enter")
        summary = page.locator(".result-summary").inner_text()
        assert re.search(rf"「{word}」の検索結果: 項目 [1-9]\d*件", summary)
        first = page.locator("#node-results-heading + ol.results > li a, ol.results a").first
        assert word in first.locator("mark").first.inner_text()
        page.get_by_role("link", name=re.compile(expected)).first.click()
        assert word in page.locator("h1").inner_text()
        assert_fits_width(page, width)
    shoot(page, artifacts, viewport, "search-target")
    page.goto(live_samples.url + "/search/?q=子育て")
    shoot(page, artifacts, viewport, "search")
    page.goto(live_samples.url + "/omitama/2023/no-such-code/")
    assert "ページが見つかりません" in page.locator("h1").inner_text()
    shoot(page, artifacts, viewport, "404")
    page.context.close()


def page_urls(base: str) -> dict[str, str]:
    kpi = Indicator.objects.filter(plan__municipality__slug="omitama", node__code="11").first()
    return {
        "home": f"{base}/",
        "plan": f"{base}/omitama/2023/",
        "node": f"{base}/omitama/2023/11/",
        "indicator": base + kpi.get_absolute_url(),
        "search": f"{base}/search/?q=防災",
        "404": f"{base}/omitama/2023/9999/",
    }


FOCUS_PROBE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    href: el.getAttribute('href'), tag: el.tagName, id: el.dataset.probe || null,
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0
      && box.left < window.innerWidth && box.top < window.innerHeight,
  };
}"""

MARK_LINKS = """() => {
  const links = [...document.querySelectorAll('a[href]')]
    .filter(a => a.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}));
  links.forEach((a, i) => { a.dataset.probe = String(i); });
  return links.length;
}"""


def test_keyboard_reaches_every_link_with_visible_focus(browser, live_samples):
    """Tabbing through each page type focuses every visible link, each with an outline."""
    page = open_page(browser)
    for name, url in page_urls(live_samples.url).items():
        page.goto(url)
        link_count = page.evaluate(MARK_LINKS)
        reached, unmarked = set(), []
        for _ in range(link_count + 40):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUS_PROBE)
            if focused is None:
                continue
            assert focused["outline"] and focused["onScreen"], (
                f"{name}: no visible focus: {focused}"
            )
            if focused["id"] is not None:
                reached.add(focused["id"])
            elif focused["tag"] == "A":
                unmarked.append(focused["href"])  # focus on a link that is not visible
            if len(reached) == link_count:
                break
        missing = set(map(str, range(link_count))) - reached
        assert not missing, f"{name}: links not reachable by Tab: {missing}"
        assert not unmarked, f"{name}: Tab focuses links that are not visible: {unmarked}"
    page.context.close()


AXE_RUN = """async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return {
    engine: results.testEngine.name,
    rules: results.passes.length + results.violations.length + results.incomplete.length,
    violations: results.violations
      .filter(v => v.impact === 'serious' || v.impact === 'critical')
      .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target)})),
  };
}"""


@pytest.mark.parametrize("text_size", ["normal", "xlarge"])
def test_axe_finds_no_serious_violations(browser, live_samples, axe_source, text_size):
    """axe-core reports no serious or critical violation (contrast included) on any page type,
    at the default text size and at 特大 (150 %)."""
    cookies = []
    if text_size != "normal":
        cookies = [{"name": "textsize", "value": text_size, "url": live_samples.url}]
    # axe-core goes in as an inline script, which the pages' Content-Security-Policy refuses.
    page = open_page(browser, cookies=cookies, bypass_csp=True)
    failures = {}
    for name, url in page_urls(live_samples.url).items():
        page.goto(url)
        if text_size != "normal":
            assert "text-xlarge" in page.locator("html").get_attribute("class")
        page.add_script_tag(content=axe_source)
        result = page.evaluate(AXE_RUN)
        assert result["engine"] == "axe-core" and result["rules"] > 10
        if result["violations"]:
            failures[name] = result["violations"]
    page.context.close()
    assert not failures, json.dumps(failures, ensure_ascii=False, indent=1)
