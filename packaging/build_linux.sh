#!/usr/bin/env bash
# Linux build of the counter-terminal client (#9):
#   1. the frozen client (PyInstaller one-folder) and its --self-test,
#   2. the SBOM (CycloneDX) and licence list of what it bundles,
#   3. a .deb that installs it into /opt/madoguchi,
#   4. a signed apt repository (InRelease + Release.gpg) holding that .deb.
#
#   packaging/build_linux.sh OUT [VERSION]
#
# Signing: GNUPGHOME and MADOGUCHI_GPG_KEY (key id or fingerprint) name the archive signing key;
# without MADOGUCHI_GPG_KEY the repository is left unsigned (and `python -m tools.verify apt-repo`
# refuses it). The public key is exported to OUT/repo/madoguchi-archive-keyring.gpg.
# Outputs: OUT/dist/madoguchi/ (frozen), OUT/madoguchi_VERSION_amd64.deb, OUT/repo/, OUT/sbom/.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(mkdir -p "${1:?usage: build_linux.sh OUT [VERSION]}" && cd "$1" && pwd)
VERSION=${2:-$(grep -m1 '^version' "$REPO/pyproject.toml" | cut -d'"' -f2)}
PY=${PYTHON:-$REPO/.venv/bin/python}
ARCH=$(dpkg --print-architecture)
cd "$REPO"

echo "== frozen client (PyInstaller)"
mkdir -p "$OUT/qm"
"$PY" -c "import sys; from pathlib import Path; from ui.common.i18n import compile_translation as c; c(Path('resources/translations/madoguchi_en.ts'), Path(sys.argv[1]) / 'madoguchi_en.qm')" "$OUT/qm"
MADOGUCHI_QM_DIR="$OUT/qm" "$PY" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$OUT/dist" --workpath "$OUT/work" packaging/madoguchi.spec

echo "== self-test of the frozen client"
env -u DISPLAY -u WAYLAND_DISPLAY QT_QPA_PLATFORM=offscreen "$OUT/dist/madoguchi/madoguchi" --self-test

echo "== SBOM"
"$PY" -m tools.sbom --work "$OUT/work/madoguchi" --dist "$OUT/dist/madoguchi" --out-dir "$OUT/sbom"

echo "== .deb"
PKG=$OUT/deb/madoguchi_${VERSION}_$ARCH
rm -rf "$PKG"
mkdir -p "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/doc/madoguchi" "$PKG/usr/share/applications"
cp -a "$OUT/dist/madoguchi" "$PKG/opt/madoguchi"
ln -s /opt/madoguchi/madoguchi "$PKG/usr/bin/madoguchi"
cp "$OUT/sbom/sbom.cdx.json" "$OUT/sbom/licenses.md" "$PKG/usr/share/doc/madoguchi/"
cat > "$PKG/usr/share/applications/madoguchi.desktop" <<EOF
[Desktop Entry]
Type=Application
Name=窓口端末 Madoguchi
Exec=/opt/madoguchi/madoguchi
Terminal=false
Categories=Office;
EOF
SIZE_KB=$(du -sk --exclude=DEBIAN "$PKG" | cut -f1)
cat > "$PKG/DEBIAN/control" <<EOF
Package: madoguchi
Version: $VERSION
Architecture: $ARCH
Maintainer: Madoguchi project <madoguchi@example.invalid>
Installed-Size: $SIZE_KB
Depends: libc6, libgl1, libegl1, libfontconfig1, libxkbcommon0, libxkbcommon-x11-0, libdbus-1-3, libxcb-cursor0, libpcsclite1, fonts-noto-cjk
Recommends: pcscd, gnome-keyring
Section: misc
Priority: optional
Description: 窓口端末 — Madoguchi counter terminal client
 Frozen PySide6 client for municipal service counters. Configure it with a
 municipality-signed /etc/madoguchi/terminal.json and municipality.pub;
 check an installation with: madoguchi --self-test
EOF
DEB=$OUT/madoguchi_${VERSION}_$ARCH.deb
dpkg-deb --root-owner-group -Zgzip -z6 --build "$PKG" "$DEB" >/dev/null
rm -rf "$OUT/deb"

echo "== apt repository"
R=$OUT/repo
rm -rf "$R"
mkdir -p "$R/pool/main/m/madoguchi" "$R/dists/stable/main/binary-$ARCH"
cp "$DEB" "$R/pool/main/m/madoguchi/"
(cd "$R" && apt-ftparchive packages pool > "dists/stable/main/binary-$ARCH/Packages")
gzip -9 -n -k "$R/dists/stable/main/binary-$ARCH/Packages"
apt-ftparchive -o APT::FTPArchive::Release::Origin=Madoguchi \
  -o APT::FTPArchive::Release::Label=Madoguchi -o APT::FTPArchive::Release::Suite=stable \
  -o APT::FTPArchive::Release::Codename=stable -o "APT::FTPArchive::Release::Architectures=$ARCH" \
  -o APT::FTPArchive::Release::Components=main release "$R/dists/stable" > "$OUT/Release.tmp"
mv "$OUT/Release.tmp" "$R/dists/stable/Release"
if [ -n "${MADOGUCHI_GPG_KEY:-}" ]; then
  gpg --batch --yes --local-user "$MADOGUCHI_GPG_KEY" --clearsign \
    -o "$R/dists/stable/InRelease" "$R/dists/stable/Release"
  gpg --batch --yes --local-user "$MADOGUCHI_GPG_KEY" --armor --detach-sign \
    -o "$R/dists/stable/Release.gpg" "$R/dists/stable/Release"
  gpg --batch --yes --export "$MADOGUCHI_GPG_KEY" > "$R/madoguchi-archive-keyring.gpg"
  echo "signed with $MADOGUCHI_GPG_KEY"
else
  echo "MADOGUCHI_GPG_KEY not set: the repository is NOT signed" >&2
fi
echo "built $DEB ($(du -h "$DEB" | cut -f1)) and $R"
