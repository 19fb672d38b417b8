"""The staff screen 「年度実績の入力」: one page per plan and year, one submit saves them all."""

import html
import re
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from indicators import messages
from indicators.models import Indicator, IndicatorValue
from plans.models import Municipality, Plan

URL = reverse("admin:indicators_yearly_entry")


@pytest.fixture
def omitama(samples) -> Plan:
    return Plan.objects.get(municipality__slug="omitama")


@pytest.fixture
def editor(samples) -> User:
    """A staff member of 小美玉市 only, with the permissions on yearly values."""
    user = User.objects.create_user("omitama-staff", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="indicators",
            codename__in=["add_indicatorvalue", "change_indicatorvalue", "view_indicatorvalue"],
        )
    )
    Municipality.objects.get(slug="omitama").editors.add(user)
    return user


def page(client, plan, year=2024, **extra):
    return client.get(URL, {"plan": plan.pk, "year": year, **extra})


def form_data(page: str) -> dict[str, str]:
    """The inputs of the entry form as the browser would send them."""
    form = page[page.index('class="entry-values"') :]
    data = {}
    for tag in re.findall(r"<input [^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if name:
            value = re.search(r'value="([^"]*)"', tag)
            data[name.group(1)] = html.unescape(value.group(1)) if value else ""
    return data


def test_only_plans_the_user_may_edit_are_offered(client, editor, omitama):
    client.force_login(editor)
    html = client.get(URL).content.decode()
    options = re.findall(r'<option value="(\d+)"', html)
    assert options == [str(omitama.pk)]
    honjo = Plan.objects.get(municipality__slug="honjo")
    html = page(client, honjo).content.decode()
    assert 'class="entry-values"' not in html  # another city's plan: no table, an error


def test_every_kpi_of_the_plan_on_one_page(client, editor, omitama):
    client.force_login(editor)
    html = page(client, omitama).content.decode()
    names = re.findall(r'<th scope="row" id="kpi-\d+">([^<]+?) ?<', html)
    assert len(names) == 21
    assert names[0] == "まちづくり組織認定団体数"
    assert "令和6年度" in html
    # Every input is named by its KPI and its column.
    first = Indicator.objects.get(plan=omitama, key="11:まちづくり組織認定団体数")
    assert f'aria-labelledby="kpi-{first.pk} col-value"' in html


def test_one_submit_saves_every_kpi(client, editor, omitama):
    client.force_login(editor)
    data = form_data(page(client, omitama).content.decode())
    indicators = list(Indicator.objects.filter(plan=omitama).order_by("pk"))
    for n, indicator in enumerate(indicators):
        data[f"value_{indicator.pk}"] = f"{100 + n:,}"
    data[f"raw_{indicators[0].pk}"] = ""
    data[f"note_{indicators[0].pk}"] = "速報値"
    response = client.post(f"{URL}?plan={omitama.pk}&year=2024", data)
    assert response.status_code == 302
    saved = IndicatorValue.objects.filter(indicator__plan=omitama, fiscal_year=2024)
    assert saved.count() == 21
    assert sorted(v.value for v in saved) == [D(100 + n) for n in range(21)]
    assert saved.get(indicator=indicators[0]).note == "速報値"
    assert saved.get(indicator=indicators[0]).history.get().history_user == editor
    html = client.get(response["Location"]).content.decode()
    assert "追加 21件、変更 0件、削除 0件" in html


def test_a_word_in_the_number_column_is_refused_whole(client, editor, omitama):
    client.force_login(editor)
    data = form_data(page(client, omitama).content.decode())
    first, second = Indicator.objects.filter(plan=omitama).order_by("pk")[:2]
    data[f"value_{first.pk}"] = "70"
    data[f"value_{second.pk}"] = "設置済"
    response = client.post(f"{URL}?plan={omitama.pk}&year=2024", data)
    assert response.status_code == 200
    assert str(messages.NOT_A_NUMBER) in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_a_value_changed_by_someone_else_is_not_overwritten(client, editor, omitama):
    client.force_login(editor)
    data = form_data(page(client, omitama).content.decode())
    first = Indicator.objects.filter(plan=omitama).order_by("pk").first()
    IndicatorValue.objects.create(indicator=first, fiscal_year=2024, value=71, raw_text="71団体")
    data[f"value_{first.pk}"] = "70"
    response = client.post(f"{URL}?plan={omitama.pk}&year=2024", data)
    assert response.status_code == 200
    assert str(messages.STALE_VALUES) in response.content.decode()
    assert IndicatorValue.objects.get(indicator=first).value == 71


def test_a_node_narrows_the_page_to_its_kpis(client, editor, omitama):
    client.force_login(editor)
    node = omitama.nodes.get(code="14")
    html = page(client, omitama, node=node.pk).content.decode()
    names = re.findall(r'<th scope="row" id="kpi-\d+">([^<]+?) ?<', html)
    assert names == [
        "「第4次小美玉市行財政改革大綱」計画期間の財政効果額*",
        "経常収支比率",
        "「第4次定員適正化計画」期間の職員数",
    ]
