# Windows build of the Madoguchi client (#9) — runs ONLY on a Windows build machine:
#   PyInstaller on Windows, Authenticode-sign every .exe/.dll we ship, harvest + build the MSI with
#   WiX 3 (heat/candle/light), sign the MSI, RFC 3161 timestamp everything, verify.
#
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1 -Version 0.2.0 `
#       -CertThumbprint <SHA1 of the code-signing cert in the machine store> `
#       [-TimestampUrl http://timestamp.digicert.com]
#
# Needs: Python 3.11 x64 with `pip install -c constraints.txt -e .[dev]`, WiX Toolset 3.14 (heat,
# candle, light on PATH), Windows SDK signtool.exe, the code-signing certificate (an HSM/EV token
# in production). Untested in this repository's CI (Linux): see packaging/README.md.
param(
  [Parameter(Mandatory)] [string] $Version,
  [Parameter(Mandatory)] [string] $CertThumbprint,
  [string] $TimestampUrl = "http://timestamp.digicert.com",
  [string] $Out = "build\windows"
)
$ErrorActionPreference = "Stop"
$Repo = Resolve-Path "$PSScriptRoot\..\.."
Set-Location $Repo
New-Item -ItemType Directory -Force -Path "$Out\qm" | Out-Null

function Sign-Files([string[]] $Files) {
  # /fd sha256 file digest, /tr + /td RFC 3161 timestamp so signatures outlive the certificate
  & signtool sign /sha1 $CertThumbprint /fd sha256 /tr $TimestampUrl /td sha256 `
      /d "Madoguchi Counter Terminal" $Files
  if ($LASTEXITCODE -ne 0) { throw "signtool sign failed" }
  & signtool verify /pa /all $Files
  if ($LASTEXITCODE -ne 0) { throw "signtool verify failed" }
}

# 1. frozen client
python -c "import sys; from pathlib import Path; from ui.common.i18n import compile_translation as c; c(Path('resources/translations/madoguchi_en.ts'), Path(sys.argv[1]) / 'madoguchi_en.qm')" "$Out\qm"
$env:MADOGUCHI_QM_DIR = "$Out\qm"
python -m PyInstaller --noconfirm --distpath "$Out\dist" --workpath "$Out\work" packaging\madoguchi.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }
$env:QT_QPA_PLATFORM = "offscreen"
& "$Out\dist\madoguchi\madoguchi.exe" --self-test
if ($LASTEXITCODE -ne 0) { throw "self-test of the frozen client failed" }
Remove-Item Env:\QT_QPA_PLATFORM

# 2. SBOM + licences (shipped inside the MSI)
python -m tools.sbom --work "$Out\work\madoguchi" --dist "$Out\dist\madoguchi" --out-dir "$Out\sbom"
Copy-Item "$Out\sbom\sbom.cdx.json", "$Out\sbom\licenses.md" "$Out\dist\madoguchi\"

# 3. sign every executable and DLL that goes into the MSI (third-party DLLs included: a
#    counter terminal under WDAC/AppLocker runs only what the municipality's publisher rule allows)
$binaries = Get-ChildItem -Recurse "$Out\dist\madoguchi" -Include *.exe, *.dll, *.pyd | ForEach-Object FullName
Sign-Files $binaries

# 4. MSI: harvest the payload, compile, link
& heat dir "$Out\dist\madoguchi" -nologo -gg -sfrag -srd -sreg -dr INSTALLDIR -cg CG_Payload `
    -var var.PayloadDir -out "$Out\payload.wxs"
& candle -nologo -arch x64 -dVersion=$Version -dWin64=yes -dPayloadDir="$Out\dist\madoguchi" `
    -out "$Out\obj\\" packaging\windows\madoguchi.wxs "$Out\payload.wxs"
& light -nologo -out "$Out\madoguchi-$Version-x64.msi" "$Out\obj\madoguchi.wixobj" "$Out\obj\payload.wixobj"
if ($LASTEXITCODE -ne 0) { throw "WiX failed" }

# 5. sign + timestamp the MSI, verify
Sign-Files @("$Out\madoguchi-$Version-x64.msi")
Get-FileHash -Algorithm SHA256 "$Out\madoguchi-$Version-x64.msi"
Write-Host "built $Out\madoguchi-$Version-x64.msi"
