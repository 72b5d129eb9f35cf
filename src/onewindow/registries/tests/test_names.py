"""The name check: structure, prohibited and restricted words, and conflicts — identical,
same trade name, homophone (pypinyin phrase mode), near-identical — each naming the
existing name; the in-memory index agrees with a brute-force scan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onewindow.registries.checks import check_name
from onewindow.registries.constants import NameStatus
from onewindow.registries.models import EnterpriseName, ExchangeRecord
from onewindow.registries.names import lookup, rules
from onewindow.registries.names.index import NameIndex, NameRow
from onewindow.registries.names.keys import near_identical, pinyin_key
from onewindow.registries.names.parse import parse_name
from onewindow.registries.services import name_row


def add(*names: str, status: str = NameStatus.REGISTERED, **fields) -> list[EnterpriseName]:  # type: ignore[no-untyped-def]
    rows = [name_row(parse_name(n), status=status, **fields) for n in names]
    for row in rows:
        row.save()
    return rows


@pytest.mark.parametrize(
    ("name", "region", "trade", "industry", "form"),
    [
        ("武汉鑫华信息技术有限公司", "武汉", "鑫华", "信息技术", "有限公司"),
        ("武汉市洪山区鑫华便利店", "武汉市洪山区", "鑫华", "便利", "店"),
        ("鑫华（武汉）信息技术有限公司", "武汉", "鑫华", "信息技术", "有限公司"),
        ("鑫华信息技术(武汉)有限公司", "武汉", "鑫华", "信息技术", "有限公司"),
        ("湖北新华科技发展股份有限公司", "湖北", "新华", "科技发展", "股份有限公司"),
        ("宜都汇通物流有限公司", "宜都", "汇通", "物流", "有限公司"),
        ("襄阳云帆合伙企业（有限合伙）", "襄阳", "云帆", "", "合伙企业（有限合伙）"),
        ("武汉 鑫华 信息技术 有限责任公司", "武汉", "鑫华", "信息技术", "有限责任公司"),
    ],
)
def test_parse(name, region, trade, industry, form):
    parsed = parse_name(name)
    assert (parsed.region_word, parsed.trade_name, parsed.industry_wording) == (
        region,
        trade,
        industry,
    )
    assert parsed.organisational_form == form


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("武汉鑫华信息技术有限公司", []),
        ("鑫华信息技术有限公司", ["name.region_missing"]),
        ("武汉鑫华信息技术", ["name.form_missing"]),
        ("武汉华信息技术有限公司", ["name.trade_name_too_short"]),
        ("武汉A8信息技术有限公司", ["name.trade_name_not_chinese"]),
        ("武汉汉阳信息技术有限公司", ["name.trade_name_is_industry"]),  # region 武汉汉阳
        ("武汉宜昌信息技术有限公司", ["name.trade_name_is_region"]),
        ("武汉鑫华有限公司", ["name.industry_missing"]),
    ],
)
def test_structure(name, codes):
    from onewindow.registries.names.vocabulary import get_vocabulary

    vocab = get_vocabulary()
    assert [i.code for i in rules.structure_issues(parse_name(name), vocab)] == codes


def test_prohibited_and_restricted_words_with_their_basis():
    from onewindow.registries.names.vocabulary import get_vocabulary

    vocab = get_vocabulary()
    issues = rules.word_issues("武汉中华银行科技有限公司", vocab)
    assert [(i.code, i.details["word"]) for i in issues] == [
        ("name.restricted_word", "中华"),
        ("name.restricted_word", "银行"),
    ]
    assert "商业银行法" in issues[1].details["basis"]
    assert [i.code for i in rules.word_issues("武汉博彩信息技术有限公司", vocab)] == [
        "name.prohibited_word"
    ]
    # 中央空调 and 保险柜 are trades, not the restricted words 中央 and 保险.
    assert rules.word_issues("武汉鑫华中央空调保险柜销售有限公司", vocab) == []


def test_pinyin_phrase_mode_and_near_identical():
    assert pinyin_key("鑫华") == pinyin_key("新华") == "xin hua"
    assert pinyin_key("银行") == "yin hang" and pinyin_key("重庆") == "chong qing"
    assert near_identical("鑫华达", "鑫华泰") and near_identical("鑫华达", "华鑫达")
    assert near_identical("鑫华达", "鑫华达通") and not near_identical("鑫华", "鑫泰")
    assert not near_identical("鑫华达", "泰华鑫")


@pytest.mark.django_db
def test_conflicts_name_the_existing_name(context):
    add(
        "武汉新华信息技术有限公司",
        "武汉鑫华达商贸有限公司",
        "武汉云帆餐饮管理有限公司",
        "武汉博远有限公司",
        "宜昌鑫华信息技术有限公司",
    )

    def codes(name: str) -> list[tuple[str, str]]:
        result = check_name(name=name, context=context)
        return [(i.code, i.details.get("existing_name", "")) for i in result.issues]

    assert codes("武汉新华信息技术有限公司") == [("name.identical", "武汉新华信息技术有限公司")]
    assert codes("武汉鑫华信息技术有限公司") == [
        ("name.homophone_trade_name", "武汉新华信息技术有限公司")
    ]
    assert codes("武汉新华软件有限责任公司") == [
        ("name.same_trade_name", "武汉新华信息技术有限公司")
    ]
    assert codes("武汉鑫华泰商贸有限公司") == [
        ("name.near_identical_trade_name", "武汉鑫华达商贸有限公司")
    ]
    assert codes("武汉云帆贸易有限公司") == []  # another industry
    assert codes("武汉博远餐饮有限公司") == [("name.same_trade_name", "武汉博远有限公司")]
    assert codes("襄阳新华信息技术有限公司") == []  # another region
    result = check_name(name="武汉鑫华信息技术有限公司", context=context)
    assert not result.passed and result.data["trade_name"] == "鑫华"
    record = ExchangeRecord.objects.filter(operation="check_name").last()
    assert (record.source, record.requester, record.outcome) == (
        "enterprise_names",
        "system:r03",
        "found",
    )


@pytest.mark.django_db
def test_released_names_count_for_one_year_and_lapsed_reservations_not_at_all(context):
    now = timezone.now()
    add(
        "武汉腾飞科技有限公司", status=NameStatus.RELEASED, released_at=now - dt.timedelta(days=100)
    )
    add(
        "武汉旭日科技有限公司", status=NameStatus.RELEASED, released_at=now - dt.timedelta(days=400)
    )
    add(
        "武汉朝阳科技有限公司",
        status=NameStatus.RESERVED,
        reserved_until=now - dt.timedelta(days=1),
    )
    add(
        "武汉晨光科技有限公司",
        status=NameStatus.RESERVED,
        reserved_until=now + dt.timedelta(days=9),
    )
    assert check_name(name="武汉腾飞科技有限公司", context=context).codes == ["name.identical"]
    assert check_name(name="武汉旭日科技有限公司", context=context).codes == []
    assert check_name(name="武汉朝阳科技有限公司", context=context).codes == []
    assert check_name(name="武汉晨光科技有限公司", context=context).codes == ["name.identical"]


@pytest.mark.django_db
def test_names_added_after_the_build_are_found(context):
    add("武汉远航科技有限公司")
    assert check_name(name="武汉远航科技有限公司", context=context).codes == ["name.identical"]
    add("武汉星辰科技有限公司")
    assert check_name(name="武汉星辰科技有限公司", context=context, fresh=True).codes == [
        "name.identical"
    ]
    assert lookup.get_index().last_pk == EnterpriseName.objects.order_by("-pk").first().pk


TRADES = st.text(alphabet="鑫新华化达大泰太", min_size=2, max_size=4)
INDUSTRIES = st.sampled_from(["信息技术", "商贸", "科技", ""])


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.tuples(TRADES, INDUSTRIES), min_size=1, max_size=25), TRADES, INDUSTRIES)
def test_index_finds_exactly_what_a_full_scan_finds(existing, trade, industry):
    names = {f"武汉{t}{i}有限公司" for t, i in existing}
    index = NameIndex()
    rows = []
    for pk, name in enumerate(sorted(names), start=1):
        p = parse_name(name)
        rows.append(NameRow(pk, name, p.region_key, p.industry_key, p.trade_name))
    index.build(rows[: len(rows) // 2])
    for row in rows[len(rows) // 2 :]:
        index.add(row)
    query = parse_name(f"武汉{trade}{industry}有限公司")
    found = {(c.code, c.existing.name) for c in lookup.conflicts(query, index)}
    scanned = set()
    for row in rows:
        existing_name = rules.Existing(
            row.name, row.trade_name, row.region_key, row.industry_key, row.pk
        )
        code = rules.conflict(query, existing_name)
        if code:
            scanned.add((code, row.name))
    assert found == scanned


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="鑫新华化达大泰太行长重乐银庆都朝和合还传会藏沈单", min_size=1, max_size=6))
def test_fast_pinyin_key_equals_pypinyin_phrase_mode(text):
    from pypinyin import Style, lazy_pinyin

    assert pinyin_key(text) == " ".join(lazy_pinyin(text, style=Style.NORMAL))
