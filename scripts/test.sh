#!/usr/bin/env bash
# The whole test suite: installs what the tests need, then runs pytest (unit, ui offscreen, central on
# SQLite and on a real PostgreSQL that the test session starts and stops). Extra arguments go to pytest.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
export QT_QPA_PLATFORM=offscreen
.venv/bin/python -m pytest "$@"
rc=$?
if [ "$rc" = 5 ]; then
  echo "test.sh: no tests were collected — that is a failure, not a pass" >&2
  exit 1
fi
exit "$rc"
