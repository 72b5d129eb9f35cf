"""Split an enterprise name into region, trade name, industry wording and organisational form.

Accepted shapes (《企业名称登记管理规定》 2020 and its 实施办法 2023):
``武汉鑫华信息技术有限公司`` (region first), ``鑫华（武汉）信息技术有限公司`` and
``鑫华信息技术（武汉）有限公司`` (region in brackets). Pure: no database, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from onewindow.registries.names.vocabulary import Region, Vocabulary, get_vocabulary

NO_INDUSTRY = "*"
_BRACKETED = re.compile(r"（([^（）]{2,12})）")
_HAN = re.compile(r"^[\u3400-\u9fff]+$")
_TO_FIX = re.compile(r"[\s()]")


@dataclass(frozen=True)
class ParsedName:
    name: str  # normalised full name
    region_word: str
    region: Region | None
    trade_name: str
    industry_wording: str
    industry_key: str  # GB/T 4754 division, or "*" when the name has no industry wording
    organisational_form: str

    @property
    def region_key(self) -> str:
        return self.region.key if self.region else ""


def normalise_name(text: str) -> str:
    """NFKC, no spaces, full-width brackets (as names are registered)."""
    if text and unicodedata.is_normalized("NFKC", text) and not _TO_FIX.search(text):
        return text
    folded = unicodedata.normalize("NFKC", text or "")
    folded = "".join(ch for ch in folded if not ch.isspace())
    return folded.replace("(", "（").replace(")", "）")


def _strip_form(text: str, vocab: Vocabulary) -> tuple[str, str]:
    for length in vocab.form_lengths.get(text[-1:], ()):
        if len(text) > length and text[-length:] in vocab.forms:
            return text[:-length], text[-length:]
    return text, ""


def _leading_region(text: str, vocab: Vocabulary) -> tuple[str, Region | None]:
    """The longest chain of nested divisions at the start, e.g. 武汉市 + 洪山区."""
    word, region, rest = "", None, text
    while True:
        for length in vocab.region_lengths.get(rest[:1], ()):
            candidate = vocab.regions.get(rest[:length]) if len(rest) > length else None
            if candidate and (region is None or candidate.parent == region.code):
                word, region, rest = word + rest[:length], candidate, rest[length:]
                break
        else:
            return word, region


def _bracketed_region(text: str, vocab: Vocabulary) -> tuple[str, str, Region | None]:
    for match in _BRACKETED.finditer(text):
        region = vocab.regions.get(match.group(1))
        if region is not None:
            return text[: match.start()] + text[match.end() :], match.group(1), region
    return text, "", None


def _strip_industry(text: str, vocab: Vocabulary) -> tuple[str, str]:
    for length in vocab.industry_lengths.get(text[-1:], ()):
        if len(text) > length and text[-length:] in vocab.industries:
            return text[:-length], text[-length:]
    return text, ""


def parse_name(text: str, vocab: Vocabulary | None = None) -> ParsedName:
    vocab = vocab or get_vocabulary()
    name = normalise_name(text)
    body, form = _strip_form(name, vocab)
    region_word, region = _leading_region(body, vocab)
    body = body[len(region_word) :]
    if region is None:
        body, region_word, region = _bracketed_region(body, vocab)
    trade, wording = _strip_industry(body, vocab)
    industry = vocab.industries.get(wording)
    return ParsedName(
        name=name,
        region_word=region_word,
        region=region,
        trade_name=trade,
        industry_wording=wording,
        industry_key=industry.division if industry else NO_INDUSTRY,
        organisational_form=form,
    )


def is_standard_chinese(text: str) -> bool:
    """Trade names use standard Chinese characters only (no letters, digits or symbols)."""
    return bool(_HAN.match(text))
