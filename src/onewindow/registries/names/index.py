"""The in-memory names index: exact, homophone and near-identical lookups in microseconds.

Every name in use is kept once, UTF-8 in one growing buffer; per name a few bytes say where
its trade name is and which region and industry it belongs to. Three lookup tables map a key
to names: the full name (identical), region + industry + pinyin of the trade name (same trade
name and homophones), and region + industry + each one-deletion variant of the trade name
(near-identical). A
table is a sorted `array('q')` of ``hash(key) << 24 | name number``, searched by bisection:
about 8 bytes per key instead of ~100 for a dict entry (ADR 0008). Names added after the
build go to small dict overlays; `refresh()` reads rows with a higher primary key.
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from onewindow.registries.names.keys import deletion_keys, pinyin_key
from onewindow.registries.names.parse import NO_INDUSTRY
from onewindow.registries.names.rules import Existing

INDEX_BITS = 24  # up to 16.7 M names per process
INDEX_MASK = (1 << INDEX_BITS) - 1
HASH_BITS = 63 - INDEX_BITS
HASH_MASK = (1 << HASH_BITS) - 1
DIRECTORY_BITS = 18  # a directory of where each hash prefix starts: bisect a few entries only
DIRECTORY_SHIFT = HASH_BITS - DIRECTORY_BITS + INDEX_BITS
TABLES = ("exact", "sound", "near")


@dataclass(frozen=True)
class NameRow:
    """What the index needs of one row of the names table."""

    pk: int
    name: str
    region_key: str
    industry_key: str
    trade_name: str
    trade_pinyin: str = ""


def _hash(key: str) -> int:
    return hash(key) & HASH_MASK


def row_keys(row: NameRow) -> dict[str, list[str]]:
    block = f"{row.region_key}|{row.industry_key}"
    sound = row.trade_pinyin or pinyin_key(row.trade_name)
    return {
        "exact": [row.name],
        "sound": [f"{block}|{sound}"],
        "near": [f"{block}|{k}" for k in deletion_keys(row.trade_name)],
    }


class NameIndex:
    def __init__(self) -> None:
        self._blob = bytearray()
        self._offsets = array("Q", [0])
        self._sounds = bytearray()  # pinyin keys of the trade names, ASCII
        self._sound_offsets = array("Q", [0])
        self._pks = array("q")
        self._regions = array("I")
        self._industries = array("b")
        self._trade_at = array("B")  # character position of the trade name in the name
        self._trade_len = array("B")
        self._tables = {t: array("q") for t in TABLES}
        self._directories = {t: array("I", bytes(4 * ((1 << DIRECTORY_BITS) + 1))) for t in TABLES}
        self._overlay: dict[str, dict[int, list[int]]] = {t: {} for t in TABLES}
        self._industries_of: dict[str, set[str]] = {}  # region key -> industry keys in use
        self.last_pk = 0
        self.lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._pks)

    # -- building ------------------------------------------------------------------------
    def _store(self, row: NameRow) -> int:
        number = len(self._pks)
        self._blob += row.name.encode()
        self._offsets.append(len(self._blob))
        self._sounds += (row.trade_pinyin or pinyin_key(row.trade_name)).encode()
        self._sound_offsets.append(len(self._sounds))
        self._pks.append(row.pk)
        self._regions.append(int(row.region_key or 0))
        self._industries.append(-1 if row.industry_key == NO_INDUSTRY else int(row.industry_key))
        at = max(row.name.find(row.trade_name), 0)
        self._trade_at.append(min(at, 255))
        self._trade_len.append(min(len(row.trade_name), 255))
        self.last_pk = max(self.last_pk, row.pk)
        self._industries_of.setdefault(row.region_key, set()).add(row.industry_key)
        return number

    def build(self, rows: Iterable[NameRow]) -> None:
        """Bulk load: collect packed keys in lists, sort once."""
        packed: dict[str, list[int]] = {t: [] for t in TABLES}
        for row in rows:
            number = self._store(row)
            for table, keys in row_keys(row).items():
                packed[table].extend(_hash(k) << INDEX_BITS | number for k in keys)
        for table in TABLES:
            merged = list(self._tables[table])
            merged.extend(packed[table])
            merged.sort()
            self._tables[table] = array("q", merged)
            self._directories[table] = _directory(merged)

    def add(self, row: NameRow) -> None:
        """One name, after the build (kept in the overlay)."""
        number = self._store(row)
        for table, keys in row_keys(row).items():
            for key in keys:
                self._overlay[table].setdefault(_hash(key), []).append(number)

    # -- reading -------------------------------------------------------------------------
    def _lookup(self, table: str, key: str, into: dict[int, None]) -> None:
        h = _hash(key)
        packed = self._tables[table]
        directory = self._directories[table]
        prefix = h >> (HASH_BITS - DIRECTORY_BITS)
        low = h << INDEX_BITS
        i = bisect_left(packed, low, directory[prefix], directory[prefix + 1])
        high = low | INDEX_MASK
        while i < len(packed) and packed[i] <= high:
            into[packed[i] & INDEX_MASK] = None
            i += 1
        overlay = self._overlay[table]
        if overlay:
            for number in overlay.get(h, ()):
                into[number] = None

    def name_of(self, number: int) -> str:
        return self._blob[self._offsets[number] : self._offsets[number + 1]].decode()

    def existing(self, number: int) -> Existing:
        name = self.name_of(number)
        at = self._trade_at[number]
        industry = self._industries[number]
        return Existing(
            name=name,
            trade_name=name[at : at + self._trade_len[number]],
            region_key=str(self._regions[number]),
            industry_key=NO_INDUSTRY if industry < 0 else f"{industry:02d}",
            record_id=self._pks[number],
            sound=self._sounds[
                self._sound_offsets[number] : self._sound_offsets[number + 1]
            ].decode(),
        )

    def candidates(
        self, name: str, region_key: str, industry_key: str, trade_name: str
    ) -> list[int]:
        """Name numbers that may conflict (hash matches; the rules decide): the same name,
        or a trade name of the same region, and of the same industry or of none — any
        industry when the name itself has none."""
        found: dict[int, None] = {}
        self._lookup("exact", name, found)
        if not region_key or len(trade_name) < 2:
            return list(found)
        present = self._industries_of.get(region_key, set())
        if industry_key == NO_INDUSTRY:
            industries = sorted(present)
        else:
            # Names without industry wording conflict with every industry: look there too.
            industries = [industry_key, *([NO_INDUSTRY] if NO_INDUSTRY in present else [])]
        sound = pinyin_key(trade_name)
        near = deletion_keys(trade_name)
        for industry in industries:
            block = f"{region_key}|{industry}"
            self._lookup("sound", f"{block}|{sound}", found)
            for key in near:
                self._lookup("near", f"{block}|{key}", found)
        return list(found)

    @property
    def memory_bytes(self) -> int:
        arrays = [self._offsets, self._sound_offsets, self._pks, self._regions, self._industries]
        arrays += [self._trade_at, self._trade_len, *self._tables.values()]
        arrays += list(self._directories.values())
        blobs = len(self._blob) + len(self._sounds)
        return blobs + sum(a.itemsize * len(a) for a in arrays)


def _directory(packed: list[int]) -> array:  # type: ignore[type-arg]
    """directory[p] = index of the first entry whose hash starts with prefix p."""
    directory = array("I", bytes(4 * ((1 << DIRECTORY_BITS) + 1)))
    position = 0
    for prefix in range(1 << DIRECTORY_BITS):
        directory[prefix] = position
        while position < len(packed) and packed[position] >> DIRECTORY_SHIFT == prefix:
            position += 1
    directory[1 << DIRECTORY_BITS] = position
    return directory
