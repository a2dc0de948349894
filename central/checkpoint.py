"""監査ログの外部アンカー: signed checkpoints of the audit chain's head, kept outside the database (LOG-1, #21).

A hash chain shows an edited or deleted row, but not a tail cut off: with the triggers dropped and the
last rows deleted, what is left is still a valid chain. So the server signs the chain's head (the last
row's seq and hash, and when) with its own Ed25519 key, at a fixed interval and at shutdown, and
appends the checkpoint to a store the database user cannot rewrite: a file opened with O_APPEND only,
one JSON line per checkpoint, which the deployment gives another owner and the append-only attribute
(README "Security model"). ``verify`` then holds the chain against every checkpoint: a chain shorter
than a checkpoint was truncated, a row whose hash differs from a checkpoint's head was rewritten, and
the report names the rows in question.

Each checkpoint also signs the root of the Merkle tree whose leaves are the rows (merkle.py, RFC
9162), so one row can be proved part of the signed log without the rest (``inclusion``) and two
checkpoints proved one growing log (``consistency``). The signed text is versioned:
``madoguchi-audit-checkpoint-v1\\n<seq>\\n<head>\\n<root>\\n<at>\\n`` (UTF-8; head and root hex,
``at`` UTC ISO 8601). The key never enters the database; an auditor verifies with the public key
alone (``madoguchi-central audit-verify --checkpoint-key PUB.pem``).

Owns the checkpoint format, its store and its check. May touch: audit (the chain head), models.
"""
from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import os
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import merkle
from .models import AuditEvent

log = logging.getLogger(__name__)

FORMAT = "madoguchi-audit-checkpoint-v1"


@dataclass(frozen=True)
class Checkpoint:
    """One signed head: the chain had ``seq`` rows, the last with hash ``head``, at ``at``."""

    seq: int
    head: str
    root: str  # the Merkle root of rows 1..seq, hex
    at: str
    key: str  # the signer's raw public key, base64 (which key, when keys rotate)
    sig: str  # Ed25519 over ``message``, base64

    def message(self) -> bytes:
        return signed_text(self.seq, self.head, self.root, self.at)


def signed_text(seq: int, head: str, root: str, at: str) -> bytes:
    return f"{FORMAT}\n{seq}\n{head}\n{root}\n{at}\n".encode()


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def load_private_key(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the audit checkpoint key is not an Ed25519 private key")
    return key


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    """A PEM public key, or the public half of a PEM private key (as a device key is read)."""
    from .admin import public_key_from_pem

    return Ed25519PublicKey.from_public_bytes(public_key_from_pem(pem))


def new_key_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())


def public_pem(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)


class CheckpointStore:
    """The append-only file of checkpoints: one JSON line each, written with O_APPEND and fsync.

    The server never opens it for anything but appending, so even a compromised server process
    can add lines but not rewrite the ones there (with the file's append-only attribute, not even
    its owner can); the database and its user never see it."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)

    def append(self, cp: Checkpoint) -> None:
        line = (json.dumps(asdict(cp), separators=(",", ":"), sort_keys=True) + "\n").encode()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)

    def read(self) -> tuple[list[Checkpoint], list[str]]:
        """The checkpoints in file order, and a note for each line that is not one."""
        if not self.path.exists():
            return [], []
        found, bad = [], []
        for n, line in enumerate(self.path.read_bytes().splitlines(), start=1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                found.append(Checkpoint(seq=int(d["seq"]), head=str(d["head"]),
                                        root=str(d["root"]), at=str(d["at"]), key=str(d["key"]),
                                        sig=str(d["sig"])))
            except (ValueError, KeyError, TypeError):
                bad.append(f"line {n} of the checkpoint file is not a checkpoint")
        return found, bad


def chain_head(db: Session) -> tuple[int, str] | None:
    """The last row's (seq, hash), or None for an empty log."""
    row = db.execute(select(AuditEvent.seq, AuditEvent.hash)
                     .order_by(AuditEvent.seq.desc()).limit(1)).first()
    return (row[0], row[1]) if row else None


def chain_hashes(db: Session, after: int = 0, upto: int | None = None, batch: int = 5000):
    """(seq, hash) of the rows after ``after`` (up to ``upto``), in order, read in batches."""
    last = after
    while True:
        q = select(AuditEvent.seq, AuditEvent.hash).where(AuditEvent.seq > last)
        if upto is not None:
            q = q.where(AuditEvent.seq <= upto)
        rows = db.execute(q.order_by(AuditEvent.seq).limit(batch)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


def leaves(db: Session, size: int) -> list[bytes]:
    """The Merkle leaves of rows 1..size (ValueError when the log has fewer, or a gap)."""
    found = []
    for seq, h in chain_hashes(db, 0, size):
        if seq != len(found) + 1:
            raise ValueError(f"row {len(found) + 1} is missing")
        found.append(merkle.row_leaf(h))
    if len(found) != size:
        raise ValueError(f"the log has {len(found)} rows, not {size}")
    return found


def sign(key: Ed25519PrivateKey, seq: int, head: str, root: bytes,
         at: dt.datetime | None = None) -> Checkpoint:
    stamp = (at or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.%fZ")
    sig = key.sign(signed_text(seq, head, root.hex(), stamp))
    return Checkpoint(seq, head, root.hex(), stamp,
                      base64.b64encode(raw_public(key.public_key())).decode(),
                      base64.b64encode(sig).decode())


class TreeHead:
    """The Merkle frontier of the log as far as it has been read, grown by the rows added since.
    A log that is shorter than what was read, or whose last row read changed, is refused: a
    checkpoint never vouches for a cut or rewritten log (``LogRewritten``)."""

    def __init__(self) -> None:
        self._frontier = merkle.Frontier()
        self._last: tuple[int, str] | None = None

    def advance(self, db: Session) -> tuple[int, str, bytes] | None:
        """(seq, head, root) of the log now; None for an empty log."""
        if self._last is not None:
            still = db.scalar(select(AuditEvent.hash).where(AuditEvent.seq == self._last[0]))
            if still != self._last[1]:
                raise LogRewritten(f"row {self._last[0]} is gone or changed since it was signed")
        for seq, h in chain_hashes(db, self._frontier.size):
            if seq != self._frontier.size + 1:
                raise LogRewritten(f"row {self._frontier.size + 1} is missing")
            self._frontier.add(merkle.row_leaf(h))
            self._last = (seq, h)
        if self._last is None:
            return None
        return self._last[0], self._last[1], self._frontier.root()


class LogRewritten(RuntimeError):
    """The log no longer holds what an earlier checkpoint of this process read."""


def sign_now(db: Session, key: Ed25519PrivateKey) -> Checkpoint | None:
    """A checkpoint of the log as it is (the whole log read once): the CLI's."""
    head = TreeHead().advance(db)
    return sign(key, *head) if head else None


class Checkpointer:
    """Writes a checkpoint of the chain head every ``interval`` seconds while the server runs, and
    one at shutdown. A head already checkpointed is not written again. A failure to write is
    logged (without audit content) and tried again at the next interval."""

    def __init__(self, sessions, key: Ed25519PrivateKey, store: CheckpointStore,
                 interval: float) -> None:
        self._sessions, self._key, self._store, self._interval = sessions, key, store, interval
        self._tree = TreeHead()
        self._signed = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def checkpoint(self) -> Checkpoint | None:
        """Sign and store the current head now (None: the log is empty or unchanged)."""
        with self._lock:
            with self._sessions() as db:
                head = self._tree.advance(db)
            if head is None or head[0] == self._signed:
                return None
            cp = sign(self._key, *head)
            self._store.append(cp)
            self._signed = cp.seq
            return cp

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="audit-checkpoints", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        self._safely()  # at start: the head the server found
        while not self._stop.wait(self._interval):
            self._safely()

    def _safely(self) -> None:
        try:
            self.checkpoint()
        except LogRewritten as exc:  # nothing signed: audit-verify names what the last one says
            log.error("audit checkpoint refused: the audit log was cut or rewritten (%s)", exc)
        except Exception as exc:  # noqa: BLE001 - the server keeps serving; the next try may work
            log.error("audit checkpoint not written (%s)", type(exc).__name__)

    def stop(self) -> None:
        """End the timer and write the shutdown checkpoint."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._safely()


@dataclass(frozen=True)
class Finding:
    """What a checkpoint says about the chain: ``kind`` is truncated, rewritten or forged."""

    kind: str
    message: str
    first_seq: int | None = None  # the first row in question
    last_seq: int | None = None


def verify(db: Session, checkpoints: list[Checkpoint], public: Ed25519PublicKey) -> list[Finding]:
    """Hold the chain against every checkpoint (signatures with ``public``); [] when all agree.

    A checkpoint past the chain's last row: the rows after it were cut off (truncated). A row
    whose hash differs from its checkpoint's head: the log was rewritten somewhere after the last
    checkpoint that still agrees. A checkpoint whose signature fails is reported (forged) and
    not used."""
    findings: list[Finding] = []
    good: list[Checkpoint] = []
    for cp in checkpoints:
        if _forged(cp, public):
            findings.append(Finding("forged", f"the checkpoint of {cp.at} (row {cp.seq}) is not "
                                    "signed by the audit key", cp.seq, cp.seq))
            continue
        good.append(cp)
    if not good:
        return findings
    good.sort(key=lambda c: c.seq)
    frontier, agreed = merkle.Frontier(), 0  # agreed: the last row a checkpoint vouches for
    pending = iter(good)
    cp = next(pending, None)
    for seq, h in chain_hashes(db):
        if cp is None:
            break
        if seq != frontier.size + 1:  # a gap: verify_chain names it; no checkpoint check past it
            break
        frontier.add(merkle.row_leaf(h))
        while cp is not None and cp.seq == seq:
            if h != cp.head or frontier.root().hex() != cp.root:
                findings.append(Finding(
                    "rewritten", f"row {cp.seq} differs from the checkpoint of {cp.at}: the log "
                    f"was rewritten between rows {agreed + 1} and {cp.seq}", agreed + 1, cp.seq))
                return findings
            agreed, cp = cp.seq, next(pending, None)
    if cp is not None:
        last_seq = frontier.size
        findings.append(Finding(
            "truncated", f"rows {last_seq + 1}..{cp.seq} are missing: the checkpoint of "
            f"{cp.at} signed a chain of {cp.seq} rows, the log has {last_seq}",
            last_seq + 1, cp.seq))
    return findings


def from_settings(settings, sessions) -> Checkpointer | None:
    """The running checkpointer of a server with an anchor configured (started), else None and a
    warning: without one a cut-off tail goes unnoticed."""
    if not settings.audit_checkpoints or not settings.audit_key_pem:
        log.warning("audit chain not anchored: set MADOGUCHI_AUDIT_CHECKPOINTS and "
                    "MADOGUCHI_AUDIT_KEY so that a truncated audit log is detected")
        return None
    anchor = Checkpointer(sessions, load_private_key(settings.audit_key_pem),
                          CheckpointStore(settings.audit_checkpoints),
                          settings.audit_checkpoint_seconds)
    anchor.start()
    return anchor


def prove_row(db: Session, seq: int, checkpoints: list[Checkpoint],
              public: Ed25519PublicKey) -> dict:
    """An inclusion proof of row ``seq`` in the latest good checkpoint that covers it, as a
    document an auditor checks offline with the public key (``check_row_proof``): the row's
    fields, its chain hashes, the checkpoint and the audit path. ValueError when no checkpoint
    covers the row or the log no longer matches the checkpoint."""
    from .audit import _fields

    covering = [c for c in checkpoints if c.seq >= seq and not _forged(c, public)]
    if seq < 1 or not covering:
        raise ValueError(f"no signed checkpoint covers row {seq} yet")
    cp = max(covering, key=lambda c: c.seq)
    tree = leaves(db, cp.seq)
    if merkle.root(tree).hex() != cp.root:
        raise ValueError(f"the log differs from the checkpoint of {cp.at}: run audit-verify")
    ev = db.scalar(select(AuditEvent).where(AuditEvent.seq == seq))
    return {"format": "madoguchi-audit-proof-v1", "row": _fields(ev), "prev_hash": ev.prev_hash,
            "hash": ev.hash, "tree_size": cp.seq,
            "proof": [p.hex() for p in merkle.inclusion_proof(seq - 1, tree)],
            "checkpoint": asdict(cp)}


def _forged(cp: Checkpoint, public: Ed25519PublicKey) -> bool:
    try:
        if cp.key != base64.b64encode(raw_public(public)).decode():
            return True
        public.verify(base64.b64decode(cp.sig, validate=True), cp.message())
        return False
    except (InvalidSignature, ValueError):
        return True


def check_row_proof(doc: dict, public: Ed25519PublicKey) -> str | None:
    """None when the proof holds: the checkpoint is signed by ``public``, the row's content gives
    its hash, and the hash is leaf ``seq - 1`` of the signed tree. Otherwise what fails."""
    from .audit import row_hash

    try:
        cp = Checkpoint(**doc["checkpoint"])
        row, size = dict(doc["row"]), int(doc["tree_size"])
        proof = [bytes.fromhex(p) for p in doc["proof"]]
        seq = int(row["seq"])
    except (KeyError, TypeError, ValueError):
        return "not an audit proof document"
    if _forged(cp, public):
        return "the checkpoint is not signed by the audit key"
    if size != cp.seq:
        return "the proof is not for the checkpoint's tree"
    if row_hash(str(doc.get("prev_hash")), row) != doc.get("hash"):
        return f"row {seq}'s content does not give its hash"
    if not merkle.verify_inclusion(seq - 1, size, merkle.row_leaf(str(doc["hash"])), proof,
                                   bytes.fromhex(cp.root)):
        return f"row {seq} is not in the tree the checkpoint of {cp.at} signed"
    return None
