"""How long loading a synthetic reference register takes, on SQLite and on a durable PostgreSQL.

    python -m bench.load_register                  # 1,000,000 residents (several minutes per target)
    python -m bench.load_register --count 20000    # a quick check

For each target a fresh database is created and migrated to head (timed apart), then
``central.seed.load(engine, central.synth.generate(seed, count, today=...), cipher)`` is timed: the
generator is lazy, so the figure is generation + load together. A generation-only pass (iterating the
generator without a database) shows how much of that is the generator. Each phase runs in its own
spawned process, so its peak RSS is its own; the PostgreSQL cluster's CPU time is read from /proc.
The result goes to the ``load_register`` section of BENCHMARKS.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import resource
import shlex
import sys
import tempfile
import time
from pathlib import Path

from bench import common

SECTION = "load_register"


# --- phases (each in a spawned child process) ----------------------------------------------------


def _rusage() -> dict:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return {"peak_rss": r.ru_maxrss * 1024, "cpu": r.ru_utime + r.ru_stime}


def _phase_generate(seed: int, count: int, today: str) -> dict:
    from central.synth import generate

    t0 = time.perf_counter()
    households = residents = 0
    for hh in generate(seed, count, today=dt.date.fromisoformat(today)):
        households += 1
        residents += len(hh.members)
    return {"seconds": time.perf_counter() - t0, "households": households,
            "residents": residents, **_rusage()}


def _phase_load(url: str, seed: int, count: int, today: str, batch_size: int | None) -> dict:
    from sqlalchemy import create_engine, func, select, text

    from central.crypto import MyNumberCipher, new_master_key, parse_master_key
    from central.db import make_engine
    from central.migrate import upgrade
    from central.models import Resident
    from central.seed import load
    from central.synth import generate

    t0 = time.perf_counter()
    upgrade(url)
    migrate_s = time.perf_counter() - t0
    cpu0 = _rusage()["cpu"]
    engine = make_engine(url)
    cipher = MyNumberCipher.from_master(parse_master_key(new_master_key()))
    kw = {"batch_size": batch_size} if batch_size else {}
    t0 = time.perf_counter()
    stats = load(engine, generate(seed, count, today=dt.date.fromisoformat(today)), cipher, **kw)
    seconds = time.perf_counter() - t0
    usage = _rusage()
    with engine.connect() as c:
        stored = c.execute(select(func.count()).select_from(Resident)).scalar()
    engine.dispose()
    if url.startswith("sqlite"):  # fold the WAL into the main file before measuring its size
        import sqlite3

        raw = sqlite3.connect(url.split("///", 1)[1])
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        raw.close()
    else:
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text("CHECKPOINT"))
        admin.dispose()
    return {"seconds": seconds, "migrate_seconds": migrate_s, "households": stats.households,
            "residents": stats.residents, "stored": stored, "history": stats.history,
            "tax_records": stats.tax_records, "support_measures": stats.support_measures,
            "loader_cpu": usage["cpu"] - cpu0, "total_cpu": _rusage()["cpu"],
            "peak_rss": usage["peak_rss"]}


def _child(conn, fn_name: str, args: tuple) -> None:
    try:
        conn.send(("ok", globals()[fn_name](*args)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent
        import traceback

        conn.send(("error", f"{exc!r}\n{traceback.format_exc()}"))
    finally:
        conn.close()


def run_phase(fn_name: str, args: tuple, timeout: float) -> dict:
    """Run one phase in a spawned process; stop it (by its own pid) when it overruns."""
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn_name, args), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise TimeoutError(f"{fn_name} did not finish within {timeout:.0f} s")
        status, value = parent.recv()
    finally:
        if proc.is_alive():
            proc.join(10)
        if proc.is_alive():
            proc.terminate()
            proc.join(10)
    if status != "ok":
        raise RuntimeError(f"{fn_name} failed: {value}")
    return value


# --- main ---------------------------------------------------------------------------------------


def parse_args(argv):
    p = argparse.ArgumentParser(prog="python -m bench.load_register", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--count", type=int, default=1_000_000, help="residents (default 1,000,000)")
    p.add_argument("--seed", type=int, default=20261122)
    p.add_argument("--today", default=dt.date.today().isoformat(),
                   help="the generator's 'today' (default: today)")
    p.add_argument("--targets", default="sqlite,postgresql")
    p.add_argument("--batch-size", type=int, help="central.seed.load batch_size (default: its own)")
    p.add_argument("--no-generate-only", dest="generate_only", action="store_false",
                   help="skip the generation-only pass")
    p.add_argument("--timeout", type=float, default=3 * 3600,
                   help="seconds allowed per phase (default 3 h)")
    p.add_argument("--no-write", action="store_true", help="do not update BENCHMARKS.md")
    args = p.parse_args(argv)
    args.targets = [t.strip() for t in args.targets.split(",") if t.strip()]
    if set(args.targets) - {"sqlite", "postgresql"} or not 1 <= args.count <= 20_000_000:
        p.error("targets: sqlite, postgresql; count 1..20,000,000")
    dt.date.fromisoformat(args.today)
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    started = time.time()
    results: list[tuple[str, dict]] = []
    workdir = Path(tempfile.mkdtemp(prefix="madoguchi-bench-load-"))
    try:
        if args.generate_only:
            print(f"generating {args.count:,} residents (no database) …", flush=True)
            b0 = common.system_busy_seconds()
            r = run_phase("_phase_generate", (args.seed, args.count, args.today), args.timeout)
            r["other_cpu"] = common.system_busy_seconds() - b0 - r["cpu"]
            print(f"  {r['seconds']:.1f} s, {r['residents'] / r['seconds']:,.0f} residents/s",
                  flush=True)
            results.append(("generation only", r))
        if "sqlite" in args.targets:
            url = common.sqlite_url(workdir / "register.db")
            print(f"loading {args.count:,} residents into SQLite …", flush=True)
            b0 = common.system_busy_seconds()
            r = run_phase("_phase_load", (url, args.seed, args.count, args.today,
                                          args.batch_size), args.timeout)
            r["other_cpu"] = common.system_busy_seconds() - b0 - r["total_cpu"]
            r["size"] = common.db_size_bytes(url)
            print(f"  {r['seconds']:.1f} s, {r['residents'] / r['seconds']:,.0f} residents/s, "
                  f"{common.human_bytes(r['size'])}", flush=True)
            results.append(("sqlite", r))
            for suffix in ("", "-wal", "-shm"):
                Path(f"{workdir / 'register.db'}{suffix}").unlink(missing_ok=True)
        if "postgresql" in args.targets:
            print(f"loading {args.count:,} residents into PostgreSQL (durable) …", flush=True)
            cluster = common.start_postgres()
            try:
                url = common.create_pg_database(cluster, "bench_load")
                cpu0 = common.postgres_cpu_seconds(cluster)
                b0 = common.system_busy_seconds()
                r = run_phase("_phase_load", (url, args.seed, args.count, args.today,
                                              args.batch_size), args.timeout)
                r["db_cpu"] = common.postgres_cpu_seconds(cluster) - cpu0
                r["other_cpu"] = (common.system_busy_seconds() - b0 - r["total_cpu"]
                                  - r["db_cpu"])
                r["size"] = common.db_size_bytes(url)
            finally:
                cluster.stop()
            print(f"  {r['seconds']:.1f} s, {r['residents'] / r['seconds']:,.0f} residents/s, "
                  f"{common.human_bytes(r['size'])}", flush=True)
            results.append(("postgresql", r))
    finally:
        common.cleanup_dir(workdir)

    command = " ".join([".venv/bin/python -m bench.load_register", *map(shlex.quote, argv)])
    md, text = report(results, args, command, started)
    common.publish(SECTION, md, args.no_write, shown=text)
    return 0


def report(results: list[tuple[str, dict]], args, command: str, started: float):
    headers = ["target", "residents", "households", "seconds", "residents/s", "migrate s",
               "DB size", "bytes/resident", "CPU s loader / db / other", "peak RSS"]
    rows = []
    for name, r in results:
        n = r["residents"]
        size = r.get("size")
        cpu = (f"{r['loader_cpu']:.0f} / {r['db_cpu']:.0f}" if "db_cpu" in r else
               f"{r['loader_cpu']:.0f} / -" if "loader_cpu" in r else f"{r['cpu']:.0f} / -")
        cpu += f" / {max(0.0, r['other_cpu']):.0f}" if "other_cpu" in r else " / -"
        rows.append([name, f"{n:,}", f"{r['households']:,}", f"{r['seconds']:.1f}",
                     f"{n / r['seconds']:,.0f}",
                     f"{r['migrate_seconds']:.2f}" if "migrate_seconds" in r else "-",
                     common.human_bytes(size) if size is not None else "-",
                     f"{size / n:,.0f}" if size else "-", cpu,
                     common.human_bytes(r["peak_rss"])])
    checks = [f"{name}: {r['stored']:,} residents stored" for name, r in results if "stored" in r]
    extra = [f"each load also wrote {r['households']:,} households, {r['history']:,} history rows, "
             f"{r['tax_records']:,} tax records and {r['support_measures']:,} 支援措置"
             for _name, r in results if "history" in r][:1]
    md = "\n".join([
        *common.section_head("## Loading the synthetic register (`bench/load_register.py`)",
                             command),
        common.md_table(headers, rows, "lrrrrrrrrr"),
        "",
        f"- Loaded: `central.seed.load(engine, central.synth.generate({args.seed}, {args.count:,}, "
        f"today={args.today}), cipher)` into a fresh database migrated to head (migration timed "
        "apart, `migrate s`). `seconds` = generation + load, which run interleaved (the generator "
        "is lazy); `generation only` iterates the same generator without a database. "
        f"Batch size: {args.batch_size or 'the loader default'}.",
        "- SQLite: a file database with the app's pragmas (WAL, synchronous=NORMAL); size = main "
        "file after a WAL checkpoint. PostgreSQL: a throw-away durable cluster "
        "(`testbed.stacks.postgres.start(durable=True)`: fsync and synchronous_commit on), default "
        "settings otherwise; size = `pg_database_size` after a CHECKPOINT.",
        "- `CPU s` = CPU seconds of the loading process / of the PostgreSQL cluster during the "
        "load / of everything else on the machine during the phase (migration, process start, "
        "kernel I/O work, other users' processes: a large figure means a disturbed run); "
        "`peak RSS` = the phase's own process (each phase runs in a spawned process).",
        "- Checks: " + "; ".join(checks + extra) + "." if checks else "- Checks: none.",
        f"- Whole run: {time.time() - started:.0f} s wall clock.",
    ])
    return md, common.text_table(headers, rows)


if __name__ == "__main__":
    sys.exit(main())
