# Build the AgentDesk Windows installer in one go (see installer/README.md).
#   powershell -ExecutionPolicy Bypass -File installer\build_windows.ps1
# Steps: a fresh venv in .venv-win with the locked dependencies (installer\requirements-windows.lock,
# hashes checked), the app itself, the translations, the one-folder bundle, its self-test through the
# console companion, signing when a certificate is given, then Inno Setup's compiler (ISCC).
# Signing: set AGENTDESK_SIGN_PFX (path to a .pfx) and AGENTDESK_SIGN_PASSWORD; without them the
# build goes on unsigned, with a warning (360 and 火绒 may then flag the installer).
$ErrorActionPreference = "Stop"
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root

$Python = if ($env:PYTHON) { $env:PYTHON } else { "py" }
$PyArgs = if ($Python -eq "py") { @("-3.11") } else { @() }
$Iscc = if ($env:ISCC) { $env:ISCC } else { "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
if (-not (Test-Path $Iscc)) { throw "Inno Setup 6 not found at $Iscc (install it or set ISCC)" }

Write-Host "== venv and dependencies"
if (-not (Test-Path .venv-win)) { & $Python @PyArgs -m venv .venv-win }
$Py = Join-Path $Root ".venv-win\Scripts\python.exe"
& $Py -m pip install -q --upgrade pip
# The same versions on every build: the lock pins every package of the bundle with its hashes.
& $Py -m pip install -q --require-hashes -r installer\requirements-windows.lock
if ($LASTEXITCODE) { throw "pip install of the locked dependencies failed" }
& $Py -m pip install -q --no-deps --no-build-isolation .
if ($LASTEXITCODE) { throw "pip install of the app failed" }

Write-Host "== translations"
& (Join-Path $Root ".venv-win\Scripts\pyside6-lrelease.exe") -silent agent_desk\ui\i18n\agent_desk_zh_CN.ts -qm agent_desk\ui\i18n\agent_desk_zh_CN.qm
if ($LASTEXITCODE) { throw "lrelease failed" }

Write-Host "== one-folder bundle"
& $Py -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build\pyinstaller installer\agent_desk.spec
if ($LASTEXITCODE) { throw "PyInstaller failed" }

Write-Host "== self-test of the bundle (temp folder, Windows Credential Manager, PDFium, offscreen window)"
$env:QT_QPA_PLATFORM = "offscreen"
& dist\agent-desk\agent-desk-cli.exe --version
& dist\agent-desk\agent-desk-cli.exe selftest
$SelfTest = $LASTEXITCODE
Remove-Item Env:\QT_QPA_PLATFORM
if ($SelfTest -ne 0) { throw "self-test failed (exit $SelfTest)" }

function Sign-Files([string[]] $Files) {
    if (-not $env:AGENTDESK_SIGN_PFX) {
        Write-Warning "未签名 (not signed): set AGENTDESK_SIGN_PFX and AGENTDESK_SIGN_PASSWORD to sign $($Files -join ', ')"
        return
    }
    $SignTool = if ($env:SIGNTOOL) { $env:SIGNTOOL } else {
        (Get-ChildItem "${env:ProgramFiles(x86)}\Windows Kits\10\bin\*\x64\signtool.exe" | Sort-Object FullName | Select-Object -Last 1).FullName }
    if (-not $SignTool) { throw "signtool.exe not found (install the Windows SDK or set SIGNTOOL)" }
    & $SignTool sign /f $env:AGENTDESK_SIGN_PFX /p $env:AGENTDESK_SIGN_PASSWORD /fd sha256 /tr http://timestamp.digicert.com /td sha256 $Files
    if ($LASTEXITCODE) { throw "signing failed" }
}
Sign-Files @("dist\agent-desk\agent-desk.exe", "dist\agent-desk\agent-desk-cli.exe")

Write-Host "== installer"
$Version = (& dist\agent-desk\agent-desk-cli.exe --version).Split(" ")[-1]  # agent_desk.__version__, the one source
& $Iscc "/DAppVersion=$Version" installer\agent_desk.iss
if ($LASTEXITCODE) { throw "ISCC failed" }
Sign-Files @(Get-ChildItem dist\installer\*.exe | ForEach-Object { $_.FullName })
Get-ChildItem dist\installer\*.exe | ForEach-Object { Write-Host "built $($_.FullName) ($([math]::Round($_.Length / 1MB)) MB)" }
