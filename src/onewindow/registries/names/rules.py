"""Pure rules of the name check: structure, forbidden words, and conflicts with a name
already in the index. Each issue carries a stable code, the existing name and a remedy.

Conflicts follow 《企业名称登记管理规定》 (2020) art. 17 as applied by the platform: within
one region key (prefecture, or the province), a trade name may not repeat, sound like, or be
one edit from the trade name of a name in use in the same industry — or of a name with no
industry wording, which conflicts with every industry.
"""

from __future__ import annotations

from dataclasses import dataclass

from onewindow.registries.names.keys import near_identical, pinyin_key
from onewindow.registries.names.parse import NO_INDUSTRY, ParsedName, is_standard_chinese
from onewindow.registries.names.vocabulary import Vocabulary
from onewindow.registries.results import WARNING, Issue

IDENTICAL = "name.identical"
SAME_TRADE_NAME = "name.same_trade_name"
HOMOPHONE = "name.homophone_trade_name"
NEAR_IDENTICAL = "name.near_identical_trade_name"
CONFLICT_CODES = (IDENTICAL, SAME_TRADE_NAME, HOMOPHONE, NEAR_IDENTICAL)

_RENAME_ZH = "请更换字号后重新申报；如与该企业有投资关系，请提交相关证明"
_RENAME_EN = "Choose another trade name, or show an investment relation with that company"


def structure_issues(parsed: ParsedName, vocab: Vocabulary) -> list[Issue]:
    issues: list[Issue] = []

    def add(code: str, zh: str, en: str, rzh: str, ren: str, severity: str = "error") -> None:
        issues.append(Issue(code, zh, en, rzh, ren, severity, {"name": parsed.name}))

    if not parsed.organisational_form:
        add(
            "name.form_missing",
            "名称缺少组织形式（如“有限公司”）",
            "The name has no organisational form (e.g. 有限公司)",
            "在名称末尾加上与企业类型相符的组织形式",
            "End the name with the organisational form of the entity type",
        )
    if parsed.region is None:
        add(
            "name.region_missing",
            "名称缺少行政区划名称",
            "The name does not contain an administrative region",
            "在名称前冠以所在地行政区划名称，如“武汉”",
            "Start the name with the region, e.g. 武汉",
        )
    trade = parsed.trade_name
    if len(trade) < 2:
        add(
            "name.trade_name_too_short",
            "字号应当由两个以上汉字组成",
            "A trade name has at least two Chinese characters",
            "使用两个以上汉字作为字号",
            "Use a trade name of two or more Chinese characters",
        )
    elif not is_standard_chinese(trade):
        add(
            "name.trade_name_not_chinese",
            "字号应当使用规范汉字，不得含有字母、数字或符号",
            "A trade name uses standard Chinese characters only",
            "删除字号中的字母、数字和符号",
            "Remove letters, digits and symbols from the trade name",
        )
    elif trade in vocab.regions:
        add(
            "name.trade_name_is_region",
            f"字号“{trade}”是行政区划名称",
            f"The trade name {trade} is the name of an administrative region",
            "另选字号，行政区划名称不能作字号",
            "Choose another trade name; a region name cannot be one",
        )
    elif trade in vocab.industries:
        add(
            "name.trade_name_is_industry",
            f"字号“{trade}”是行业表述",
            f"The trade name {trade} is an industry wording",
            "在行业表述前加上字号",
            "Put a trade name before the industry wording",
        )
    if parsed.industry_key == NO_INDUSTRY and not issues:
        add(
            "name.industry_missing",
            "名称未使用行业或经营特点表述，将与所有行业的同字号名称比对",
            "The name has no industry wording; it is compared with names of every industry",
            "如需减少冲突，可加入与主营业务相符的行业表述",
            "Add an industry wording matching the main business to narrow the comparison",
            severity=WARNING,
        )
    return issues


def word_issues(name: str, vocab: Vocabulary) -> list[Issue]:
    issues = []
    for word in vocab.words:
        if word.word not in name:
            continue
        masked = name
        for phrase in word.except_when:
            masked = masked.replace(phrase, "")
        if word.word not in masked:
            continue
        prohibited = word.kind == "prohibited"
        issues.append(
            Issue(
                "name.prohibited_word" if prohibited else "name.restricted_word",
                f"名称含有{'禁用' if prohibited else '限用'}字词“{word.word}”（{word.category}）",
                f"The name contains the {word.kind} word {word.word} ({word.category})",
                word.remedy_zh,
                word.remedy_en,
                details={"word": word.word, "category": word.category, "basis": word.basis},
            )
        )
    return issues


@dataclass(frozen=True)
class Existing:
    """A name in use, as the conflict rules see it."""

    name: str
    trade_name: str
    region_key: str
    industry_key: str
    record_id: int
    sound: str = ""  # pinyin key of the trade name, if known (saves recomputing it)


def industries_meet(a: str, b: str) -> bool:
    return a == b or NO_INDUSTRY in (a, b)


def conflict(query: ParsedName, existing: Existing) -> str | None:
    """The conflict code between an applied-for name and one in use, or None."""
    if query.name == existing.name:
        return IDENTICAL
    if query.region_key != existing.region_key:
        return None
    if not industries_meet(query.industry_key, existing.industry_key):
        return None
    if query.trade_name == existing.trade_name:
        return SAME_TRADE_NAME
    if pinyin_key(query.trade_name) == (existing.sound or pinyin_key(existing.trade_name)):
        return HOMOPHONE
    if near_identical(query.trade_name, existing.trade_name):
        return NEAR_IDENTICAL
    return None


_CONFLICT_TEXT = {
    IDENTICAL: ("与已有企业名称相同", "is identical to a name in use"),
    SAME_TRADE_NAME: ("与同行业已有企业名称的字号相同", "has the same trade name as"),
    HOMOPHONE: ("与同行业已有企业名称的字号读音相同", "has a trade name that sounds like"),
    NEAR_IDENTICAL: ("与同行业已有企业名称的字号近似", "has a trade name nearly identical to"),
}


def conflict_issue(code: str, query: ParsedName, existing: Existing, status: str) -> Issue:
    zh, en = _CONFLICT_TEXT[code]
    return Issue(
        code,
        f"“{query.name}”{zh}：“{existing.name}”",
        f"{query.name} {en} {existing.name}",
        _RENAME_ZH if code != IDENTICAL else "请另拟名称",
        _RENAME_EN if code != IDENTICAL else "Choose another name",
        details={"existing_name": existing.name, "existing_status": status},
    )
