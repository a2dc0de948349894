#!/usr/bin/env bash
# The main job: install what is missing, start the embedded central API (SQLite, synthetic residents)
# on 127.0.0.1, and open the counter client logged out. Extra arguments go to the client
# (e.g. --lang en, --data-dir DIR, --screenshot out.png).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m ui.main --demo "$@"
