"""``akquise-desktop --register-url-scheme``: on Linux, ``akquise://`` links
open with this program (the freedesktop way): a ``.desktop`` file with
``MimeType=x-scheme-handler/akquise`` in ``~/.local/share/applications``
(``$XDG_DATA_HOME``), and ``xdg-mime default`` makes it the scheme's handler.

On Windows the installer registers the scheme (HKCU, ``installer/windows/akquise.iss``),
on macOS the bundle's ``Info.plist`` (``CFBundleURLTypes``).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

DESKTOP_FILE = "akquise-desktop.desktop"
MIME_TYPE = "x-scheme-handler/akquise"


def applications_dir() -> Path:
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "applications"


def command() -> list[str]:
    """How to start this program: the bundle's executable, or this Python
    running the package."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "akquise_desktop"]


def _exec_quote(arg: str) -> str:
    """One argument of a .desktop ``Exec=`` (the spec's quoting)."""
    if arg and all(c.isalnum() or c in "/._-+=:@," for c in arg):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return f'"{escaped}"'.replace("%", "%%")


def desktop_entry(argv: list[str] | None = None) -> str:
    exec_line = " ".join(_exec_quote(a) for a in (argv or command()))
    return "\n".join(
        [
            "[Desktop Entry]",
            "Version=1.0",
            "Type=Application",
            "Name=AkquiseDesktop",
            "GenericName=CRM",
            "Comment=Akquise-CRM: Aktivitäten, Wiedervorlagen, Kampagnen",
            f"Exec={exec_line} %u",
            "Icon=akquise-desktop",
            "Terminal=false",
            "Categories=Office;",
            f"MimeType={MIME_TYPE};",
            "StartupWMClass=AkquiseDesktop",
            "",
        ]
    )


def register(*, directory: Path | None = None, xdg_mime: str | None = "xdg-mime", out=None) -> int:
    """Write the .desktop file and make it the handler; 0, or 2 with the reason."""
    out = out or sys.stdout
    if sys.platform in ("win32", "darwin"):
        print(
            "akquise-desktop: auf Windows und macOS registriert das Installationsprogramm "
            "das Schema akquise://.",
            file=sys.stderr,
        )
        return 2
    folder = directory or applications_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / DESKTOP_FILE
    target.write_text(desktop_entry(), encoding="utf-8")
    print(f"{target} geschrieben.", file=out)
    tool = shutil.which(xdg_mime) if xdg_mime else None
    if tool is None:
        print(
            "akquise-desktop: xdg-mime nicht gefunden; bitte selbst ausführen: "
            f"xdg-mime default {DESKTOP_FILE} {MIME_TYPE}",
            file=sys.stderr,
        )
        return 2
    done = subprocess.run(
        [tool, "default", DESKTOP_FILE, MIME_TYPE], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip() or f"Exit-Code {done.returncode}"
        print(f"akquise-desktop: xdg-mime default fehlgeschlagen: {reason}", file=sys.stderr)
        return 2
    updater = shutil.which("update-desktop-database")
    if updater:
        subprocess.run([updater, str(folder)], capture_output=True, check=False)
    print(f"akquise://-Links öffnen jetzt mit {shlex.join(command())}.", file=out)
    return 0
