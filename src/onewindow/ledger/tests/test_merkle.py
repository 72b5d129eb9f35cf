"""RFC 9162 hashing and proofs against the RFC 6962 / transparency-dev vectors, plus
Hypothesis properties of proof generation and verification."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onewindow.ledger import merkle

VECTORS = "crypto_vectors/rfc6962_merkle_transparency-dev/testdata"


def _b64(value: str | None) -> bytes:
    return base64.b64decode(value) if value else b""


def _tree(n: int) -> tuple[list[bytes], dict[merkle.Address, bytes]]:
    leaves = [merkle.leaf_hash(i.to_bytes(4, "big")) for i in range(n)]
    frontier, nodes = merkle.Frontier(), {}
    for i, leaf in enumerate(leaves):
        nodes[(0, i)] = leaf
        for level, index, digest in frontier.append(leaf):
            nodes[(level, index)] = digest
    return leaves, nodes


def test_leaf_and_root_hashes_match_rfc6962_vectors(shared_data: Path) -> None:
    data = json.loads((shared_data / "crypto_vectors/rfc6962_merkle_tree_hashes.json").read_text())
    leaves = [merkle.leaf_hash(bytes.fromhex(h)) for h in data["leaf_inputs_hex"]]
    assert [leaf.hex() for leaf in leaves] == data["leaf_hashes_hex"]
    for size, root in data["root_hashes_by_tree_size"].items():
        frontier = merkle.Frontier()
        for leaf in leaves[: int(size)]:
            frontier.append(leaf)
        assert frontier.root().hex() == root
        assert merkle.root_from_leaves(leaves[: int(size)]).hex() == root
    assert len(data["root_hashes_by_tree_size"]) == 9


def _inclusion_fails(v: dict) -> bool:
    try:
        merkle.verify_inclusion(
            v["leafIdx"],
            v["treeSize"],
            _b64(v["leafHash"]),
            [_b64(p) for p in v["proof"] or []],
            _b64(v["root"]),
        )
    except merkle.ProofError:
        return True
    return False


def _consistency_fails(v: dict) -> bool:
    try:
        merkle.verify_consistency(
            v["size1"],
            v["size2"],
            _b64(v["root1"]),
            _b64(v["root2"]),
            [_b64(p) for p in v["proof"] or []],
        )
    except merkle.ProofError:
        return True
    return False


def test_all_transparency_dev_proof_vectors_agree(shared_data: Path) -> None:
    """All 196 files, including the 4 strict cases PROVENANCE.md lists, match `wantErr`."""
    root = shared_data / VECTORS
    results = {"inclusion": [0, 0], "consistency": [0, 0]}
    for kind, check in (("inclusion", _inclusion_fails), ("consistency", _consistency_fails)):
        for path in sorted((root / kind).rglob("*.json")):
            vector = json.loads(path.read_text())
            assert check(vector) is vector["wantErr"], path.relative_to(root)
            results[kind][vector["wantErr"]] += 1
    assert sum(results["inclusion"]) == 98
    assert sum(results["consistency"]) == 98


def test_proofs_rebuilt_from_stored_nodes_equal_the_vectors(shared_data: Path) -> None:
    """Our proof generation reproduces the happy-path vectors byte for byte."""
    data = json.loads((shared_data / "crypto_vectors/rfc6962_merkle_tree_hashes.json").read_text())
    leaves = [merkle.leaf_hash(bytes.fromhex(h)) for h in data["leaf_inputs_hex"]]
    nodes = {}
    frontier = merkle.Frontier()
    for i, leaf in enumerate(leaves):
        nodes[(0, i)] = leaf
        nodes.update({(lv, ix): h for lv, ix, h in frontier.append(leaf)})
    fetch = lambda wanted: {a: nodes[a] for a in wanted}  # noqa: E731
    checked = 0
    for path in sorted((shared_data / VECTORS).rglob("happy-path.json")):
        vector = json.loads(path.read_text())
        if "leafIdx" in vector:
            ranges = merkle.inclusion_ranges(vector["leafIdx"], vector["treeSize"])
        else:
            ranges = merkle.consistency_ranges(vector["size1"], vector["size2"])
        assert merkle.build_proof(ranges, fetch) == [_b64(p) for p in vector["proof"] or []]
        checked += 1
    assert checked == 10


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 300).flatmap(
        lambda n: st.tuples(st.just(n), st.integers(0, n - 1), st.integers(0, 10**6))
    )
)
def test_any_inclusion_proof_verifies_and_a_flipped_byte_fails(case: tuple[int, int, int]) -> None:
    size, index, salt = case
    leaves, nodes = _tree(size)
    root = merkle.root_from_leaves(leaves)
    proof = merkle.build_proof(
        merkle.inclusion_ranges(index, size), lambda wanted: {a: nodes[a] for a in wanted}
    )
    merkle.verify_inclusion(index, size, leaves[index], proof, root)
    if proof:
        position = salt % len(proof)
        broken = bytearray(proof[position])
        broken[salt % 32] ^= 0x01
        with pytest.raises(merkle.ProofError):
            merkle.verify_inclusion(
                index,
                size,
                leaves[index],
                [*proof[:position], bytes(broken), *proof[position + 1 :]],
                root,
            )
    flipped = bytearray(leaves[index])
    flipped[salt % 32] ^= 0x80
    with pytest.raises(merkle.ProofError):
        merkle.verify_inclusion(index, size, bytes(flipped), proof, root)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(2, 300).flatmap(
        lambda n: st.tuples(st.integers(1, n), st.just(n), st.integers(0, 10**6))
    )
)
def test_any_consistency_proof_verifies_and_a_flipped_byte_fails(
    case: tuple[int, int, int],
) -> None:
    first, second, salt = case
    leaves, nodes = _tree(second)
    old, new = merkle.root_from_leaves(leaves[:first]), merkle.root_from_leaves(leaves)
    proof = merkle.build_proof(
        merkle.consistency_ranges(first, second), lambda wanted: {a: nodes[a] for a in wanted}
    )
    merkle.verify_consistency(first, second, old, new, proof)
    if proof:
        position = salt % len(proof)
        broken = bytearray(proof[position])
        broken[salt % 32] ^= 0x01
        with pytest.raises(merkle.ProofError):
            merkle.verify_consistency(
                first, second, old, new, [*proof[:position], bytes(broken), *proof[position + 1 :]]
            )
    else:
        assert first == second
    if first < second:
        flipped = bytearray(old)
        flipped[salt % 32] ^= 0x80
        with pytest.raises(merkle.ProofError):
            merkle.verify_consistency(first, second, bytes(flipped), new, proof)


def test_frontier_round_trips_and_rejects_a_wrong_size() -> None:
    frontier = merkle.Frontier()
    for leaf in _tree(13)[0]:
        frontier.append(leaf)
    copy = merkle.Frontier.from_bytes(13, frontier.to_bytes())
    assert copy.root() == frontier.root()
    assert len(frontier.hashes) == 3
    with pytest.raises(ValueError, match="frontier does not match"):
        merkle.Frontier.from_bytes(12, frontier.to_bytes())


def test_empty_tree_root_is_sha256_of_nothing() -> None:
    assert merkle.Frontier().root().hex() == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )
    with pytest.raises(merkle.ProofError):
        merkle.consistency_ranges(0, 5)
