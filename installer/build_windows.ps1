# Build the AgentDesk Windows installer in one go (see installer/README.md).
#   powershell -ExecutionPolicy Bypass -File installer\build_windows.ps1
# Steps: a fresh venv in .venv-win, the app with its `dist` extra (PyInstaller), the translations,
# the one-folder bundle, its self-test, then Inno Setup's compiler (ISCC) on installer\agent_desk.iss.
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
& $Py -m pip install -q -e ".[dist]"
if ($LASTEXITCODE) { throw "pip install failed" }

Write-Host "== translations"
& (Join-Path $Root ".venv-win\Scripts\pyside6-lrelease.exe") -silent agent_desk\ui\i18n\agent_desk_zh_CN.ts -qm agent_desk\ui\i18n\agent_desk_zh_CN.qm
if ($LASTEXITCODE) { throw "lrelease failed" }

Write-Host "== one-folder bundle"
& $Py -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build\pyinstaller installer\agent_desk.spec
if ($LASTEXITCODE) { throw "PyInstaller failed" }

Write-Host "== self-test of the bundle (temp folder, Windows Credential Manager, offscreen window)"
$env:QT_QPA_PLATFORM = "offscreen"
$Test = Start-Process -FilePath dist\agent-desk\agent-desk.exe -ArgumentList "selftest" -Wait -PassThru `
    -RedirectStandardOutput build\selftest.txt -NoNewWindow
Get-Content build\selftest.txt -Encoding UTF8
Remove-Item Env:\QT_QPA_PLATFORM
if ($Test.ExitCode -ne 0) { throw "self-test failed (exit $($Test.ExitCode))" }

Write-Host "== installer"
$Version = (Select-String -Path agent_desk\__init__.py -Pattern '__version__ = "(.+)"').Matches[0].Groups[1].Value
& $Iscc "/DAppVersion=$Version" installer\agent_desk.iss
if ($LASTEXITCODE) { throw "ISCC failed" }
Get-ChildItem dist\installer\*.exe | ForEach-Object { Write-Host "built $($_.FullName) ($([math]::Round($_.Length / 1MB)) MB)" }
