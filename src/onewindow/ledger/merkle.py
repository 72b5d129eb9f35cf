"""RFC 9162 (RFC 6962) Merkle tree hashing, proof planning and proof verification.

Pure functions, no database. A tree of `size` leaves is addressed by perfect subtrees
`(level, index)`: the node covering leaves ``[index * 2**level, (index + 1) * 2**level)``.
Only perfect subtrees are ever stored; every other node of an RFC 9162 tree is a fold of
perfect subtrees along the right edge (`perfect_subtrees`), so a proof needs O(log n) stored
hashes (see docs/adr/0004-ledger-tree.md).

- `leaf_hash`, `node_hash`: SHA-256 with the 0x00 / 0x01 domain-separation prefixes.
- `Frontier`: the hashes of the perfect subtrees of the whole tree, largest first; appending
  a leaf returns the perfect subtrees it completes, and the root is a fold of the frontier.
- `inclusion_ranges`, `consistency_ranges`: the leaf ranges whose hashes make up a proof
  (RFC 9162 §2.1.3.1 PATH and §2.1.4.1 SUBPROOF), `build_proof` resolves them.
- `verify_inclusion`, `verify_consistency`: RFC 9162 §2.1.3.2 and §2.1.4.2, strict like
  transparency-dev/merkle (hashes must be 32 bytes, a consistency proof from size 0 is refused).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Mapping, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
Address = tuple[int, int]
Fetch = Callable[[Collection[Address]], Mapping[Address, bytes]]


class ProofError(ValueError):
    """A proof, size or hash that does not verify."""


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(size: int) -> int:
    """Largest power of two strictly smaller than `size` (size > 1)."""
    return 1 << ((size - 1).bit_length() - 1)


def perfect_subtrees(start: int, end: int) -> list[Address]:
    """Perfect subtrees covering ``[start, end)``, left to right, for RFC 9162 ranges."""
    out: list[Address] = []
    while start < end:
        level = (end - start).bit_length() - 1
        if start & ((1 << level) - 1):
            raise ValueError(f"range [{start}, {end}) is not an RFC 9162 subtree range")
        out.append((level, start >> level))
        start += 1 << level
    return out


def fold(hashes: Sequence[bytes]) -> bytes:
    """Hash of a range from its perfect subtrees (left to right): right-leaning fold."""
    if not hashes:
        return EMPTY_ROOT
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


class Frontier:
    """The perfect subtrees of a tree of `size` leaves, kept so appends are O(1) amortised."""

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        if len(hashes) != size.bit_count():
            raise ValueError("frontier does not match tree size")
        self.size = size
        self.hashes = list(hashes)

    @classmethod
    def from_bytes(cls, size: int, data: bytes) -> Frontier:
        hashes = [bytes(data[i : i + HASH_SIZE]) for i in range(0, len(data), HASH_SIZE)]
        return cls(size, hashes)

    def to_bytes(self) -> bytes:
        return b"".join(self.hashes)

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add a leaf hash; return the perfect subtrees (level >= 1) it completes."""
        completed: list[tuple[int, int, bytes]] = []
        node, level, index = leaf, 0, self.size
        while index & 1:
            node = node_hash(self.hashes.pop(), node)
            level, index = level + 1, index >> 1
            completed.append((level, index, node))
        self.hashes.append(node)
        self.size += 1
        return completed

    def root(self) -> bytes:
        return fold(self.hashes)


def root_from_leaves(leaves: Sequence[bytes]) -> bytes:
    """MTH computed bottom-up from all leaf hashes: the naive O(n) recomputation."""
    if not leaves:
        return EMPTY_ROOT
    level = list(leaves)
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """Leaf ranges of the audit path for leaf `index` in a tree of `size` (RFC 9162 PATH)."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is outside a tree of size {size}")
    ranges: list[tuple[int, int]] = []
    start, end = 0, size
    while end - start > 1:
        middle = start + _split(end - start)
        if index < middle:
            ranges.append((middle, end))
            end = middle
        else:
            ranges.append((start, middle))
            start = middle
    return ranges[::-1]


def consistency_ranges(first: int, second: int) -> list[tuple[int, int]]:
    """Leaf ranges of the consistency proof between two sizes (RFC 9162 SUBPROOF)."""
    if not 0 < first <= second:
        raise ProofError(f"no consistency proof from size {first} to size {second}")
    ranges: list[tuple[int, int]] = []
    start, end, old, complete = 0, second, first, True
    while old != end - start:
        middle = start + _split(end - start)
        if start + old <= middle:
            ranges.append((middle, end))
            end = middle
        else:
            ranges.append((start, middle))
            start, old, complete = middle, old - (middle - start), False
    if not complete:
        ranges.append((start, end))
    return ranges[::-1]


def build_proof(ranges: Sequence[tuple[int, int]], fetch: Fetch) -> list[bytes]:
    """Resolve proof ranges to hashes with one call to `fetch` for all perfect subtrees."""
    plans = [perfect_subtrees(start, end) for start, end in ranges]
    hashes = fetch({address for plan in plans for address in plan})
    return [fold([hashes[address] for address in plan]) for plan in plans]


def _check_hash(value: bytes, what: str) -> None:
    if len(value) != HASH_SIZE:
        raise ProofError(f"{what} must be {HASH_SIZE} bytes, got {len(value)}")


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Raise ProofError unless `proof` shows leaf hash `leaf` at `index` under `root`."""
    _check_hash(leaf, "leaf hash")
    _check_hash(root, "root hash")
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is outside a tree of size {size}")
    fn, sn, result = index, size - 1, leaf
    for sibling in proof:
        _check_hash(sibling, "proof hash")
        if sn == 0:
            raise ProofError("inclusion proof is too long")
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            result = node_hash(result, sibling)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("inclusion proof is too short")
    if result != root:
        raise ProofError("inclusion proof does not lead to the root hash")


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> None:
    """Raise ProofError unless `proof` shows the tree of `second` extends that of `first`."""
    if not 0 < first <= second:
        raise ProofError(f"no consistency proof from size {first} to size {second}")
    if first == second:
        if proof:
            raise ProofError("proof between equal sizes must be empty")
        if first_root != second_root:
            raise ProofError("equal sizes with different roots")
        return
    _check_hash(first_root, "first root")
    _check_hash(second_root, "second root")
    if not proof:
        raise ProofError("consistency proof is empty")
    for value in proof:
        _check_hash(value, "proof hash")
    path = [first_root, *proof] if first & (first - 1) == 0 else list(proof)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for value in path[1:]:
        if sn == 0:
            raise ProofError("consistency proof is too long")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(value, fr), node_hash(value, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, value)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("consistency proof is too short")
    if fr != first_root or sr != second_root:
        raise ProofError("consistency proof does not lead to both roots")
