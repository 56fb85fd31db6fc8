; Inno Setup 6 script for AgentDesk (代办通). Built by installer/build_windows.ps1, which passes
; /DAppVersion=<version from agent_desk/__init__.py> and expects the PyInstaller one-folder bundle
; in dist\agent-desk\. Per-user install (no administrator rights needed on a township PC).
; The user's data lives in %LOCALAPPDATA%\AgentDesk (platformdirs), NOT in the program folder, so
; uninstalling keeps it unless the user ticks the box on the uninstaller's question.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "AgentDesk"
#define AppExe "agent-desk.exe"

[Setup]
AppId={{6F1D2A4E-3C5B-4D7A-9E21-A6B0C8D4E5F1}
AppName={#AppName}
AppVerName={#AppName} {#AppVersion}
AppVersion={#AppVersion}
AppPublisher=AgentDesk
DefaultDirName={localappdata}\Programs\AgentDesk
DefaultGroupName={cm:GroupName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\dist\installer
OutputBaseFilename=AgentDesk-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
ShowLanguageDialog=yes

[Languages]
; ChineseSimplified.isl is an official translation shipped in Inno Setup 6.3+ (Languages\);
; older installs need it copied from the Inno Setup translations page (see README.md).
Name: "zh_CN"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
zh_CN.GroupName=代办通
en.GroupName=AgentDesk
zh_CN.AppTitle=代办通
en.AppTitle=AgentDesk
zh_CN.RemoveDataQuestion=是否同时删除本机上的代办通数据（委托人、办件、生成的文书、日志和备份）？%n%n数据文件夹：%1%n%n选择“否”会保留数据，重新安装后可以继续使用。删除后无法恢复。
en.RemoveDataQuestion=Also delete AgentDesk's data on this computer (clients, cases, generated documents, logs and backups)?%n%nData folder: %1%n%nChoose "No" to keep it for a later reinstall. Deleted data cannot be recovered.
zh_CN.RunAfterInstall=启动代办通
en.RunAfterInstall=Start AgentDesk

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\dist\agent-desk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{cm:AppTitle}"; Filename: "{app}\{#AppExe}"
Name: "{autoprograms}\{cm:AppTitle} – {cm:UninstallProgram,{cm:AppTitle}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{cm:AppTitle}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:RunAfterInstall}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the program folder itself may have gained (Python caches); never the data folder here.
Type: filesandordirs; Name: "{app}\_internal\__pycache__"

[Code]
function DataFolder(): String;
begin
  { platformdirs.user_data_dir("AgentDesk", appauthor=False) on Windows }
  Result := ExpandConstant('{localappdata}\AgentDesk');
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Folder: String;
begin
  if CurUninstallStep = usPostUninstall then
  begin
    Folder := DataFolder();
    if DirExists(Folder) and not UninstallSilent() then
      if MsgBox(FmtMessage(CustomMessage('RemoveDataQuestion'), [Folder]), mbConfirmation,
                MB_YESNO or MB_DEFBUTTON2) = IDYES then
        DelTree(Folder, True, True, True);
  end;
end;
