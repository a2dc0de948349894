"""Installer sizes and frozen start-up vs running from source (issue #9).

    .venv/bin/python -m bench.packaging [--build DIR] [--runs 7] [--no-write]

``--build DIR``: the output folder of an earlier ``packaging/build_linux.sh DIR`` (and, if present,
``DIR/msi`` of ``packaging/build_msi_linux.sh``); without it the Linux build and the CI MSI are made
in a temporary folder with throw-away keys. Start-up is the wall time of ``--self-test`` (process
start, imports, Qt platform, main window shown and painted offscreen, every native check), median
of ``--runs`` runs after one warm-up, for the frozen client and for ``python -m ui.main``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import common

SECTION = "packaging"
REPO = Path(__file__).resolve().parents[1]


def _timed(argv: list[str], env: dict[str, str], cwd: Path) -> float:
    started = time.perf_counter()
    proc = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[0]} --self-test failed:\n{proc.stdout[-2000:]}")
    return elapsed


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def _build(out: Path) -> None:
    gnupg = out / "gnupg"
    gnupg.mkdir(mode=0o700, parents=True)
    env = {**os.environ, "GNUPGHOME": str(gnupg)}
    subprocess.run(["gpg", "--batch", "--passphrase", "", "--quick-gen-key", "Bench <bench@example.invalid>",
                    "ed25519", "sign", "1d"], env=env, check=True, capture_output=True)
    fpr = subprocess.run(["gpg", "--batch", "--with-colons", "--list-secret-keys"], env=env, check=True,
                         capture_output=True, text=True).stdout.split("fpr:::::::::")[1].split(":")[0]
    try:
        subprocess.run(["bash", str(REPO / "packaging/build_linux.sh"), str(out)], cwd=REPO, check=True,
                       env={**env, "MADOGUCHI_GPG_KEY": fpr})
    finally:
        subprocess.run(["gpgconf", "--kill", "gpg-agent"], env=env, capture_output=True)
    ca = out / "ca"
    ca.mkdir()
    for args in (["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "k.pem", "-out", "c.pem", "-days", "1",
                  "-subj", "/CN=Bench", "-addext", "extendedKeyUsage=codeSigning"],):
        subprocess.run(["openssl", *args], cwd=ca, check=True, capture_output=True)
    subprocess.run(["bash", str(REPO / "packaging/build_msi_linux.sh"), str(out / "msi"), "0.1.0",
                    str(ca / "c.pem"), str(ca / "k.pem")], cwd=REPO, check=True, capture_output=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.packaging", description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-packaging-") as tmp:
        build = args.build
        build_seconds = None
        if build is None:
            build = Path(tmp) / "build"
            started = time.perf_counter()
            _build(build)
            build_seconds = time.perf_counter() - started
        frozen = build / "dist" / "madoguchi" / "madoguchi"
        deb = next(build.glob("madoguchi_*.deb"))
        msis = sorted((build / "msi").glob("*.msi")) if (build / "msi").is_dir() else []

        env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
        env["QT_QPA_PLATFORM"] = "offscreen"
        src_env = {**env, "PYTHONPATH": str(REPO)}
        frozen_env = {k: v for k, v in env.items() if k != "PYTHONPATH"}
        runs = {"frozen": [], "source": []}
        _timed([str(frozen), "--self-test"], frozen_env, Path(tmp))  # warm-up (page cache)
        _timed([sys.executable, "-m", "ui.main", "--self-test"], src_env, REPO)
        for _ in range(args.runs):  # interleaved so that load on the machine hits both alike
            runs["frozen"].append(_timed([str(frozen), "--self-test"], frozen_env, Path(tmp)))
            runs["source"].append(_timed([sys.executable, "-m", "ui.main", "--self-test"], src_env, REPO))

        sizes = [["frozen client folder (dist/madoguchi)", common.human_bytes(_dir_size(frozen.parent))],
                 [f"`.deb` ({deb.name}, gzip)", common.human_bytes(deb.stat().st_size)]]
        sizes += [[f"CI MSI ({m.name}, platform-independent payload, signed)", common.human_bytes(m.stat().st_size)]
                  for m in msis]
        timing = [[name, f"{statistics.median(v):.2f}", f"{min(v):.2f}", f"{max(v):.2f}", str(len(v))]
                  for name, v in runs.items()]
        command = ".venv/bin/python -m bench.packaging" + (f" --runs {args.runs}" if args.runs != 7 else "")
        lines = common.section_head("## Installers and frozen start-up (issue #9)", command)
        lines += [common.md_table(["artefact", "size"], sizes, "lr"), "",
                  "Start-up: wall time of `--self-test` (process start → main window painted offscreen → "
                  "all native checks done), seconds:", "",
                  common.md_table(["client", "median", "min", "max", "runs"], timing, "lrrrr"), ""]
        if build_seconds is not None:
            lines += [f"Whole Linux build (PyInstaller, self-test, SBOM, .deb, signed repo, MSI): "
                      f"{build_seconds:.0f} s.", ""]
        shown = (common.text_table(["artefact", "size"], sizes) + "\n\n"
                 + common.text_table(["client", "median s", "min", "max", "runs"], timing))
        common.publish(SECTION, "\n".join(lines), args.no_write, shown=shown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
