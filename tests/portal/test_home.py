"""The home page at national size: 1,741 municipalities, one query, under 100 KB."""

import itertools

import pytest

from plans.models import Municipality, Plan
from plans.prefectures import PREFECTURES

NATIONAL = 1741  # municipalities in Japan (792 市, 743 町, 183 村, 23 特別区)
LIMIT = 100_000  # bytes

# Names of three characters like 東松市 (about the national mean: 札幌市, 小樽市, 七飯町, but
# 小美玉市) and slugs of ten letters (romaji names run from "otaru" to "higashimatsuyama").
NAMES = [
    "".join(parts) for parts in itertools.product("東西南北上下新大小高", "松川山田野原島沢井崎")
]


@pytest.fixture
def national_municipalities(db):
    municipalities = Municipality.objects.bulk_create(
        Municipality(
            name=f"{NAMES[n % len(NAMES)]}{'市町村'[n % 3]}",
            prefecture=PREFECTURES[n % len(PREFECTURES)],
            slug=f"city{n:06d}",
            local_gov_code=f"{n:06d}",
        )
        for n in range(NATIONAL)
    )
    Plan.objects.bulk_create(
        Plan(
            municipality=municipality,
            title="総合計画 基本計画",
            slug="2024",
            level_names=["基本目標", "基本施策"],
            status=Plan.Status.PUBLISHED,
        )
        for municipality in municipalities
    )


def test_home_lists_the_whole_country_under_100_kb_in_one_query(
    national_municipalities, client, django_assert_num_queries
):
    with django_assert_num_queries(1):
        response = client.get("/")
    html = response.content.decode()
    assert len(response.content) < LIMIT, f"home weighs {len(response.content):,} bytes"
    assert html.count('<h3 id="pref-') == 47
    assert html.count('<li><a href="/city') == NATIONAL
    assert html.index(">北海道 <") < html.index(">青森県 <") < html.index(">沖縄県 <")
