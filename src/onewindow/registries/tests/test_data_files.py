"""The curated data files: codes exist in GB/T 4754-2017 with the same names, licensed
scope entries name their permit and department, every file has its provenance."""

from __future__ import annotations

import csv

import pytest

from onewindow.registries.names.vocabulary import DATA_DIR, get_vocabulary


@pytest.fixture(scope="module")
def standard(shared_data):
    path = shared_data / "industry_classification" / "gbt4754_2017_flat.csv"
    with path.open(encoding="utf-8") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


def rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_industry_wording_codes_are_gbt4754_2017(standard):
    wording = rows("industry_wording.csv")
    assert len(wording) == len({r["wording"] for r in wording}) == 137
    for row in wording:
        assert standard[row["class_code"]] == row["class_name"], row
        assert row["class_code"][:2] == row["division"] and row["division"] in standard


def test_scope_catalogue_entries(standard):
    entries = rows("scope_catalogue.csv")
    assert len({e["code"] for e in entries}) == len({e["wording"] for e in entries}) == len(entries)
    for entry in entries:
        assert entry["industry_code"] in standard, entry["code"]
        licensed = entry["kind"] == "licensed"
        assert licensed == bool(entry["permit_name"]) == bool(entry["approving_department"])
        assert entry["legal_basis"] and entry["source_note"], entry["code"]
    needed = {
        "食品生产",
        "食品销售",
        "药品零售",
        "第一类医疗器械销售",
        "第二类医疗器械销售",
        "第三类医疗器械经营",
        "出版物零售",
        "电影放映",
        "高危险性体育运动（游泳）",
        "营利性民办职业技能培训机构",
        "餐饮服务",
        "特种设备安装改造修理",
        "法定计量检定服务",
        "检验检测服务",
        "水泥生产",
    }
    assert needed <= {e["wording"] for e in entries}


def test_words_and_forms_load():
    vocab = get_vocabulary()
    kinds = {w.kind for w in vocab.words}
    assert kinds == {"prohibited", "restricted"}
    assert len({w.word for w in vocab.words}) == len(vocab.words)
    assert vocab.forms["有限公司"] == "1" and vocab.forms["农民专业合作社"] == "3"
    assert vocab.regions["武汉"].code == "420100" and vocab.regions["洪山区"].key == "420100"


def test_every_data_file_has_provenance():
    provenance = (DATA_DIR / "PROVENANCE.md").read_text(encoding="utf-8")
    for path in DATA_DIR.iterdir():
        if path.name != "PROVENANCE.md":
            assert f"`{path.name}`" in provenance, path.name
