"""The audit log's Merkle tree (RFC 9162 section 2.1): roots, inclusion and consistency proofs,
checked on every size and index up to 40 leaves, against tampered leaves, roots and proofs."""
from __future__ import annotations

import hashlib

import pytest

from central import merkle

LEAVES = [merkle.leaf_hash(str(i).encode()) for i in range(40)]


def _flip(b: bytes) -> bytes:
    return bytes([b[0] ^ 1]) + b[1:]


def test_the_root_follows_the_rfc_definition():
    assert merkle.root([]) == hashlib.sha256(b"").digest()
    a, b, c = LEAVES[:3]
    assert merkle.root([a]) == a
    assert merkle.root([a, b, c]) == merkle.node_hash(merkle.node_hash(a, b), c)
    # RFC 6962's test vector for the empty leaf: leaf_hash(b"") is SHA-256 of one zero byte
    assert merkle.leaf_hash(b"").hex() == hashlib.sha256(b"\x00").hexdigest()


def test_the_frontier_grows_to_the_same_root():
    f = merkle.Frontier()
    for n in range(1, 41):
        f.add(LEAVES[n - 1])
        assert f.size == n and f.root() == merkle.root(LEAVES[:n])


@pytest.mark.parametrize("size", range(1, 41))
def test_every_leaf_is_proved_and_nothing_else(size):
    tree, root = LEAVES[:size], merkle.root(LEAVES[:size])
    for i in range(size):
        proof = merkle.inclusion_proof(i, tree)
        assert len(proof) <= size.bit_length()
        assert merkle.verify_inclusion(i, size, tree[i], proof, root)
        assert not merkle.verify_inclusion(i, size, _flip(tree[i]), proof, root)
        assert not merkle.verify_inclusion(i, size, tree[i], proof, _flip(root))
        if proof:
            assert not merkle.verify_inclusion(i, size, tree[i], [_flip(proof[0])] + proof[1:],
                                               root)
            assert not merkle.verify_inclusion(i, size, tree[i], proof[:-1], root)
        if size > 1:  # the leaf is not at another index
            other = (i + 1) % size
            assert not merkle.verify_inclusion(other, size, tree[i], proof, root) or \
                tree[other] == tree[i]
    with pytest.raises(ValueError):
        merkle.inclusion_proof(size, tree)
    assert not merkle.verify_inclusion(size, size, tree[0], [], root)


@pytest.mark.parametrize("new", range(1, 41))
def test_a_log_that_only_grew_is_proved_consistent_and_a_rewrite_is_not(new):
    tree = LEAVES[:new]
    new_root = merkle.root(tree)
    for old in range(1, new + 1):
        old_root = merkle.root(tree[:old])
        proof = merkle.consistency_proof(old, tree)
        assert merkle.verify_consistency(old, new, old_root, new_root, proof)
        assert not merkle.verify_consistency(old, new, _flip(old_root), new_root, proof)
        assert not merkle.verify_consistency(old, new, old_root, _flip(new_root), proof)
        if old < new:
            rewritten = tree[:old - 1] + [_flip(tree[old - 1])] + tree[old:]
            assert not merkle.verify_consistency(
                old, new, old_root, merkle.root(rewritten),
                merkle.consistency_proof(old, rewritten))
