"""Lookup keys of a trade name: its sound (pinyin) and its one-deletion neighbourhood."""

from __future__ import annotations

from functools import cache, lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT
from rapidfuzz.distance import OSA

# Near-identical applies to trade names of at least this many characters: two-character
# trade names that share one character (新华 / 新星) are ordinary, different names.
NEAR_MIN_LENGTH = 3


LONGEST_PHRASE = max(map(len, PHRASES_DICT))


@cache
def _segment_pinyin(segment: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(segment, style=Style.NORMAL, errors="default"))


@lru_cache(maxsize=200_000)
def pinyin_key(trade_name: str) -> str:
    """Toneless pinyin in phrase mode: 鑫华 and 新华 both give ``xin hua``, 银行 ``yin hang``.

    The same as ``" ".join(lazy_pinyin(trade_name, style=Style.NORMAL))`` (tests compare the
    two): the name is cut by forward maximum matching over pypinyin's phrase dictionary, as
    pypinyin's own segmenter does, and each piece is converted by pypinyin once and cached —
    about 3 µs instead of 20.
    """
    pieces: list[str] = []
    start, end = 0, len(trade_name)
    while start < end:
        for stop in range(min(end, start + LONGEST_PHRASE), start + 1, -1):
            if trade_name[start:stop] in PHRASES_DICT:
                pieces.extend(_segment_pinyin(trade_name[start:stop]))
                start = stop
                break
        else:
            pieces.extend(_segment_pinyin(trade_name[start]))
            start += 1
    return " ".join(pieces)


def deletion_keys(trade_name: str) -> list[str]:
    """The name and each one-character deletion of it (SymSpell-style neighbourhood): two
    names within one edit or one adjacent swap share at least one of these keys."""
    if len(trade_name) < NEAR_MIN_LENGTH:
        return []
    keys = {trade_name}
    keys.update(trade_name[:i] + trade_name[i + 1 :] for i in range(len(trade_name)))
    return sorted(keys)


def near_identical(a: str, b: str) -> bool:
    """One substitution, insertion, deletion or adjacent swap apart (optimal string
    alignment distance 1), both at least `NEAR_MIN_LENGTH` characters."""
    if a == b or min(len(a), len(b)) < NEAR_MIN_LENGTH:
        return False
    return OSA.distance(a, b, score_cutoff=1) == 1
