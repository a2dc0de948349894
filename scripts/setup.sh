#!/usr/bin/env bash
# Installs everything Madoguchi needs on a Debian machine (run as root), idempotently:
# Debian packages, a virtualenv in .venv, and the Python packages pinned by constraints.txt.
#   scripts/setup.sh          runtime + test dependencies
# It is called by scripts/demo.sh and scripts/test.sh; nobody needs to run it by hand.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  python3 python3-venv python3-dev build-essential
  # Qt's xcb/offscreen platform plugins and fonts for Japanese text
  libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0
  libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xkb1 fonts-noto-cjk
  # screenshots, PDFs rendered back, the real database, card stack, keyring
  xvfb xauth poppler-utils postgresql pcscd vsmartcard-vpcd libpcsclite-dev
  gnome-keyring dbus dbus-x11 libsecret-tools
  # printing through a real spooler: a private cupsd with a file-backed queue (testbed/stacks/cupsd.py)
  cups-daemon cups-client
  # installers (#9): .deb and a signed apt repository, the MSI (wixl) and Authenticode signing
  dpkg-dev apt-utils gnupg msitools wixl osslsigncode
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: missing Debian packages: ${missing[*]} (run as root, or install them)" >&2
    exit 1
  fi
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python 3.11 or newer: prefer an explicit 3.11, else python3.
PY=${MADOGUCHI_PYTHON:-$(command -v python3.11 || command -v python3)}
"$PY" -c 'import sys; assert sys.version_info >= (3, 11), sys.version' || {
  echo "setup: Python 3.11 or newer is required ($PY is too old)" >&2; exit 1; }

stamp=.venv/.madoguchi-installed
want=$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing Python packages into .venv"
  [ -x .venv/bin/python ] || "$PY" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  PIP_CONSTRAINT=constraints.txt .venv/bin/python -m pip install -q -c constraints.txt -e '.[dev]'
  echo "$want" > "$stamp"
fi
