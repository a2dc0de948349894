"""Screenshots of the household screens (#22): 特例転入 from 転出証明書情報 and the 世帯の届出, and of
the 書かない窓口 forms (#23): the case page's forms, the resident's screen, 審査 and each generated form, taken
along the end-to-end tests in real offscreen windows against the central API on SQLite.

    .venv/bin/python scripts/screens_household.py [--out docs/screens]

The e2e tests save a window at each step they name (tests/e2e/windows.py ``screenshot``) only when
MADOGUCHI_SCREENS_OUT is set; this sets it and runs them. A developer tool; not part of the product.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TESTS = ["tests/e2e/test_tokurei_family_screen.py", "tests/e2e/test_setai_todoke_screen.py",
         "tests/e2e/test_forms_signed_screen.py"]


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--out", type=Path, default=REPO / "docs" / "screens")
    args = p.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, MADOGUCHI_SCREENS_OUT=str(args.out.resolve()),
               QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    return subprocess.call([sys.executable, "-m", "pytest", *TESTS, "-q", "-m", "not postgres",
                            "-p", "no:cacheprovider"], cwd=REPO, env=env)


if __name__ == "__main__":
    raise SystemExit(main())
