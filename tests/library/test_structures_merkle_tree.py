"""MerkleTree (sorted-pair keccak256 roots, proofs, verification) against a Python implementation."""

from __future__ import annotations

import pytest
from eth_utils import keccak
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
B32 = st.binary(min_size=32, max_size=32)


def hash_pair(a: bytes, b: bytes) -> bytes:
    return keccak(min(a, b) + max(a, b))


def py_root(leaves: list[bytes]) -> bytes:
    level = list(leaves)
    while len(level) > 1:
        nxt = [hash_pair(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


def py_proof(leaves: list[bytes], index: int) -> list[bytes]:
    level, out = list(leaves), []
    while len(level) > 1:
        if index ^ 1 < len(level):
            out.append(level[index ^ 1])
        nxt = [hash_pair(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level, index = nxt, index // 2
    return out


def oz_process_proof(proof: list[bytes], leaf: bytes) -> bytes:
    """OpenZeppelin MerkleProof.processProof: fold the siblings with the commutative hash."""
    h = leaf
    for p in proof:
        h = hash_pair(h, p)
    return h


def leaves_of(n: int) -> list[bytes]:
    return [keccak(keccak(i.to_bytes(32, "big"))) for i in range(n)]


@pytest.fixture
def mt(lib):
    return lib.deploy("MerkleTreeHarness")


def test_hash_pair_is_sorted_and_commutative(mt):
    a, b = b"\x01" * 32, b"\xfe" * 32
    assert mt.functions.hashPair(a, b).call() == keccak(a + b)
    assert mt.functions.hashPair(b, a).call() == keccak(a + b)
    assert mt.functions.hashPair(a, a).call() == keccak(a + a)


def test_leaf_hash_is_double_keccak(mt):
    for data in (b"", b"abc", bytes(range(200))):
        assert mt.functions.leafHash(data).call() == keccak(keccak(data))


def test_empty_and_out_of_range(lib, mt):
    with lib.reverts(mt, "MerkleTreeEmpty()"):
        mt.functions.root([]).call()
    with lib.reverts(mt, "MerkleTreeEmpty()"):
        mt.functions.proof([], 0).call()
    leaves = leaves_of(3)
    with lib.reverts(mt, "MerkleTreeIndexOutOfBounds(index=3, length=3)"):
        mt.functions.proof(leaves, 3).call()
    with lib.reverts(mt, f"MerkleTreeIndexOutOfBounds(index={2**256 - 1}, length=3)"):
        mt.functions.proof(leaves, 2**256 - 1).call()


def test_single_leaf_is_its_own_root(mt):
    leaf = b"\x42" * 32
    assert mt.functions.root([leaf]).call() == leaf
    assert mt.functions.proof([leaf], 0).call() == []
    assert mt.functions.verify([], leaf, leaf).call() is True
    assert mt.functions.verify([], leaf, b"\x43" * 32).call() is False


def test_known_shapes(mt):
    a, b, c = leaves_of(3)
    assert mt.functions.root([a, b]).call() == hash_pair(a, b)
    # odd node carried up unchanged: root(a, b, c) = H(H(a, b), c)
    assert mt.functions.root([a, b, c]).call() == hash_pair(hash_pair(a, b), c)
    assert mt.functions.proof([a, b, c], 2).call() == [hash_pair(a, b)]
    assert mt.functions.proof([a, b, c], 0).call() == [b, c]
    # the leaves' order matters (only pairs are sorted)
    assert mt.functions.root([a, c, b]).call() != mt.functions.root([a, b, c]).call()


def test_duplicate_leaves(mt):
    leaf = b"\x07" * 32
    leaves = [leaf] * 5
    r = mt.functions.root(leaves).call()
    assert r == py_root(leaves)
    for i in range(5):
        assert mt.functions.verify(mt.functions.proof(leaves, i).call(), r, leaf).call() is True


@SETTINGS
@given(leaves=st.lists(B32, min_size=1, max_size=33), data=st.data())
def test_root_and_proof_match_python(mt, leaves, data):
    index = data.draw(st.integers(0, len(leaves) - 1))
    r = py_root(leaves)
    assert mt.functions.root(leaves).call() == r
    proof = mt.functions.proof(leaves, index).call()
    assert proof == py_proof(leaves, index)
    assert oz_process_proof(proof, leaves[index]) == r  # OpenZeppelin-compatible
    assert mt.functions.processProof(proof, leaves[index]).call() == r
    assert mt.functions.verify(proof, r, leaves[index]).call() is True
    assert mt.functions.verifyCalldata(proof, r, leaves[index]).call() is True


@SETTINGS
@given(leaves=st.lists(B32, min_size=2, max_size=20, unique=True), data=st.data())
def test_wrong_leaf_or_tampered_proof_rejected(mt, leaves, data):
    index = data.draw(st.integers(0, len(leaves) - 1))
    r = py_root(leaves)
    proof = py_proof(leaves, index)
    other = data.draw(B32.filter(lambda x: x != leaves[index]))
    assert mt.functions.verify(proof, r, other).call() is False
    assert mt.functions.verifyCalldata(proof, r, other).call() is False
    k = data.draw(st.integers(0, len(proof) - 1))
    flip = data.draw(st.integers(0, 31))
    tampered = list(proof)
    tampered[k] = tampered[k][:flip] + bytes([tampered[k][flip] ^ 1]) + tampered[k][flip + 1:]
    assert mt.functions.verify(tampered, r, leaves[index]).call() is False
    assert mt.functions.verify(proof[:-1], r, leaves[index]).call() is False  # truncated


def test_all_proofs_for_every_size_up_to_17(mt):
    for n in range(1, 18):
        leaves = leaves_of(n)
        r, proofs, ok = mt.functions.allProofs(leaves).call()
        assert r == py_root(leaves)
        assert ok == [True] * n
        assert proofs == [py_proof(leaves, i) for i in range(n)]
        assert max(len(p) for p in proofs) == (n - 1).bit_length()  # ceil(log2 n)
