"""Session cache and sync benchmark (issue #3) → the ``cache_sync`` section of BENCHMARKS.md.

1. The same session workload on the SQLCipher cache and on a plain SQLite file, alternating, in one
   run (target: SQLCipher ≤ 1.5× plain). The workload is one busy counter session: case drafts
   written and read back, commands queued, marked sent and answered, the 要確認 list read, and
   change-feed pages applied.
2. Crypto-shred time (key deletion + file removal) of a cache that holds that workload.
3. 1,000 commands queued while offline, drained after reconnecting, against the real central API
   on SQLite served by uvicorn over HTTP (target ≤ 10 s).

    .venv/bin/python -m bench.cache_sync [--runs 5] [--commands 1000] [--no-write]

Keys are kept in memory (``MemoryKeyStore``) so the figures are the cache's, not the keyring's;
the shred time with the real Secret Service is therefore a lower bound.
"""
from __future__ import annotations

import argparse
import datetime as dt
import shlex
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench import common

SECTION = "cache_sync"


def _draft(i: int) -> dict:
    return {"kind": "tennyu", "step": i % 7, "person": {
        "name_kanji": f"見本\u3000花子{i}", "name_kana": "ミホン\u3000ハナコ",
        "birth_date": "1980-04-01", "address": f"架空県さくら市桜町一丁目{i}番", "notes": "x" * 400}}


def session_workload(cache, rounds: int = 150) -> None:
    from app.outbox import Outbox, Result
    from app.puller import ChangePuller, Page

    box = Outbox(cache, "BENCH-0001")
    puller = ChangePuller(cache, lambda _c, _l: {})
    seq = 0
    for i in range(rounds):
        draft_id = f"d{i % 10}"
        cache.put_draft(draft_id, "tennyu", _draft(i))
        cache.get_draft(draft_id)
        cmd = box.enqueue("tennyu", _draft(i))
        box.mark_sent(cmd.command_id)
        box.record(cmd.command_id, Result.applied(201, {"history_id": i, "resident_id": i}))
        if i % 10 == 0:
            box.review_items()
            cursor = puller.cursor()
            items = tuple((seq + k + 1, "resident", str((seq + k) % 300), seq + k + 1, "update")
                          for k in range(50))
            seq += 50
            puller.apply(Page(cursor, items, seq, False))


def _plain_cache(directory: Path, keystore):
    """The same SessionCache class over an unencrypted SQLite file with the same pragmas (the
    baseline: the ratio is the cost of encryption and memory security alone)."""
    from sqlalchemy import create_engine, event

    from app.session_cache import PLAIN_PRAGMAS, SessionCache, metadata, meta_table

    sid = uuid.uuid4().hex
    path = directory / f"plain-{sid}.db"
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _same_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        cur = dbapi_conn.cursor()
        for pragma in PLAIN_PRAGMAS:  # the cache's own settings, minus the encryption
            cur.execute(pragma)
        cur.close()
    metadata.create_all(engine)
    now = dt.datetime.now(dt.timezone.utc)
    with engine.begin() as c:
        c.execute(meta_table.insert(), [{"k": "created_at", "v": now.isoformat()},
                                        {"k": "expires_at", "v": (now + dt.timedelta(hours=1)).isoformat()}])
    return SessionCache(path, sid, keystore, engine, lambda: dt.datetime.now(dt.timezone.utc))


def measure_workload(runs: int, rounds: int) -> tuple[list[float], list[float]]:
    from app.keystore import MemoryKeyStore
    from app.session_cache import SessionCache, ShredReason

    keystore = MemoryKeyStore()
    enc, plain = [], []
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        for run in range(runs + 1):  # the first pair warms up imports and page caches
            for kind in (("enc", "plain") if run % 2 else ("plain", "enc")):
                cache = SessionCache.create(d, keystore) if kind == "enc" else _plain_cache(d, keystore)
                t0 = time.perf_counter()
                session_workload(cache, rounds)
                elapsed = time.perf_counter() - t0
                if kind == "enc":
                    cache.shred(ShredReason.LOGOUT)
                else:
                    cache.close()
                if run:
                    (enc if kind == "enc" else plain).append(elapsed)
    return enc, plain


def measure_shred(runs: int, rounds: int) -> list[float]:
    from app.keystore import MemoryKeyStore
    from app.session_cache import SessionCache, ShredReason

    keystore = MemoryKeyStore()
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            cache = SessionCache.create(tmp, keystore)
            session_workload(cache, rounds)
            t0 = time.perf_counter()
            cache.shred(ShredReason.LOGOUT)
            times.append(time.perf_counter() - t0)
            assert not cache.path.exists() and keystore.get(cache.session_id) is None
    return times


def measure_drain(runs: int, commands: int, workdir: Path) -> tuple[list[float], int]:
    from app.api_client import CentralClient
    from app.device_key import DeviceKey, DeviceSigner
    from app.keystore import MemoryKeyStore
    from app.outbox import DrainStatus, Outbox, OutboxSender, central_batch_sender, central_sender
    from app.session_cache import SessionCache, ShredReason
    from bench.central_api import People, prepare_database
    from central.crypto import new_master_key

    url = common.sqlite_url(workdir / "central.db")
    key = DeviceKey.generate("BENCH-0001")
    data_key = new_master_key()
    password = "bench-" + uuid.uuid4().hex
    prepare_database(url, 100, data_key, key.private_key, password)
    server = common.ServerProcess.start("central", workdir,
                                        {"DATABASE_URL": url, "MADOGUCHI_DATA_KEY": data_key,
                                         "MADOGUCHI_FACE_POLICY": "if_enrolled"})
    times, applied = [], 0
    people = People(seed=11)
    keystore = MemoryKeyStore()
    try:
        client = CentralClient(server.base_url, DeviceSigner(key), timeout=30.0)
        client.login("benchclerk", password)
        for _ in range(runs):
            cache = SessionCache.create(workdir / "cache", keystore)
            box = Outbox(cache, key.device_id)
            for _ in range(commands):  # queued while offline
                box.enqueue("tennyu", people.tennyu())
            sender = OutboxSender(box, central_sender(client), max_failures=3,
                                  send_batch=central_batch_sender(client))  # as the terminal does
            t0 = time.perf_counter()
            report = sender.drain()
            times.append(time.perf_counter() - t0)
            assert report.status is DrainStatus.DRAINED, report
            assert len(report.applied) == commands, (len(report.applied), report.rejected[:3])
            applied += len(report.applied)
            cache.shred(ShredReason.LOGOUT)
        client.logout()
        client.close()
    finally:
        server.stop()
    return times, applied


def _ms(v: float) -> str:
    return f"{v * 1000:.1f} ms"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="bench.cache_sync", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs of each part (median)")
    parser.add_argument("--rounds", type=int, default=150, help="workload rounds per session")
    parser.add_argument("--commands", type=int, default=1000, help="queued commands to drain")
    parser.add_argument("--drain-runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)

    enc, plain = measure_workload(args.runs, args.rounds)
    ratio = statistics.median(e / p for e, p in zip(enc, plain))
    shred = measure_shred(args.runs, args.rounds)
    with tempfile.TemporaryDirectory() as tmp:
        drain, applied = measure_drain(args.drain_runs, args.commands, Path(tmp))
    drain_med = statistics.median(drain)

    command = " ".join([".venv/bin/python -m bench.cache_sync", *map(shlex.quote, argv)])
    ok = lambda good: "**met**" if good else "**NOT met**"  # noqa: E731
    lines = common.section_head("## Session cache and sync (issue #3)", command)
    lines += [
        f"Session workload: {args.rounds} rounds of draft write/read, command queue/sent/answer, "
        f"a 要確認 read and a 50-item change-feed page every 10 rounds; {args.runs} runs each, "
        "SQLCipher and plain SQLite alternating in the same process, keys in memory.",
        "",
        common.md_table(["measure", "median", "runs", "target", "verdict"], [
            ["workload, SQLCipher cache", _ms(statistics.median(enc)),
             ", ".join(_ms(v) for v in enc), "", ""],
            ["workload, plain SQLite (baseline)", _ms(statistics.median(plain)),
             ", ".join(_ms(v) for v in plain), "", ""],
            ["ratio SQLCipher / plain (median of paired runs)", f"{ratio:.2f}×", "",
             "≤ 1.5×", ok(ratio <= 1.5)],
            ["crypto-shred (key, then file and side files)", _ms(statistics.median(shred)),
             ", ".join(_ms(v) for v in shred), "", ""],
            [f"drain {args.commands} queued commands after reconnect (HTTP, SQLite central)",
             f"{drain_med:.2f} s", ", ".join(f"{v:.2f} s" for v in drain), "≤ 10 s",
             ok(drain_med <= 10.0)],
        ], align="lrlll"),
        "",
        f"Every drained command was applied ({applied} in all): the figure is end to end — signed "
        "request, idempotency record, 異動 checks, register write, change feed and audit row per "
        "command on the server, and the outbox state changes in the SQLCipher cache on the client. "
        "The terminal drains in batches of 50 (`POST /v1/commands/batch`: one round trip and one "
        "transaction per batch, a savepoint and a stored result per command). One uvicorn worker "
        "on 127.0.0.1, the client in another process on the same two cores.",
    ]
    common.publish(SECTION, "\n".join(lines), args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
