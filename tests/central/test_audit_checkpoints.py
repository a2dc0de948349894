"""The audit chain anchored outside the database (LOG-1, #21 class 11): signed checkpoints of the
chain head make a cut-off or rewritten tail visible, which the hash chain alone cannot see."""
from __future__ import annotations

import dataclasses
import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from central import audit, checkpoint, merkle
from central.api import create_app
from central.cli import main as cli_main
from tests.central.factories import new_resident
from tests.central.test_audit_and_feed import _drop_guard


@pytest.fixture
def anchor(tmp_path, monkeypatch):
    """The server's checkpoint key and store, as the environment gives them to the CLI."""
    key_file = tmp_path / "audit-key.pem"
    assert cli_main(["new-audit-key", "--out", str(key_file)]) == 0
    store = tmp_path / "checkpoints.jsonl"
    monkeypatch.setenv("MADOGUCHI_DATA_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
    monkeypatch.setenv("MADOGUCHI_AUDIT_KEY", str(key_file))
    monkeypatch.setenv("MADOGUCHI_AUDIT_CHECKPOINTS", str(store))
    return key_file, store


def _anchored(central, anchor):
    """The same database served by an app whose settings name the anchor."""
    key_file, store = anchor
    settings = dataclasses.replace(central.settings, audit_checkpoints=str(store),
                                   audit_key_pem=key_file.read_bytes())
    return dataclasses.replace(central, settings=settings, _clients=[],
                               app=create_app(settings, central.engine))


def _activity(central, n=3):
    clerk = central.clerk()
    for _ in range(n):
        new_resident(clerk)


def _checkpoint_now(central) -> checkpoint.Checkpoint:
    assert cli_main(["--database-url", central.settings.database_url, "audit-checkpoint"]) == 0
    with central.sessions() as db:
        head = checkpoint.chain_head(db)
    return checkpoint.Checkpoint(head[0], head[1], "", "", "", "")


def _verify_cli(central, capsys, *extra) -> tuple[int, str]:
    capsys.readouterr()
    rc = cli_main(["--database-url", central.settings.database_url, "audit-verify", *extra])
    return rc, capsys.readouterr().out


def test_an_intact_chain_agrees_with_its_checkpoints(central, anchor, capsys):
    _activity(central)
    _checkpoint_now(central)
    _activity(central, 1)  # rows after the latest checkpoint are normal
    rc, out = _verify_cli(central, capsys)
    assert rc == 0, out
    assert "anchored by 1 checkpoints" in out


def test_a_cut_off_tail_is_named(central, anchor, capsys):
    _activity(central)
    head = _checkpoint_now(central)
    _drop_guard(central)
    with central.engine.begin() as c:
        c.execute(text("DELETE FROM audit_log WHERE seq > :s"), {"s": head.seq - 3})
    with central.sessions() as db:
        assert audit.verify_chain(db).ok  # what the chain alone cannot see
    rc, out = _verify_cli(central, capsys)
    assert rc == 1
    assert f"BROKEN (truncated) at row {head.seq - 2}" in out
    assert f"rows {head.seq - 2}..{head.seq} are missing" in out


def test_a_rewritten_tail_is_named(central, anchor, capsys):
    """Rows deleted and others appended in their place, the chain recomputed: still detected."""
    _activity(central)
    head = _checkpoint_now(central)
    _drop_guard(central)
    with central.engine.begin() as c:
        c.execute(text("DELETE FROM audit_log WHERE seq > :s"), {"s": head.seq - 2})
    with central.sessions() as db:
        for _ in range(4):
            audit.append(db, action="register.lookup", outcome="ok", operator="someone",
                         device=None)
        db.commit()
        assert audit.verify_chain(db).ok
    rc, out = _verify_cli(central, capsys)
    assert rc == 1
    assert f"BROKEN (rewritten) at row 1: row {head.seq} differs" in out


def test_the_first_checkpoint_that_still_agrees_narrows_a_rewrite(central, anchor):
    _activity(central, 2)
    first = _checkpoint_now(central)
    _activity(central, 2)
    second = _checkpoint_now(central)
    _drop_guard(central)
    with central.engine.begin() as c:
        c.execute(text("DELETE FROM audit_log WHERE seq > :s"), {"s": first.seq + 1})
    with central.sessions() as db:
        for _ in range(second.seq - first.seq):  # longer than before: not a truncation
            audit.append(db, action="register.lookup", outcome="ok", operator="x", device=None)
        db.commit()
        cps, _ = checkpoint.CheckpointStore(anchor[1]).read()
        public = checkpoint.load_public_key(anchor[0].read_bytes())
        found = checkpoint.verify(db, cps, public)
    assert [(f.kind, f.first_seq, f.last_seq) for f in found] == [
        ("rewritten", first.seq + 1, second.seq)]


def test_a_checkpoint_not_signed_by_the_audit_key_is_refused(central, anchor, capsys, tmp_path):
    _activity(central, 1)
    with central.sessions() as db:
        seq, head = checkpoint.chain_head(db)
    other = checkpoint.load_private_key(checkpoint.new_key_pem())
    checkpoint.CheckpointStore(anchor[1]).append(checkpoint.sign(other, seq + 50, head, b"r" * 32))
    rc, out = _verify_cli(central, capsys)
    assert rc == 1
    assert "FORGED CHECKPOINT" in out and "truncated" not in out
    # an edited line is not a checkpoint either
    lines = anchor[1].read_text().splitlines()
    d = json.loads(lines[0])
    d["seq"] = seq - 1
    anchor[1].write_text(json.dumps(d) + "\n")
    rc, out = _verify_cli(central, capsys)
    assert rc == 1 and "FORGED CHECKPOINT" in out


def test_an_auditor_verifies_with_the_public_key_alone(central, anchor, capsys, monkeypatch):
    _activity(central, 1)
    _checkpoint_now(central)
    monkeypatch.delenv("MADOGUCHI_AUDIT_KEY")
    monkeypatch.delenv("MADOGUCHI_AUDIT_CHECKPOINTS")
    rc, out = _verify_cli(central, capsys, "--checkpoints", str(anchor[1]),
                          "--checkpoint-key", f"{anchor[0]}.pub")
    assert rc == 0 and "anchored by 1 checkpoints" in out
    assert "PRIVATE" not in (anchor[0].parent / "audit-key.pem.pub").read_text()


def test_without_an_anchor_audit_verify_says_so(central, capsys, monkeypatch):
    monkeypatch.setenv("MADOGUCHI_DATA_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
    monkeypatch.delenv("MADOGUCHI_AUDIT_KEY", raising=False)
    monkeypatch.delenv("MADOGUCHI_AUDIT_CHECKPOINTS", raising=False)
    _activity(central, 1)
    rc, out = _verify_cli(central, capsys)
    assert rc == 0 and "NOT ANCHORED" in out


def test_the_server_signs_the_head_at_start_and_at_shutdown(central, anchor):
    """The lifespan runs the checkpointer: a checkpoint when it starts, one when it stops, and the
    last one is the head the server left."""
    key_file, store = anchor
    settings = dataclasses.replace(central.settings, audit_checkpoints=str(store),
                                   audit_key_pem=key_file.read_bytes(),
                                   audit_checkpoint_seconds=3600)
    _activity(central, 1)
    app = create_app(settings, central.engine)
    with TestClient(app):
        _activity(central, 2)  # through the fixture's own app: the same database
    cps, bad = checkpoint.CheckpointStore(store).read()
    with central.sessions() as db:
        seq, head = checkpoint.chain_head(db)
        assert checkpoint.verify(db, cps, checkpoint.load_public_key(key_file.read_bytes())) == []
    assert not bad and cps[-1].seq == seq and cps[-1].head == head
    assert len(cps) == 2 and cps[0].seq < seq


def test_a_store_that_cannot_be_written_does_not_stop_the_server(central, anchor, tmp_path, caplog):
    key_file, _ = anchor
    blocked = tmp_path / "not-a-file"
    blocked.mkdir()
    anchor_ = checkpoint.Checkpointer(central.sessions, checkpoint.load_private_key(
        key_file.read_bytes()), checkpoint.CheckpointStore(blocked), 3600)
    _activity(central, 1)
    anchor_.stop()  # the shutdown checkpoint fails: logged, no exception, no audit content
    assert "audit checkpoint not written (IsADirectoryError)" in caplog.text


def test_the_verify_route_holds_the_chain_against_the_checkpoints(central, anchor):
    """GET /v1/audit/verify (the security admin's button) says what audit-verify says."""
    key_file, store = anchor
    anchored = _anchored(central, anchor)
    central.operator("sec1", ["security_admin"])
    sec = anchored.client(login_id="sec1")
    _activity(central)
    head = _checkpoint_now(central)
    assert sec.get("/v1/audit/verify").json() | {"findings": []} == {
        "ok": True, "rows_checked": head.seq, "first_broken_seq": None, "reason": None,
        "anchored": True, "findings": []}
    _drop_guard(central)
    with central.engine.begin() as c:
        c.execute(text("DELETE FROM audit_log WHERE seq > :s"), {"s": head.seq - 2})
    body = sec.get("/v1/audit/verify").json()
    assert body["ok"] is False and body["first_broken_seq"] == head.seq - 1
    assert body["findings"][0]["kind"] == "truncated"


def test_one_row_is_proved_part_of_the_signed_log_without_the_rest(central, anchor, capsys,
                                                                    tmp_path):
    """An auditor holds one row, the proof and the public key: no database (RFC 9162)."""
    key_file, _ = anchor
    _activity(central, 3)
    head = _checkpoint_now(central)
    capsys.readouterr()
    assert cli_main(["--database-url", central.settings.database_url, "audit-proof", "4"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["row"]["seq"] == 4 and doc["tree_size"] == head.seq
    assert len(doc["proof"]) <= head.seq.bit_length()
    proof_file = tmp_path / "proof.json"
    proof_file.write_text(json.dumps(doc))
    pub = f"{key_file}.pub"
    assert cli_main(["audit-check-proof", str(proof_file), "--checkpoint-key", pub]) == 0
    assert "audit proof OK: row 4" in capsys.readouterr().out
    for tamper in ("operator", "outcome"):  # the row's content, its hash unchanged
        bad = json.loads(json.dumps(doc))
        bad["row"][tamper] = "someone-else"
        proof_file.write_text(json.dumps(bad))
        assert cli_main(["audit-check-proof", str(proof_file), "--checkpoint-key", pub]) == 1
        assert "content does not give its hash" in capsys.readouterr().out
    bad = json.loads(json.dumps(doc))
    bad["proof"][0] = "00" * 32
    proof_file.write_text(json.dumps(bad))
    assert cli_main(["audit-check-proof", str(proof_file), "--checkpoint-key", pub]) == 1
    assert "is not in the tree" in capsys.readouterr().out
    other = tmp_path / "other.pem"
    assert cli_main(["new-audit-key", "--out", str(other)]) == 0
    proof_file.write_text(json.dumps(doc))
    assert cli_main(["audit-check-proof", str(proof_file), "--checkpoint-key", f"{other}.pub"]) == 1


def test_two_checkpoints_are_one_growing_log(central, anchor):
    key_file, store = anchor
    _activity(central, 2)
    _checkpoint_now(central)
    _activity(central, 2)
    _checkpoint_now(central)
    first, second = checkpoint.CheckpointStore(store).read()[0]
    with central.sessions() as db:
        tree = checkpoint.leaves(db, second.seq)
    proof = merkle.consistency_proof(first.seq, tree)
    assert merkle.verify_consistency(first.seq, second.seq, bytes.fromhex(first.root),
                                     bytes.fromhex(second.root), proof)


def test_the_server_refuses_to_sign_a_log_cut_after_it_read_it(central, anchor, caplog):
    key_file, store = anchor
    signer = checkpoint.Checkpointer(central.sessions, checkpoint.load_private_key(
        key_file.read_bytes()), checkpoint.CheckpointStore(store), 3600)
    _activity(central, 2)
    first = signer.checkpoint()
    _drop_guard(central)
    with central.engine.begin() as c:
        c.execute(text("DELETE FROM audit_log WHERE seq > :s"), {"s": first.seq - 2})
    _activity(central, 2)  # the log grows again past the cut
    signer.stop()
    assert "audit checkpoint refused: the audit log was cut or rewritten" in caplog.text
    cps, _ = checkpoint.CheckpointStore(store).read()
    assert [c.seq for c in cps] == [first.seq]  # nothing signed over the rewritten log


def test_the_proof_route_is_the_security_admins(central, anchor):
    key_file, store = anchor
    anchored = _anchored(central, anchor)
    central.operator("sec1", ["security_admin"])
    sec = anchored.client(login_id="sec1")
    _activity(central, 2)
    r = sec.get("/v1/audit/proof/3")
    assert r.status_code == 409 and r.json()["code"] == "audit_proof_unavailable"
    assert r.json()["detail_ja"]
    _checkpoint_now(central)
    doc = sec.get("/v1/audit/proof/3").json()
    assert checkpoint.check_row_proof(doc, checkpoint.load_public_key(key_file.read_bytes())) is None
    clerk = anchored.clerk()
    assert clerk.get("/v1/audit/proof/3").status_code == 403
    rows = central.audit_rows("audit.proof")
    assert [r.outcome for r in rows] == ["denied", "ok"] and rows[0].subject == "audit:3"
