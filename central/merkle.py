"""監査ログの Merkle 木: the audit rows as the leaves of an RFC 9162 (Certificate Transparency v2) tree.

The leaves are the rows' chain hashes in seq order (row 1 is leaf 0). A signed checkpoint carries the
tree's root for its size (checkpoint.py), so an auditor holding one row can check it belongs to the log
the server signed with an inclusion proof of about log2(n) hashes, without the rest of the log; and
two checkpoints are shown to be one log growing, never rewritten, with a consistency proof.

Hashes as in RFC 9162 section 2.1: a leaf is SHA-256(0x00 || data), an inner node SHA-256(0x01 ||
left || right); the tree of n leaves splits at the largest power of two below n. Pure functions;
the proofs are computed from the leaves (the server reads the row hashes it needs; an audit is not a
hot path). May touch: nothing but hashlib.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def row_leaf(chain_hash: str) -> bytes:
    """The leaf of an audit row: the hash of its chain hash (hex text, as stored)."""
    return leaf_hash(chain_hash.encode("ascii"))


EMPTY_ROOT = hashlib.sha256(b"").digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n >= 2)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of leaf hashes."""
    n = len(leaves)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaves[0]
    k = _split(n)
    return node_hash(root(leaves[:k]), root(leaves[k:]))


class Frontier:
    """The tree's right edge while leaves are added one by one: the roots of its perfect subtrees,
    largest first. ``root`` is MTH of every leaf so far in O(log n), without keeping the leaves."""

    def __init__(self) -> None:
        self.size = 0
        self._nodes: list[tuple[int, bytes]] = []  # (leaves under it, hash)

    def add(self, leaf: bytes) -> None:
        self.size += 1
        self._nodes.append((1, leaf))
        while len(self._nodes) > 1 and self._nodes[-1][0] == self._nodes[-2][0]:
            (n, right), (_, left) = self._nodes.pop(), self._nodes.pop()
            self._nodes.append((2 * n, node_hash(left, right)))

    def root(self) -> bytes:
        if not self._nodes:
            return EMPTY_ROOT
        h = self._nodes[-1][1]
        for _, left in reversed(self._nodes[:-1]):
            h = node_hash(left, h)
        return h


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]): the audit path of leaf ``index`` in the tree of ``leaves``."""
    n = len(leaves)
    if not 0 <= index < n:
        raise ValueError("leaf index outside the tree")
    if n == 1:
        return []
    k = _split(n)
    if index < k:
        return inclusion_proof(index, leaves[:k]) + [root(leaves[k:])]
    return inclusion_proof(index - k, leaves[k:]) + [root(leaves[:k])]


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Iterable[bytes],
                     expected_root: bytes) -> bool:
    """RFC 9162 2.1.3.2: does ``leaf`` at ``index`` belong to the tree of ``size`` with this root?"""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == expected_root


def consistency_proof(old_size: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]): that the tree of the first ``old_size`` leaves is a prefix of this one."""
    n = len(leaves)
    if not 0 < old_size <= n:
        raise ValueError("old size outside the tree")
    return _subproof(old_size, leaves, True)


def _subproof(m: int, leaves: Sequence[bytes], complete: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if complete else [root(leaves)]
    k = _split(n)
    if m <= k:
        return _subproof(m, leaves[:k], complete) + [root(leaves[k:])]
    return _subproof(m - k, leaves[k:], False) + [root(leaves[:k])]


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes,
                       proof: Sequence[bytes]) -> bool:
    """RFC 9162 2.1.4.2: is the tree (old_size, old_root) a prefix of (new_size, new_root)?"""
    if not 0 < old_size <= new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is the first node
        path.insert(0, old_root)
    if not path:
        return False
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == old_root and sr == new_root
