"""``madoguchi-central``: the central API's command line (migrate, seed, serve, admin, demo).

Configuration comes from the environment: ``DATABASE_URL`` (default a SQLite file) and
``MADOGUCHI_DATA_KEY`` (base64 of 32 bytes; ``madoguchi-central new-key`` makes one).
"""
from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import replace
import json
import os
import secrets
import socket
import sys
import threading
import time
from pathlib import Path

from . import clock
from .crypto import new_master_key, parse_master_key


def _settings(args):
    from dataclasses import replace

    from .config import Settings

    settings = Settings.from_env()
    if getattr(args, "database_url", None):
        settings = replace(settings, database_url=args.database_url)
    return settings


def _sessions(settings):
    from .db import make_engine, make_sessionmaker

    engine = make_engine(settings.database_url)
    return engine, make_sessionmaker(engine)


def cmd_new_key(_args) -> int:
    print(new_master_key())
    return 0


def cmd_migrate(args) -> int:
    from .migrate import upgrade

    upgrade(_settings(args).database_url)
    print("schema is at head")
    return 0


def cmd_seed(args) -> int:
    from .crypto import MyNumberCipher
    from .seed import load
    from .synth import generate

    settings = _settings(args)
    engine, _ = _sessions(settings)
    start = time.perf_counter()
    stats = load(engine, generate(args.seed, args.count, today=clock.today()),
                 MyNumberCipher.from_master(settings.data_key))
    print(f"loaded {stats} in {time.perf_counter() - start:.1f} s")
    return 0


def cmd_cs_receive(args) -> int:
    """転出証明書情報 from a file (the 住基ネット CS adapter's format, tennyu_yotei.py) kept as
    転入予定者 (K-WF-4.6). Prints counts and skipped certificate ids only: never a name or a
    number, also when the file is wrong (the fields that are wrong, not their values)."""
    from . import audit
    from .crypto import MyNumberCipher
    from .problems import Problem
    from .tennyu_yotei import RECEIVED_BY_CLI, parse, receive

    settings = _settings(args)
    engine, sessions = _sessions(settings)
    try:
        raw = Path(args.file).read_bytes()
    except OSError as exc:
        print(f"cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        doc = parse(raw)
        with sessions.begin() as db:
            got = receive(db, MyNumberCipher.from_master(settings.data_key), doc,
                          received_by=RECEIVED_BY_CLI)
            audit.append(db, action="tennyu_yotei.receive", outcome="ok",
                         operator=RECEIVED_BY_CLI, device="cli",
                         subject=",".join(f"tennyu_yotei:{i}" for i in got.ids) or None,
                         purpose="idou", detail={**got.answer(), "sender": doc.sender.code})
    except Problem as p:
        print(f"refused: {p.code}: {p.detail}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(json.dumps(got.answer(), ensure_ascii=False))
    return 0


def cmd_synth_tenshutsu(args) -> int:
    """転出証明書情報 of synthetic families moving from 架空県もみじ市 to our city, as a file for
    cs-receive (synth_momiji.py). The file holds synthetic My Numbers: it is written 0600."""
    from .synth_momiji import document

    doc = document(args.seed, args.households, today=clock.today())
    out = Path(args.out)
    fd = os.open(out, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
    print(f"wrote {len(doc['certificates'])} 転出証明書情報 "
          f"({sum(len(c['members']) for c in doc['certificates'])} persons) to {out}")
    return 0


def cmd_create_operator(args) -> int:
    from .admin import create_operator

    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
    if not password:
        print("give the password on standard input with --password-stdin", file=sys.stderr)
        return 2
    _, sessions = _sessions(_settings(args))
    with sessions.begin() as db:
        create_operator(db, args.login_id, args.name, password, contractor=args.contractor,
                        employment_until=args.employment_until, section=args.section)
    print(f"operator {args.login_id} created")
    return 0


def cmd_grant(args) -> int:
    from .admin import grant

    _, sessions = _sessions(_settings(args))
    try:
        with sessions.begin() as db:
            g = grant(db, args.login_id, args.right, valid_until=args.until)
            print(f"granted {g.right} to {args.login_id} until {g.valid_until}")
    except ValueError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_register_device(args) -> int:
    from .admin import public_key_from_pem, register_device

    _, sessions = _sessions(_settings(args))
    try:
        with sessions.begin() as db:
            register_device(db, args.device_id, args.name, args.kind,
                            public_key_from_pem(Path(args.public_key).read_bytes()),
                            loan_approved_by=args.loan_approved_by,
                            loan_approval_ref=args.loan_approval_ref)
    except ValueError as exc:
        print(f"cannot register {args.device_id}: {exc}", file=sys.stderr)
        return 2
    print(f"device {args.device_id} registered ({args.kind})")
    return 0


def cmd_disable_device(args) -> int:
    """A lost or stolen terminal (DEV-3, #9): its next contact is refused, its sessions end."""
    from .admin import disable_device

    _, sessions = _sessions(_settings(args))
    try:
        with sessions.begin() as db:
            disable_device(db, args.device_id, args.reason, by=args.by)
    except ValueError as exc:
        print(f"cannot disable {args.device_id}: {exc}", file=sys.stderr)
        return 2
    print(f"device {args.device_id} disabled")
    return 0


def cmd_audit_verify(args) -> int:
    """LOG-1: the hash chain row by row, then against the signed checkpoints (a cut-off or
    rewritten tail). 0: intact; 1: broken; the first row in question is named."""
    from .audit import verify_chain
    from .checkpoint import CheckpointStore, load_public_key, verify

    settings = _settings(args)
    store_path = args.checkpoints or settings.audit_checkpoints
    try:
        key_pem = (Path(args.checkpoint_key).read_bytes() if args.checkpoint_key
                   else settings.audit_key_pem)
        public = load_public_key(key_pem) if key_pem else None
    except (OSError, ValueError) as exc:
        print(f"audit-verify: the checkpoint key cannot be used: {exc}", file=sys.stderr)
        return 2
    if store_path and public is None:
        print("audit-verify: give the checkpoints' public key (--checkpoint-key PUB.pem or "
              "MADOGUCHI_AUDIT_KEY)", file=sys.stderr)
        return 2
    _, sessions = _sessions(settings)
    with sessions() as db:
        report = verify_chain(db)
        if not report.ok:
            print(f"audit chain BROKEN at row {report.first_broken_seq}: {report.reason} "
                  f"({report.rows_checked} rows verified before it)")
            return 1
        if not store_path:
            print(f"audit chain OK: {report.rows_checked} rows verified; NOT ANCHORED: no "
                  "checkpoint store is configured, so a cut-off tail would go unnoticed")
            return 0
        checkpoints, bad_lines = CheckpointStore(store_path).read()
        findings = verify(db, checkpoints, public)
    for line in bad_lines:
        print(f"audit checkpoints: {line}")
    for f in findings:
        label = "BROKEN" if f.kind != "forged" else "FORGED CHECKPOINT"
        print(f"audit chain {label} ({f.kind}) at row {f.first_seq}: {f.message}")
    if findings or bad_lines:
        return 1
    if not checkpoints:
        print(f"audit chain OK: {report.rows_checked} rows verified; no checkpoint written yet")
        return 0
    latest = max(checkpoints, key=lambda c: c.seq)
    print(f"audit chain OK: {report.rows_checked} rows verified, anchored by "
          f"{len(checkpoints)} checkpoints (latest: row {latest.seq}, {latest.at})")
    return 0


def cmd_audit_proof(args) -> int:
    """An inclusion proof of one row in the latest signed checkpoint, as JSON on stdout."""
    from .checkpoint import CheckpointStore, load_private_key, prove_row

    settings = _settings(args)
    if not settings.audit_checkpoints or not settings.audit_key_pem:
        print("set MADOGUCHI_AUDIT_CHECKPOINTS and MADOGUCHI_AUDIT_KEY first", file=sys.stderr)
        return 2
    cps, _ = CheckpointStore(settings.audit_checkpoints).read()
    _, sessions = _sessions(settings)
    try:
        with sessions() as db:
            doc = prove_row(db, args.seq, cps, load_private_key(settings.audit_key_pem).public_key())
    except ValueError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(doc, ensure_ascii=False, indent=1))
    return 0


def cmd_audit_check_proof(args) -> int:
    """An auditor's check of a proof document with the public key alone: no database."""
    from .checkpoint import check_row_proof, load_public_key

    try:
        doc = json.loads(Path(args.proof).read_text(encoding="utf-8"))
        public = load_public_key(Path(args.checkpoint_key).read_bytes())
    except (OSError, ValueError) as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 2
    why = check_row_proof(doc, public) if isinstance(doc, dict) else "not an audit proof document"
    if why:
        print(f"audit proof FAILS: {why}")
        return 1
    print(f"audit proof OK: row {doc['row']['seq']} is in the log of {doc['tree_size']} rows "
          f"signed at {doc['checkpoint']['at']}")
    return 0


def cmd_new_audit_key(args) -> int:
    """The server's checkpoint signing key (Ed25519, PEM, mode 600) and its public key beside it
    (``FILE.pub``) for auditors."""
    from .checkpoint import load_private_key, new_key_pem, public_pem

    out = Path(args.out)
    if out.exists():
        print(f"refused: {out} exists (a new key would orphan the checkpoints it signed)",
              file=sys.stderr)
        return 1
    pem = new_key_pem()
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    Path(f"{out}.pub").write_bytes(public_pem(load_private_key(pem)))
    print(f"audit checkpoint key written to {out} (public key: {out}.pub)")
    return 0


def cmd_audit_checkpoint(args) -> int:
    """Sign and append the chain's head now (a cron job between the server's own checkpoints,
    or before a backup)."""
    from .checkpoint import CheckpointStore, load_private_key, sign_now

    settings = _settings(args)
    if not settings.audit_checkpoints or not settings.audit_key_pem:
        print("set MADOGUCHI_AUDIT_CHECKPOINTS and MADOGUCHI_AUDIT_KEY first", file=sys.stderr)
        return 2
    _, sessions = _sessions(settings)
    with sessions() as db:
        cp = sign_now(db, load_private_key(settings.audit_key_pem))
    if cp is None:
        print("the audit log is empty: nothing to anchor")
        return 0
    CheckpointStore(settings.audit_checkpoints).append(cp)
    print(f"checkpoint written: row {cp.seq} at {cp.at}")
    return 0


def cmd_enrol_face(args) -> int:
    """AUTH-1 bootstrap: enrol an operator's face from a features file (``python -m
    tools.face_capture``), with the checks of the admin page's enrolment, audited with who ran
    it. The way to set up the first security administrator under the default face policy; later
    enrolments are the security admin's, on the admin page. The features file is deleted once
    the template is stored (``--keep-captures`` keeps it)."""
    from .biometrics import FACE_MODEL
    from .factors import enrol_direct

    path = Path(args.captures)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"refused: {path} is not a features file from tools.face_capture ({exc})",
              file=sys.stderr)
        return 1
    captures = data.get("captures") if isinstance(data, dict) else data
    model = data.get("model", FACE_MODEL) if isinstance(data, dict) else FACE_MODEL
    if model != FACE_MODEL or not isinstance(captures, list) or not all(
            isinstance(c, str) for c in captures):
        print(f"refused: {path} holds no {FACE_MODEL} face features", file=sys.stderr)
        return 1
    settings = _settings(args)
    _, sessions = _sessions(settings)
    try:
        with sessions.begin() as db:
            report = enrol_direct(db, settings, args.login_id, captures, actor=f"cli:{args.by}")
    except ValueError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    if not args.keep_captures:
        path.unlink(missing_ok=True)
    print(f"face enrolled for {args.login_id} ({report.get('captures', len(captures))} captures)")
    return 0


def cmd_forms_purge(args) -> int:
    """申請書の電子保存: delete the signed forms past their retention date (and their feed events),
    at most ``--limit`` per run, oldest first, each deletion audited (``form.purge``, with the PDF's
    SHA-256 the ``form.store`` row recorded). Prints counts only."""
    from . import audit
    from .models import Case, utcnow
    from .signed_forms import case_subject, due_for_purge, purge

    settings = _settings(args)
    engine, sessions = _sessions(settings)
    try:
        with sessions.begin() as db:
            due = due_for_purge(db, utcnow(), args.limit)
            for row in due:
                audit.append(db, action="form.purge", outcome="ok", operator=args.by,
                             device="cli", subject=case_subject(db.get(Case, row.case_id)),
                             purpose="retention",
                             detail={"case_id": row.case_id, "form_id": row.form_id,
                                     "version": row.version, "sha256": row.sha256,
                                     "retention_until": row.retention_until.date().isoformat()})
                purge(db, row)
            db.flush()
            more = bool(due_for_purge(db, utcnow(), 1))
    finally:
        engine.dispose()
    print(f"purged {len(due)} signed forms past retention"
          + ("; more are due: run again" if more else ""))
    return 0


def cmd_division_add(args) -> int:
    """庁内連携: register a division's system (or give it a new token); the token is printed once
    and kept only as its SHA-256."""
    from . import audit
    from .renkei import add_division

    _, sessions = _sessions(_settings(args))
    try:
        with sessions.begin() as db:
            token = add_division(db, args.division_id, args.by)
            audit.append(db, action="renkei.division_add", outcome="ok", operator=args.by,
                         device="cli", purpose="renkei",
                         detail={"division_id": args.division_id})
    except ValueError as exc:
        print(f"cannot add {args.division_id}: {exc}", file=sys.stderr)
        return 2
    print(f"division {args.division_id}: its feed token (shown once, keep it in the division "
          "system's token file):", file=sys.stderr)
    print(token)
    return 0


def cmd_division_disable(args) -> int:
    """庁内連携: the division's token stops working at once (its next request: 401)."""
    from . import audit
    from .renkei import disable_division

    _, sessions = _sessions(_settings(args))
    try:
        with sessions.begin() as db:
            disable_division(db, args.division_id)
            audit.append(db, action="renkei.division_disable", outcome="ok", operator=args.by,
                         device="cli", purpose="renkei",
                         detail={"division_id": args.division_id})
    except ValueError as exc:
        print(f"cannot disable {args.division_id}: {exc}", file=sys.stderr)
        return 2
    print(f"division {args.division_id} disabled")
    return 0


def cmd_export_rights(args) -> int:
    """AUTHZ-9: the user/right list as CSV, to reconcile with the rights sheet."""
    from .review import RIGHTS_CSV_COLUMNS, rights_rows, to_csv

    _, sessions = _sessions(_settings(args))
    with sessions() as db:
        text = to_csv(rights_rows(db, clock.today()), RIGHTS_CSV_COLUMNS)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def cmd_access_review(args) -> int:
    """LOG-10: the daily access review; exit 1 when there are findings to look at."""
    from .review import access_review

    _, sessions = _sessions(_settings(args))
    with sessions() as db:
        report = access_review(db, args.date or clock.today())
    print(f"{report['date']}: {report['events']} audit events, "
          f"{len(report['findings'])} finding(s)")
    for f in report["findings"]:
        print(f"- [{f['kind']}] {f['operator'] or '-'} {f['at'] or ''} {f['detail_ja']}")
    return 1 if report["findings"] else 0


def listen_socket(host: str, port: int) -> socket.socket:
    """The listening socket, made with IPPROTO_TCP: asyncio switches Nagle off (TCP_NODELAY) on
    accepted connections only when the listening socket says it is TCP; with proto 0 every
    response's last segment waited ~40 ms for the client's delayed ACK (found by bench)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


def freeze_startup_heap() -> None:
    """Put what start-up allocated (modules, the ORM's mappers, pydantic's validators: ~150,000
    objects) out of the garbage collector's reach before serving. Otherwise each full collection
    walks all of it: measured pauses of a worker of up to ~140 ms under load, with every request
    in it waiting (the p99 of a lookup, #2). Only cycles made while serving are collected then."""
    import gc

    gc.collect()
    gc.freeze()


def _serve(app, host: str, port: int, on_ready=None) -> None:
    serve_socket(app, listen_socket(host, port), on_ready)


def serve_socket(app, sock, on_ready=None) -> None:
    """Serve ``app`` with uvicorn on the bound socket ``sock`` (the start-up heap frozen first);
    ``on_ready(port)`` once it accepts connections. The bench serves the same way on sockets of
    its own."""
    import uvicorn

    freeze_startup_heap()
    config = uvicorn.Config(app, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    if on_ready:
        def _wait():
            while not server.started:
                if server.should_exit:
                    return
                time.sleep(0.05)
            on_ready(sock.getsockname()[1])
        threading.Thread(target=_wait, daemon=True).start()
    server.run(sockets=[sock])


def default_workers(database_url: str) -> int:
    """SQLite: one process (the database has one writer anyway). PostgreSQL: one per core, up
    to 4: a lookup is CPU-bound Python, and one process uses one core."""
    if not database_url.startswith(("postgresql", "postgres:")):
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def _serve_workers(make_app, host: str, port: int, workers: int, on_ready=None) -> None:
    """``workers`` processes forked from this one, all accepting on one listening socket.

    Each child builds its own app (engine and connection pool) after the fork, so no database
    connection is shared between processes; the API keeps no state another process needs
    (architecture §5). This process only waits: SIGTERM or SIGINT stop the children gracefully,
    and if one child ends the others are stopped too (an exit is never silent).
    """
    import signal

    import uvicorn

    sock = listen_socket(host, port)
    sock.listen(2048)  # connections wait in the backlog until a worker accepts them
    children: list[int] = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            code = 1
            try:
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                server = uvicorn.Server(uvicorn.Config(make_app(), log_level="warning",
                                                       access_log=False))
                freeze_startup_heap()
                server.run(sockets=[sock])
                code = 0
            finally:
                os._exit(code)
        children.append(pid)
    if on_ready:
        on_ready(sock.getsockname()[1])

    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    pid, st = os.wait()
    children.remove(pid)
    # A worker ending before we asked is a failure, whatever its status; after SIGTERM, uvicorn
    # re-raises the signal in the worker once it has shut down, so an ended-by-signal is normal.
    failed = not stopping
    stop()
    for pid in children:
        os.waitpid(pid, 0)
    sock.close()
    if failed:
        raise SystemExit(f"a worker process ended unexpectedly (status "
                         f"{os.waitstatus_to_exitcode(st)}); stopped the others")


def worker_app_factory(settings, workers: int):
    """What each of ``workers`` processes calls to build its app: its own engine, with a share of
    80 database connections (PostgreSQL allows 100 by default) and no overflow, so that the
    processes together never exceed it however busy they are (at least 5 each: 16 workers, the
    most ``--workers`` takes, fit too). A quarter of the share goes to the lookup's own pool, and
    one to its audit writer (aio.py)."""
    def make():
        from .api import create_app
        from .db import make_engine

        per = max(5, 80 // workers)
        lookup = max(1, per // 4)
        return create_app(settings, make_engine(settings.database_url,
                                                pool_size=per - lookup - 1, max_overflow=0),
                          lookup_connections=lookup)
    return make


def cmd_serve(args) -> int:
    from .api import create_app

    settings = _settings(args)
    workers = args.workers or default_workers(settings.database_url)
    ready = lambda p: print(f"central API on http://{args.host}:{p} ({workers} worker"  # noqa: E731
                            f"{'s' if workers > 1 else ''})", flush=True)
    if workers > 1 and hasattr(os, "fork"):
        _serve_workers(worker_app_factory(settings, workers), args.host, args.port, workers,
                       ready)
    else:
        _serve(create_app(settings), args.host, args.port, ready)
    return 0


def _demo_setup(data_dir: Path, residents: int) -> dict:
    """First run: key, schema, synthetic residents, demo operators and this demo terminal. Later
    runs: the schema brought up to date and the demo operators added since."""
    from .admin import new_device_key_pem, public_key_from_pem, register_device
    from .crypto import MyNumberCipher
    from .migrate import upgrade
    from .seed import load
    from .synth import generate

    key_file = data_dir / "data-key"
    if not key_file.exists():
        key_file.write_text(new_master_key())
        key_file.chmod(0o600)
    # The demo is always its own SQLite register, whatever DATABASE_URL the shell has.
    os.environ["MADOGUCHI_DATA_KEY"] = key_file.read_text().strip()
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'central.db'}"
    # The audit chain anchored as in production: signed checkpoints beside the register (#21).
    audit_key = data_dir / "audit-key.pem"
    if not audit_key.exists():
        from .checkpoint import new_key_pem

        audit_key.write_bytes(new_key_pem())
        audit_key.chmod(0o600)
    os.environ["MADOGUCHI_AUDIT_KEY"] = str(audit_key)
    os.environ["MADOGUCHI_AUDIT_CHECKPOINTS"] = str(data_dir / "audit-checkpoints.jsonl")
    state_file = data_dir / "demo.json"
    from .config import Settings

    settings = Settings.from_env()
    # A register made by an earlier version is brought up to date (a no-op when it is), so that an
    # updated demo starts on the data the clerk already has instead of failing.
    upgrade(settings.database_url)
    engine, sessions = _sessions(settings)
    try:
        if state_file.exists():  # later runs: add the demo accounts made since to the list
            state = json.loads(state_file.read_text())
            with sessions.begin() as db:
                added = _add_demo_operators(db)
            if added:
                state["demo_operators"] = state.get("demo_operators", []) + added
                _write_demo_state(state_file, state)
            return state
        print(f"demo: generating {residents} synthetic residents …", file=sys.stderr, flush=True)
        load(engine, generate(20261122, residents, today=clock.today()),
             MyNumberCipher.from_master(parse_master_key(os.environ["MADOGUCHI_DATA_KEY"])))
        pem = new_device_key_pem()
        device_key_file = data_dir / "device-key.pem"
        device_key_file.write_bytes(pem)
        device_key_file.chmod(0o600)
        with sessions.begin() as db:
            demo_ops = _add_demo_operators(db)
            register_device(db, "DEMO-0001", "デモ端末", "counter", public_key_from_pem(pem),
                            actor="demo-setup")
    finally:
        engine.dispose()
    state = {"device_id": "DEMO-0001", "device_key_file": str(device_key_file),
             "demo_operators": demo_ops}
    _write_demo_state(state_file, state)
    return state

# The demo's accounts (fictional people). A register made by an earlier version gets the ones
# added since, when the demo starts on it (_demo_setup).
DEMO_OPERATORS = [
    ("clerk01", "窓口 一郎", ["clerk"]),
    ("clerk02", "窓口 花子", ["clerk", "my_number_access"]),
    ("review01", "審査 次郎", ["reviewer", "my_number_access"]),
    ("secadm01", "情報 管理子", ["security_admin"]),
    # 支援措置の判断 (WF-7) and the rights applications for 市民課 (AUTHZ-4)
    ("kacho01", "市民課長 三郎", ["supervisor"]),
]
# 所属 (section) of each demo account: the 所属長 of 市民課 applies for its clerks' rights
DEMO_SECTIONS = {"clerk01": "市民課", "clerk02": "市民課", "review01": "市民課",
                 "kacho01": "市民課", "secadm01": "情報政策課"}


def _add_demo_operators(db) -> list[dict]:
    """Create the demo accounts the register does not have yet, each with a new random password;
    return their entries for the login page (login, password, role)."""
    from sqlalchemy import select

    from .admin import create_operator, grant
    from .models import Operator
    from .rights import RIGHT_LABELS_JA

    existing = {op.login_id: op for op in db.scalars(select(Operator))}
    added = []
    for login, name, rights in DEMO_OPERATORS:
        if login in existing:
            if existing[login].section is None:  # a register made before sections existed
                existing[login].section = DEMO_SECTIONS.get(login)
            continue
        password = "demo-" + secrets.token_hex(3)
        create_operator(db, login, name, password, section=DEMO_SECTIONS.get(login),
                        actor="demo-setup")
        for r in rights:  # initial provisioning, recorded as such (AUTHZ-4/9)
            grant(db, login, r, actor="demo-setup")
        added.append({"login_id": login, "password": password,
                      "role": "・".join(RIGHT_LABELS_JA[r] for r in rights)})
    return added


def _write_demo_state(state_file: Path, state: dict) -> None:
    state_file.write_text(json.dumps(state, ensure_ascii=False, indent=1))
    state_file.chmod(0o600)


def _demo_enrol_faces(settings, faces_file: Path, state: dict) -> None:
    """Enrol every demo account that has no face yet with the given features (AUTH-1 demo)."""
    from sqlalchemy import select

    from .factors import enrol_direct
    from .models import BiometricTemplate, Operator

    try:
        captures = json.loads(faces_file.read_text(encoding="utf-8"))
    finally:
        faces_file.unlink(missing_ok=True)
    engine, sessions = _sessions(settings)
    try:
        with sessions.begin() as db:
            enrolled = set(db.scalars(select(Operator.login_id).join(
                BiometricTemplate, BiometricTemplate.operator_id == Operator.id)))
            for op in state.get("demo_operators", []):
                if op["login_id"] not in enrolled:
                    enrol_direct(db, settings, op["login_id"], captures, actor="demo-setup")
    except ValueError as exc:
        print(f"demo: face enrolment skipped: {exc}", file=sys.stderr, flush=True)
    finally:
        engine.dispose()


def cmd_demo(args) -> int:
    """Embedded demo central API on 127.0.0.1 with synthetic data; writes a ready file."""
    from .api import create_app
    from .config import Settings

    os.umask(0o077)  # the register file, its WAL and the keys are for this user only
    data_dir = Path(args.data_dir).expanduser()
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    data_dir.chmod(0o700)
    state = _demo_setup(data_dir, args.residents)
    # The demo asks the face of enrolled operators and lets the others in with the password
    # (a machine without the face models still runs the demo).
    settings = replace(Settings.from_env(), face_policy="if_enrolled")
    if args.demo_faces:
        _demo_enrol_faces(settings, Path(args.demo_faces), state)
    app = create_app(settings)

    def ready(port: int) -> None:
        info = dict(state, url=f"http://127.0.0.1:{port}")
        tmp = Path(args.ready_file).with_suffix(".tmp")
        tmp.write_text(json.dumps(info, ensure_ascii=False))
        tmp.chmod(0o600)
        tmp.replace(args.ready_file)
        print(f"demo: central API on {info['url']}", file=sys.stderr, flush=True)

    _serve(app, "127.0.0.1", args.port, ready)
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="madoguchi-central", description=__doc__)
    p.add_argument("--database-url", help="overrides DATABASE_URL")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("new-key", help="print a new base64 MADOGUCHI_DATA_KEY").set_defaults(
        fn=cmd_new_key)
    sub.add_parser("migrate", help="bring the schema to head").set_defaults(fn=cmd_migrate)
    s = sub.add_parser("seed", help="load synthetic residents")
    s.add_argument("--count", type=int, default=5000)
    s.add_argument("--seed", type=int, default=20261122)
    s.set_defaults(fn=cmd_seed)
    s = sub.add_parser("cs-receive", help="転出証明書情報 from a JSON file kept as 転入予定者 "
                       "(the 住基ネット CS adapter, K-WF-4.6; format: docs/cs-tenshutsu-joho.md)")
    s.add_argument("file")
    s.set_defaults(fn=cmd_cs_receive)
    s = sub.add_parser("synth-tenshutsu", help="write synthetic 転出証明書情報 of families moving "
                       "here from 架空県もみじ市 (for cs-receive)")
    s.add_argument("--out", required=True)
    s.add_argument("--households", type=int, default=20)
    s.add_argument("--seed", type=int, default=20261207)
    s.set_defaults(fn=cmd_synth_tenshutsu)
    s = sub.add_parser("create-operator")
    s.add_argument("login_id")
    s.add_argument("--name", required=True)
    s.add_argument("--password-stdin", action="store_true")
    s.add_argument("--contractor", action="store_true")
    s.add_argument("--employment-until", type=dt.date.fromisoformat)
    s.add_argument("--section", help="所属 (課): its 所属長 applies for the operator's rights")
    s.set_defaults(fn=cmd_create_operator)
    s = sub.add_parser("grant", help="initial provisioning of a right (never past 3/31), recorded "
                       "as such; through the API a right is granted only on a 所属長's "
                       "application executed by the security admin (AUTHZ-4)")
    s.add_argument("login_id")
    s.add_argument("right")
    s.add_argument("--until", type=dt.date.fromisoformat)
    s.set_defaults(fn=cmd_grant)
    s = sub.add_parser("register-device")
    s.add_argument("device_id")
    s.add_argument("--name", required=True)
    s.add_argument("--kind", choices=["counter", "loan"], required=True)
    s.add_argument("--public-key", required=True, help="PEM file of the device's Ed25519 key")
    s.add_argument("--loan-approved-by")
    s.add_argument("--loan-approval-ref")
    s.set_defaults(fn=cmd_register_device)
    s = sub.add_parser("disable-device", help="disable a lost or stolen terminal (DEV-3)")
    s.add_argument("--device-id", required=True)
    s.add_argument("--reason", required=True)
    s.add_argument("--by", required=True, help="the administrator's login id (audited)")
    s.set_defaults(fn=cmd_disable_device)
    s = sub.add_parser("audit-verify", help="verify the audit hash chain and its checkpoints")
    s.add_argument("--checkpoints", help="the checkpoint file (default MADOGUCHI_AUDIT_CHECKPOINTS)")
    s.add_argument("--checkpoint-key", help="PEM public key of the checkpoints "
                   "(default: MADOGUCHI_AUDIT_KEY's)")
    s.set_defaults(fn=cmd_audit_verify)
    s = sub.add_parser("new-audit-key", help="make the audit checkpoint signing key")
    s.add_argument("--out", required=True)
    s.set_defaults(fn=cmd_new_audit_key)
    sub.add_parser("audit-checkpoint", help="sign and append the audit chain's head now"
                   ).set_defaults(fn=cmd_audit_checkpoint)
    s = sub.add_parser("audit-proof", help="inclusion proof of one audit row (JSON)")
    s.add_argument("seq", type=int)
    s.set_defaults(fn=cmd_audit_proof)
    s = sub.add_parser("audit-check-proof", help="check an audit-proof document with the public key")
    s.add_argument("proof")
    s.add_argument("--checkpoint-key", required=True, help="PEM public key of the checkpoints")
    s.set_defaults(fn=cmd_audit_check_proof)
    s = sub.add_parser("enrol-face", help="enrol an operator's face from tools.face_capture's file "
                       "(the first security admin)")
    s.add_argument("login_id")
    s.add_argument("--captures", required=True, help="the features file")
    s.add_argument("--by", required=True, help="who enrols (audited)")
    s.add_argument("--keep-captures", action="store_true")
    s.set_defaults(fn=cmd_enrol_face)
    s = sub.add_parser("forms-purge", help="delete the signed forms past their retention date "
                       "(audited, bounded per run)")
    s.add_argument("--limit", type=int, choices=range(1, 10_001), metavar="N", default=1000)
    s.add_argument("--by", default="retention", help="who runs it (audited)")
    s.set_defaults(fn=cmd_forms_purge)
    s = sub.add_parser("division-add", help="庁内連携: register a division's system and print its "
                       "feed token once")
    s.add_argument("division_id")
    s.add_argument("--by", required=True, help="the administrator's login id (audited)")
    s.set_defaults(fn=cmd_division_add)
    s = sub.add_parser("division-disable", help="庁内連携: switch a division's feed token off")
    s.add_argument("division_id")
    s.add_argument("--by", required=True, help="the administrator's login id (audited)")
    s.set_defaults(fn=cmd_division_disable)
    s = sub.add_parser("export-rights", help="user/right list as CSV (AUTHZ-9)")
    s.add_argument("--out")
    s.set_defaults(fn=cmd_export_rights)
    s = sub.add_parser("access-review", help="daily access review (LOG-10)")
    s.add_argument("--date", type=dt.date.fromisoformat, help="JST day, default today")
    s.set_defaults(fn=cmd_access_review)
    s = sub.add_parser("serve")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8700)
    s.add_argument("--workers", type=int, choices=range(1, 17), metavar="N",
                   help="API processes (default: 1 on SQLite, one per core up to 4 on "
                        "PostgreSQL)")
    s.set_defaults(fn=cmd_serve)
    s = sub.add_parser("demo", help="embedded demo API with synthetic data")
    s.add_argument("--data-dir", default="~/.local/share/madoguchi-demo")
    s.add_argument("--ready-file", required=True)
    s.add_argument("--port", type=int, default=0)
    s.add_argument("--residents", type=int, default=5000)
    s.add_argument("--demo-faces", help="JSON list of face features to enrol the demo accounts "
                   "with (the terminal's virtual camera operator); the file is deleted once read")
    s.set_defaults(fn=cmd_demo)
    args = p.parse_args(argv)
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
