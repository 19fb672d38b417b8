"""The planner workbook as the round-trip file for a year's actuals: export with the 実績入力
sheet for a year, fill it as a planner does in Excel, preview exactly what changes, apply;
nothing else changes, and bad files change nothing."""

import io
import re
from decimal import Decimal as D

import openpyxl
import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from exports.actuals import ActualsError, apply_input, preview_input, read_input_sheet
from exports.workbook import SHEET_INPUT, SHEET_STAMPS, write_plan_workbook
from indicators import services
from indicators.models import Indicator, IndicatorValue
from plans.models import Municipality, Plan
from plans.tenancy import SYSTEM
from tests.exports.excel_samples import load_sample_plan


@pytest.fixture
def omitama(db) -> Plan:
    return load_sample_plan("omitama")


def export(plan, year=2024) -> bytes:
    buffer = io.BytesIO()
    write_plan_workbook(plan, buffer, input_year=year)
    return buffer.getvalue()


def fill(data: bytes, cells: dict[str, dict[str, object]]) -> bytes:
    """Type into the input sheet as a planner does: {KPI key: {column header: value}}."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book[SHEET_INPUT]
    headers = [cell.value for cell in sheet[1]]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    for key, typed in cells.items():
        for header, value in typed.items():
            column = next(i for i, h in enumerate(headers) if h.startswith(header))
            rows[key][column].value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        (v.indicator_id, v.fiscal_year): (v.value, v.raw_text, v.note, v.source)
        for v in IndicatorValue.objects.all()
    }


def test_the_input_sheet_comes_first_with_every_kpi_and_the_year(omitama):
    book = openpyxl.load_workbook(io.BytesIO(export(omitama)))
    assert book.sheetnames[0] == SHEET_INPUT
    sheet = book[SHEET_INPUT]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["キー", "項目", "指標名"]
    assert headers[-4:] == ["実績値 令和6年度（2024）", "実績値（原文）", "備考", "出典"]
    assert headers[7] == "前年度の実績 令和5年度（2023）"
    keys = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert keys == list(
        Indicator.objects.filter(plan=omitama)
        .order_by("node__tree_id", "node__lft", "order", "pk")
        .values_list("key", flat=True)
    )
    assert len(keys) == 21
    # 経常収支比率 85.5 → 88.0以下: the comparator as printed; percent figures as typed.
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "14:経常収支比率")
    assert row[4:7] == (85.5, 88.0, "以下")
    validation = sheet.data_validations.dataValidation[0]
    assert validation.type == "decimal" and str(validation.sqref) == "I2:I22"
    assert {p.name: p.value for p in book.custom_doc_props.props} == {
        "plan": "omitama/2023",
        "input_year": 2024,
    }
    # The 年度別実績 sheet has a column for the input year too.
    assert "令和6年度（2024）" in [c.value for c in book["年度別実績"][1]]


def test_round_trip_changes_exactly_the_filled_cells(omitama):
    by_key = {i.key: i for i in Indicator.objects.filter(plan=omitama)}
    services.yearly_values_save(
        actor=SYSTEM,
        plan=omitama,
        fiscal_year=2024,
        entries=[
            services.YearlyEntry(by_key["11:まちづくり組織認定団体数"].pk, D(66), note="速報値")
        ],
    )
    services.yearly_values_save(
        actor=SYSTEM,
        plan=omitama,
        fiscal_year=2023,
        entries=[services.YearlyEntry(by_key["11:まちづくり組織ウェブサイト立ち上げ数"].pk, D(9))],
    )
    before = snapshot()
    filled = fill(
        export(omitama),
        {
            "11:まちづくり組織認定団体数": {"実績値 ": 67},  # was 66: a change (its note stays)
            "12:審議会等委員への女性登用の割合": {"実績値 ": 30.5},  # % KPI typed as 30.5
            "13:ホームページ閲覧回数": {"実績値 ": 4100000, "出典": "アクセス解析"},
            "14:経常収支比率": {"実績値 ": "89.2"},  # typed as text: read as the number
        },
    )
    sheet = read_input_sheet(filled)
    assert sheet.year == 2024
    preview = preview_input(omitama, sheet)
    assert [
        (c.indicator.key, c.before and c.before.value, c.after.value, c.after.raw_text)
        for c in preview.changes
    ] == [
        ("11:まちづくり組織認定団体数", D(66), D(67), "67団体"),
        ("12:審議会等委員への女性登用の割合", None, D("30.5"), "30.5%"),
        ("13:ホームページ閲覧回数", None, D(4100000), "4,100,000回"),
        ("14:経常収支比率", None, D("89.2"), "89.2"),
    ]
    assert snapshot() == before  # a preview writes nothing
    apply_input(preview, actor=SYSTEM)
    after = snapshot()
    changed = {key for key in after if after[key] != before.get(key)}
    assert changed == {
        (by_key[k].pk, 2024)
        for k in (
            "11:まちづくり組織認定団体数",
            "12:審議会等委員への女性登用の割合",
            "13:ホームページ閲覧回数",
            "14:経常収支比率",
        )
    }
    assert after[(by_key["11:まちづくり組織認定団体数"].pk, 2024)] == (
        D(67),
        "67団体",
        "速報値",
        "",
    )
    assert after[(by_key["13:ホームページ閲覧回数"].pk, 2024)][3] == "アクセス解析"
    # The same file again changes nothing.
    assert preview_input(omitama, read_input_sheet(filled)).changes == []


def test_prefilled_rows_left_alone_change_nothing(omitama):
    kpi = Indicator.objects.get(plan=omitama, key="12:審議会等委員への女性登用の割合")
    services.yearly_values_save(
        actor=SYSTEM,
        plan=omitama,
        fiscal_year=2024,
        entries=[services.YearlyEntry(kpi.pk, D("30.0"))],
    )
    sheet = read_input_sheet(export(omitama))
    assert [r.value for r in sheet.rows if r.key == "12:審議会等委員への女性登用の割合"] == [
        D("30.0")
    ]
    assert preview_input(omitama, sheet).changes == []


def test_an_old_file_does_not_put_back_what_was_entered_since(omitama):
    """Written when まちづくり組織認定団体数 was 66; 70 was entered on the entry screen since,
    and ホームページ閲覧回数 got its first actual. The old file still says 66 for the first
    (row 2) and types 5 for the second (row 7, after the three KPIs of 11 and the two of 12):
    both rows would overwrite a newer entry, so the file is refused and nothing is saved."""
    by_key = {i.key: i for i in Indicator.objects.filter(plan=omitama)}

    def enter(key, number):
        services.yearly_values_save(
            actor=SYSTEM,
            plan=omitama,
            fiscal_year=2024,
            entries=[services.YearlyEntry(by_key[key].pk, D(number))],
        )

    enter("11:まちづくり組織認定団体数", 66)
    old = export(omitama)
    enter("11:まちづくり組織認定団体数", 70)
    enter("13:ホームページ閲覧回数", 4000000)
    before = snapshot()
    filled = fill(
        old,
        {
            "12:審議会等委員への女性登用の割合": {"実績値 ": 30.5},
            "13:ホームページ閲覧回数": {"実績値 ": 5},
        },
    )
    with pytest.raises(ActualsError) as error:
        preview_input(omitama, read_input_sheet(filled))
    assert error.value.errors == [
        "2行目（11:まちづくり組織認定団体数）: このファイルを書き出した後に実績が変更されています"
        "（現在「70団体」、このファイル「66団体」）。書き出し直して入力してください。",
        "7行目（13:ホームページ閲覧回数）: このファイルを書き出した後に実績が変更されています"
        "（現在「4,000,000回」、このファイル「5回」）。書き出し直して入力してください。",
        "このファイルからは何も保存していません。",
    ]
    assert snapshot() == before
    # Written again, the same typing goes through: only the typed rows change.
    fresh = fill(
        export(omitama),
        {
            "12:審議会等委員への女性登用の割合": {"実績値 ": 30.5},
            "13:ホームページ閲覧回数": {"実績値 ": 5},
        },
    )
    changes = preview_input(omitama, read_input_sheet(fresh)).changes
    assert [(c.indicator.key, c.after.value) for c in changes] == [
        ("12:審議会等委員への女性登用の割合", D("30.5")),
        ("13:ホームページ閲覧回数", D(5)),
    ]


def test_a_file_without_its_versions_is_refused(omitama):
    book = openpyxl.load_workbook(io.BytesIO(export(omitama)))
    del book[SHEET_STAMPS]
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ActualsError) as error:
        read_input_sheet(out.getvalue())
    assert error.value.errors == [
        "「版」シートがありません。ポータルで書き出したファイルを使ってください。"
    ]


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"11:まちづくり組織認定団体数": {"実績値 ": "設置済"}},
         "2行目（11:まちづくり組織認定団体数）: 実績値は数値で入力してください（「設置済」）。"),
        ({"11:まちづくり組織認定団体数": {"キー": "99:9", "実績値 ": 1}},
         "2行目: この計画にキー「99:9」の成果指標はありません。"),
        ({"11:まちづくり組織ウェブサイト立ち上げ数": {"キー": "11:まちづくり組織認定団体数"}},
         "3行目: キー「11:まちづくり組織認定団体数」は2行目と重複しています。"),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_with_its_row_and_changes_nothing(omitama, cells, message):
    filled = fill(export(omitama), cells)
    with pytest.raises(ActualsError) as error:
        preview_input(omitama, read_input_sheet(filled))
    assert message in error.value.errors
    assert not IndicatorValue.objects.exists()


def test_another_plans_file_is_refused(omitama):
    honjo = load_sample_plan("honjo")
    with pytest.raises(ActualsError) as error:
        preview_input(honjo, read_input_sheet(export(omitama)))
    assert error.value.errors == [
        "このファイルは計画「omitama/2023」のものです。取り込み先は「honjo/2023」です。"
    ]


def test_a_text_file_is_refused():
    with pytest.raises(ActualsError) as error:
        read_input_sheet("キー,実績値\n11:1,70\n".encode())
    assert "Excelブック（.xlsx）として読めません" in error.value.errors[0]


@pytest.fixture
def staff(omitama) -> User:
    user = User.objects.create_user("omitama-staff", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="indicators",
            codename__in=["add_indicatorvalue", "change_indicatorvalue", "view_indicatorvalue"],
        )
    )
    Municipality.objects.get(slug="omitama").editors.add(user)
    return user


def test_admin_exports_previews_and_applies(client, staff, omitama):
    client.force_login(staff)
    url = reverse("admin:exports_yearly_actuals")
    response = client.get(url, {"plan": omitama.pk, "year": 2024})
    assert response["Content-Disposition"] == 'attachment; filename="omitama-2023-2024.xlsx"'
    filled = fill(
        response.content,
        {
            "11:まちづくり組織認定団体数": {"実績値 ": 70},
            "11:まちづくり組織ウェブサイト立ち上げ数": {"実績値 ": 12},
        },
    )
    upload = io.BytesIO(filled)
    upload.name = "filled.xlsx"
    html = client.post(url, {"plan": omitama.pk, "workbook": upload}).content.decode()
    assert "2024年度の実績: 2件が変わります" in html
    assert not IndicatorValue.objects.exists()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    response = client.post(url, {"token": token, "apply": ""})
    assert response.status_code == 302
    saved = IndicatorValue.objects.filter(fiscal_year=2024).order_by(
        "indicator_id"
    )  # the plan's order
    assert [(v.indicator.key, v.value) for v in saved] == [
        ("11:まちづくり組織認定団体数", D(70)),
        ("11:まちづくり組織ウェブサイト立ち上げ数", D(12)),
    ]
    assert saved[0].history.get().history_user == staff
    # Applying the same preview again is refused: the actuals changed since it was made.
    client.post(url, {"token": token, "apply": ""})
    assert IndicatorValue.objects.filter(fiscal_year=2024).count() == 2
