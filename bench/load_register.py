"""Loading the synthetic register: generation + bulk load of N residents into a fresh migrated
SQLite file and a fresh migrated database on a durable PostgreSQL (issue #2: "must also load
1,000,000 on SQLite and PostgreSQL (time it)").

    python -m bench.load_register                 # 1,000,000 residents, one run per backend
    python -m bench.load_register --count 100000 --reps 3

Generation alone is timed too (the baseline in the same run), so the load's own cost shows as the
difference. Each figure is the median of --reps runs, each into a fresh database.
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench import common

SECTION = "load_register"
SEED = 20261122


def _generate_only(count: int, today: dt.date) -> float:
    from central.synth import generate

    start = time.perf_counter()
    people = sum(len(h.members) for h in generate(SEED, count, today=today))
    assert people == count
    return time.perf_counter() - start


def _load(url: str, count: int, today: dt.date) -> tuple[float, int]:
    from central.crypto import MyNumberCipher
    from central.db import make_engine
    from central.migrate import upgrade
    from central.seed import load
    from central.synth import generate

    upgrade(url)
    engine = make_engine(url)
    try:
        start = time.perf_counter()
        stats = load(engine, generate(SEED, count, today=today), MyNumberCipher.from_master(bytes(32)))
        elapsed = time.perf_counter() - start
        assert stats.residents == count, stats
    finally:
        engine.dispose()
    return elapsed, common.db_size_bytes(url)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.load_register", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--count", type=int, default=1_000_000)
    p.add_argument("--reps", type=int, default=1)
    p.add_argument("--no-write", action="store_true")
    args = p.parse_args(argv)
    today = dt.date(2026, 11, 22)  # fixed, so every run generates the same register
    rows, started = [], time.time()
    gen = statistics.median(_generate_only(args.count, today) for _ in range(args.reps))
    rows.append(["generation only (baseline)", f"{gen:.1f}", f"{args.count / gen:,.0f}", "-", "-"])
    cluster = common.start_postgres()
    try:
        with tempfile.TemporaryDirectory(prefix="madoguchi-load-") as tmp:
            for target in ("sqlite", "postgresql"):
                runs = []
                for i in range(args.reps):
                    url = (common.sqlite_url(Path(tmp) / f"r{i}.db") if target == "sqlite"
                           else common.create_pg_database(cluster, f"load{i}"))
                    runs.append(_load(url, args.count, today))
                secs = statistics.median(r[0] for r in runs)
                size = statistics.median(r[1] for r in runs)
                rows.append([f"generate + load, {target}", f"{secs:.1f}",
                             f"{args.count / secs:,.0f}", f"{secs / gen:.1f}x",
                             common.human_bytes(size)])
    finally:
        cluster.stop()
    headers = ["what", "seconds", "residents/s", "vs generation", "database size"]
    command = "python -m bench.load_register" + ("" if args.count == 1_000_000 else
                                                  f" --count {args.count}") + (
        f" --reps {args.reps}" if args.reps != 1 else "")
    body = "\n".join([
        f"## Loading the synthetic register ({args.count:,} residents)", "",
        common.machine_line(), "",
        common.md_table(headers, rows, "lrrrr"), "",
        "Each load goes into a fresh migrated database (PostgreSQL durable: fsync and synchronous "
        "commit on) through `central.seed.load` (Core executemany in batches of 2,000, My Numbers "
        "AES-GCM encrypted, one 異動履歴 row per resident, tax records and 支援措置). Median of "
        f"{args.reps} run(s); wall time {time.time() - started:.0f} s.", "",
        f"Reproduce: `{command}`"])
    print(common.text_table(headers, rows))
    if not args.no_write:
        common.write_section(SECTION, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
