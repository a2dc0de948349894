#!/usr/bin/env bash
# The signed MSI, authored and signed on Linux (CI) with wixl and osslsigncode (#9).
#
#   packaging/build_msi_linux.sh OUT VERSION CERT.pem KEY.pem [PAYLOAD_DIR]
#
# PAYLOAD_DIR is the Windows payload: on the Windows build machine the PyInstaller build
# (dist\madoguchi, see windows/build.ps1); here, without a Windows runner, the default stages the
# client's platform-independent payload (app/, ui/, drivers/, japan/, resources/, the entry point, the
# SBOM/licences if OUT/sbom has them) so that the MSI authoring, signing and verification are
# exercised for real. A Linux CI cannot make Windows executables, so the MSI built here does not
# contain a runnable madoguchi.exe; see packaging/README.md.
# CERT/KEY: the code-signing certificate (with its chain appended) and key. No timestamp here
# (CI has no network); the Windows script timestamps with RFC 3161.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(mkdir -p "${1:?usage: build_msi_linux.sh OUT VERSION CERT KEY [PAYLOAD]}" && cd "$1" && pwd)
VERSION=${2:?version}; CERT=${3:?cert}; KEY=${4:?key}
PAYLOAD=${5:-}
if [ -z "$PAYLOAD" ]; then
  PAYLOAD=$OUT/msi-payload
  rm -rf "$PAYLOAD"; mkdir -p "$PAYLOAD"
  (cd "$REPO" && tar -cf - --exclude=__pycache__ --exclude='*.pyc' app ui drivers japan resources) \
    | tar -xf - -C "$PAYLOAD"
  cp "$REPO/packaging/madoguchi_entry.py" "$PAYLOAD/"
  [ -d "$OUT/sbom" ] && cp "$OUT/sbom/sbom.cdx.json" "$OUT/sbom/licenses.md" "$PAYLOAD/" || true
fi
PAYLOAD=$(cd "$PAYLOAD" && pwd)
(cd "$PAYLOAD" && find . -type f | sed 's|^\./||' | sort) \
  | wixl-heat --prefix "" --directory-ref INSTALLDIR --component-group CG_Payload \
      --var var.PayloadDir --win64 > "$OUT/payload.wxs"
UNSIGNED=$OUT/madoguchi-$VERSION-unsigned.msi
MSI=$OUT/madoguchi-$VERSION-x64.msi
# wixl resolves File sources relative to the working directory (absolute ones fail).
(cd "$OUT" && wixl --arch x64 -D Win64=yes -D Version="$VERSION" \
  -D PayloadDir="$(realpath --relative-to="$OUT" "$PAYLOAD")" -o "$UNSIGNED" \
  "$REPO/packaging/windows/madoguchi.wxs" "$OUT/payload.wxs")
rm -f "$MSI"
osslsigncode sign -certs "$CERT" -key "$KEY" -h sha256 -n "Madoguchi Counter Terminal" \
  -i "https://madoguchi.example.invalid/" -in "$UNSIGNED" -out "$MSI" >/dev/null
rm -f "$UNSIGNED"
echo "built and signed $MSI ($(du -h "$MSI" | cut -f1))"
