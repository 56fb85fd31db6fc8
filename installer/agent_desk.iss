; Inno Setup 6 script for AgentDesk (代办通). Built by installer/build_windows.ps1, which passes
; /DAppVersion=<version from agent_desk/__init__.py> and expects the PyInstaller one-folder bundle
; in dist\agent-desk\. Windows 10/11 64-bit only (Qt 6 and Python 3.11 need it). Installs for the
; current user without administrator rights (%LOCALAPPDATA%\Programs\AgentDesk), or for all users
; into Program Files when the user picks that in the first dialog and can elevate ({autopf}).
; Each user's data lives in their own %LOCALAPPDATA%\AgentDesk (platformdirs), NOT in the program
; folder, so uninstalling keeps it unless the user ticks the box on the uninstaller's question.

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
DefaultDirName={autopf}\AgentDesk
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
SetupIconFile=icon\agent-desk.ico
VersionInfoVersion={#AppVersion}
VersionInfoProductName=代办通 AgentDesk
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
zh_CN.PrintingHeading=打印：
en.PrintingHeading=Printing:
zh_CN.PrintingWith=预览和打印将使用 %1 把文书转成 PDF。
en.PrintingWith=Print preview and printing will use %1 to turn documents into PDF.
zh_CN.PrintingNone=本机没有找到 WPS Office、Microsoft Word 或 LibreOffice。请安装其中任意一个（村里电脑常用 WPS Office），否则只能在编辑器中打开文书再打印。
en.PrintingNone=No WPS Office, Microsoft Word or LibreOffice was found. Install any one of them (WPS Office is common), or documents can only be opened in an editor and printed from there.

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

[Messages]
zh_CN.WinVersionTooLowError=代办通需要 64 位的 Windows 10 或 Windows 11。
en.WinVersionTooLowError=AgentDesk needs Windows 10 or Windows 11, 64-bit.

[Code]
{ What print preview will convert documents with, in the app's own order (fill/converters.py). }
function PdfConverterName(): String;
var
  Path: String;
begin
  Result := '';
  if RegQueryStringValue(HKLM, 'SOFTWARE\LibreOffice\UNO\InstallPath', '', Path) or
     RegQueryStringValue(HKLM, 'SOFTWARE\WOW6432Node\LibreOffice\UNO\InstallPath', '', Path) then
    Result := 'LibreOffice'
  else if RegKeyExists(HKCR, 'KWPS.Application\CLSID') or RegKeyExists(HKCR, 'WPS.Application\CLSID') then
    Result := 'WPS Office'
  else if RegKeyExists(HKCR, 'Word.Application\CLSID') then
    Result := 'Microsoft Word';
end;

function UpdateReadyMemo(Space, NewLine, MemoUserInfoInfo, MemoDirInfo, MemoTypeInfo, MemoComponentsInfo,
  MemoGroupInfo, MemoTasksInfo: String): String;
var
  Printing: String;
begin
  if PdfConverterName() = '' then
    Printing := CustomMessage('PrintingNone')
  else
    Printing := FmtMessage(CustomMessage('PrintingWith'), [PdfConverterName()]);
  Result := MemoDirInfo + NewLine + NewLine + MemoGroupInfo + NewLine + NewLine + MemoTasksInfo + NewLine + NewLine +
    CustomMessage('PrintingHeading') + NewLine + Space + Printing;
end;

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
