"""Administrator loads from CSV and Excel: good rows loaded or updated, every bad row
reported with its row number, column, code and message, progress reported, one ledger
entry per load — and nothing stored before is lost."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook

from onewindow.ledger.models import LedgerEntry
from onewindow.registries.loaders import load_file
from onewindow.registries.models import (
    CreditRating,
    EnterpriseName,
    IndustryCode,
    ListEntry,
    MarketEntity,
    PropertyRecord,
    ScopeEntry,
)

pytestmark = pytest.mark.django_db
GOOD = "91420100177668591H"


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


ENTITY_HEADER = [
    "统一社会信用代码",
    "名称",
    "主体类型",
    "住所",
    "法定代表人",
    "法定代表人身份号码",
    "登记状态",
    "行业代码",
    "登记机关区划",
    "成立日期",
]


def test_market_entities_from_csv_with_a_row_error_report(tmp_path):
    path = write_csv(
        tmp_path / "entities.csv",
        [
            ENTITY_HEADER,
            [
                GOOD,
                "武汉中交鑫华信息技术有限公司",
                "企业",
                "湖北省武汉市汉阳区",
                "甲",
                "420106199001010028",
                "存续",
                "6560",
                "420100",
                "1999-06-01",
            ],
            [
                "91420100177668591X",
                "坏代码",
                "1",
                "武汉",
                "乙",
                "",
                "存续",
                "",
                "420100",
                "2020-01-01",
            ],
            [
                "911522010783762860",
                "武汉远航商贸有限公司",
                "9",
                "武汉",
                "丙",
                "",
                "存续",
                "",
                "420100",
                "2020/1/2",
            ],
            [
                "91152201078377449P",
                "武汉星辰商贸有限公司",
                "1",
                "武汉",
                "丁",
                "",
                "active",
                "",
                "4201",
                "2020-13-01",
            ],
            [GOOD, "重复", "1", "武汉", "甲", "", "存续", "", "420100", "2020-01-01"],
        ],
    )
    progress: list[tuple[int, int]] = []
    job = load_file(
        kind="market_entities",
        path=path,
        actor="user:admin",
        reason="导入",
        progress=lambda done, total: progress.append((done, total)),
    )
    assert (job.status, job.total_rows, job.loaded_rows, job.error_count) == ("finished", 5, 1, 4)
    assert [(e["row"], e["column"], e["code"]) for e in job.errors] == [
        (3, "uscc", "uscc.invalid_checksum"),
        (4, "entity_type", "load.bad_choice"),
        (5, "registration_authority", "load.bad_code"),
        (6, "uscc", "load.duplicate_key"),
    ]
    assert progress[-1] == (5, 5)
    entity = MarketEntity.objects.get()
    assert (entity.uscc, entity.entity_type, entity.status) == (GOOD, "1", "active")
    name = EnterpriseName.objects.get()
    assert (name.trade_name, name.industry_key, name.entity_id) == ("中交鑫华", "65", GOOD)
    entry = LedgerEntry.objects.get(subject=f"load:{job.pk}")
    assert entry.event == "registry_loaded"


def test_a_later_load_updates_and_a_rename_releases_the_old_name(tmp_path):
    header = [
        "uscc",
        "name",
        "entity_type",
        "registered_address",
        "legal_representative",
        "status",
        "registration_authority",
        "established_on",
    ]
    first = write_csv(
        tmp_path / "a.csv",
        [
            header,
            [GOOD, "武汉旧名科技有限公司", "1", "武汉", "甲", "active", "420100", "2020-01-01"],
        ],
    )
    second = write_csv(
        tmp_path / "b.csv",
        [
            header,
            [GOOD, "武汉新名科技有限公司", "1", "武汉", "甲", "active", "420100", "2020-01-01"],
        ],
    )
    load_file(kind="market_entities", path=first, actor="a", reason="r")
    load_file(kind="market_entities", path=second, actor="a", reason="r")
    assert MarketEntity.objects.get().name == "武汉新名科技有限公司"
    assert dict(EnterpriseName.objects.values_list("name", "status")) == {
        "武汉旧名科技有限公司": "released",
        "武汉新名科技有限公司": "registered",
    }


def test_excel_housing_file(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["不动产权证号", "坐落", "权利人", "权利人证件号", "用途", "面积"])
    sheet.append(
        [
            "鄂(2023)武汉市不动产权第0000001号",
            "湖北省武汉市洪山区珞喻路129号",
            "演示申请人",
            "420106199001010028",
            "办公",
            120.5,
        ]
    )
    sheet.append(
        ["鄂(2023)武汉市不动产权第0000002号", "武汉市江汉区新华路1号", "某公司", GOOD, "仓库", None]
    )
    sheet.append(["鄂(2023)武汉市不动产权第0000003号", "", "某人", "", "住宅", 80])
    book.save(tmp_path / "housing.xlsx")
    job = load_file(kind="housing", path=tmp_path / "housing.xlsx", actor="a", reason="r")
    assert (job.loaded_rows, job.error_count) == (1, 2)
    assert [(e["row"], e["column"], e["code"]) for e in job.errors] == [
        (3, "use", "load.bad_choice"),
        (4, "address", "load.required"),
    ]
    record = PropertyRecord.objects.get()
    assert (record.use, str(record.area_m2), record.address_key) == (
        "office",
        "120.50",
        "武汉市洪山区珞喻路129号",
    )


def test_gb18030_csv_of_lists_and_credit(tmp_path):
    lists = write_csv(
        tmp_path / "lists.csv",
        [
            ["名单", "证件类型", "证件号", "名称", "事由", "决定机关", "文书号", "列入日期"],
            [
                "失信被执行人",
                "公民身份号码",
                "420106199001010028",
                "演示申请人",
                "未履行",
                "法院",
                "(2025)鄂01执1号",
                "2025年1月2日",
            ],
        ],
        encoding="gb18030",
    )
    credit = write_csv(
        tmp_path / "credit.csv",
        [
            ["identifier_kind", "identifier", "grade", "rated_on", "authority"],
            ["uscc", GOOD, "B", "2025-06-01", "信用办"],
        ],
    )
    assert load_file(kind="restrictions", path=lists, actor="a", reason="r").error_count == 0
    assert load_file(kind="credit", path=credit, actor="a", reason="r").error_count == 0
    assert ListEntry.objects.get().kind == "dishonest_debtor"
    assert CreditRating.objects.get().grade == "B"


def test_a_file_without_the_needed_columns_fails_and_changes_nothing(tmp_path):
    ScopeEntry.objects.create(code="OW-G013", wording="软件开发", kind="general")
    path = write_csv(tmp_path / "scope.csv", [["wording"], ["软件开发"]])
    job = load_file(kind="business_scope", path=path, actor="a", reason="r")
    assert (job.status, job.errors[0]["code"]) == ("failed", "load.missing_columns")
    assert list(ScopeEntry.objects.values_list("code", "wording")) == [("OW-G013", "软件开发")]
    assert LedgerEntry.objects.get(subject=f"load:{job.pk}").event == "registry_load_failed"


def test_industries_from_the_shared_gbt4754_file(shared_data):
    path = shared_data / "industry_classification" / "gbt4754_2017_flat.csv"
    job = load_file(kind="industries", path=path, actor="a", reason="r")
    assert (job.loaded_rows, job.error_count) == (1971, 0)
    assert IndustryCode.objects.get(code="6560").name == "信息技术咨询服务"
    assert IndustryCode.objects.filter(level=4).count() == 1381
