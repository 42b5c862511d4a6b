; Inno Setup script of AkquiseDesktop (Windows). Build the bundle first:
;   python tools\translations.py release
;   pyinstaller --noconfirm --clean installer\akquise_desktop.spec
; then, from the project root:
;   iscc installer\windows\akquise.iss        (Inno Setup 6)
; Result: build\installer\AkquiseDesktop-Setup-<version>.exe
;
; Installs per user (no administrator needed): the program under
; %LOCALAPPDATA%\Programs\AkquiseDesktop, a start-menu entry, an optional
; desktop entry, and the URL scheme akquise:// in HKCU (desktop shortcuts to
; records, links). Uninstalling removes the program and the scheme and keeps
; the user's data: the database (%LOCALAPPDATA%\AkquiseDesktop), the settings
; (registry HKCU\Software\AkquiseDesktop) and the passwords in the Windows
; Credential Manager are never touched.

#define AppName "AkquiseDesktop"
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppExe "akquise-desktop.exe"
#define Bundle "..\..\dist\akquise-desktop"

[Setup]
AppId={{6B0C6C5E-4E1B-4C4B-9F3B-0A6B75697365}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher={#AppName}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\build\installer
OutputBaseFilename={#AppName}-Setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
UninstallDisplayIcon={app}\{#AppExe}
; (akquise.ico, when present, is the setup's icon too)
#if FileExists(AddBackslash(SourcePath) + "akquise.ico")
SetupIconFile=akquise.ico
#endif

[Languages]
Name: "de"; MessagesFile: "compiler:Languages\German.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; The URL scheme akquise:// for this user: Windows starts the program with
; the link as its argument ("akquise-desktop.exe akquise://record/12?db=…");
; a running instance of that database takes it over (single instance).
Root: HKCU; Subkey: "Software\Classes\akquise"; ValueType: string; ValueName: ""; ValueData: "URL:AkquiseDesktop-Link"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\akquise"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""
Root: HKCU; Subkey: "Software\Classes\akquise\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"",0"
Root: HKCU; Subkey: "Software\Classes\akquise\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the program itself put next to it; the user's data stays (see above).
Type: filesandordirs; Name: "{app}\_internal\__pycache__"
