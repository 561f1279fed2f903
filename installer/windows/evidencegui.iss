; Inno Setup 6 script: per-machine installer of the EvidenceGUI one-folder build.
; Build on Windows (see installer/windows/README.md):
;   pyinstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller installer\evidencegui.spec
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 installer\windows\evidencegui.iss
; Output: dist\evidencegui-<version>-windows-x64-setup.exe
; Silent install for software deployment: evidencegui-...-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; Silent removal: "C:\Program Files\EvidenceGUI\unins000.exe" /VERYSILENT

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "EvidenceGUI"
#define AppExe "evidencegui.exe"
#define CliExe "evidencegui-cli.exe"
#define SrcDir "..\..\dist\evidencegui"

[Setup]
; Never change AppId: upgrades and uninstall find the installed copy by it.
AppId={{6C0B5D1E-3F5A-4F0B-9B7E-2E8D1A4C7E11}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=EvidenceGUI
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; per-machine install into Program Files: needs administrator rights
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=evidencegui-{#AppVersion}-windows-x64-setup
SetupIconFile=..\icons\evidencegui.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes
ChangesEnvironment=yes
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"
Name: "associate"; Description: "Open .evidence.json project files with {#AppName}"; GroupDescription: "File types:"
Name: "addtopath"; Description: "Add the command line (evidencegui-cli) to PATH"; GroupDescription: "Command line:"; Flags: unchecked

[Files]
; the whole one-folder build: both launchers and _internal\
Source: "{#SrcDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; file association, per machine (HKLM), removed on uninstall
Root: HKA; Subkey: "Software\Classes\.evidence.json"; ValueType: string; ValueName: ""; ValueData: "EvidenceGUI.Project"; Flags: uninsdeletevalue; Tasks: associate
Root: HKA; Subkey: "Software\Classes\.evidence.json\OpenWithProgids"; ValueType: string; ValueName: "EvidenceGUI.Project"; ValueData: ""; Flags: uninsdeletevalue; Tasks: associate
Root: HKA; Subkey: "Software\Classes\EvidenceGUI.Project"; ValueType: string; ValueName: ""; ValueData: "EvidenceGUI project"; Flags: uninsdeletekey; Tasks: associate
Root: HKA; Subkey: "Software\Classes\EvidenceGUI.Project\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"; Tasks: associate
Root: HKA; Subkey: "Software\Classes\EvidenceGUI.Project\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""; Tasks: associate
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".evidence.json"; ValueData: ""; Flags: uninsdeletekey; Tasks: associate
; optional PATH entry for the console launcher
Root: HKLM; Subkey: "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"; ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NeedsAddPath(ExpandConstant('{app}'))

[Run]
; offer to open the program when the wizard ends (not in silent installs)
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Code]
function NeedsAddPath(Dir: string): Boolean;
var
  OrigPath: string;
begin
  if not RegQueryStringValue(HKEY_LOCAL_MACHINE,
    'SYSTEM\CurrentControlSet\Control\Session Manager\Environment', 'Path', OrigPath) then
  begin
    Result := True;
    exit;
  end;
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(OrigPath) + ';') = 0;
end;
