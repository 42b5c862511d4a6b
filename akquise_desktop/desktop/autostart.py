"""Start at login, per operating system.

Linux (and other freedesktop desktops): a ``.desktop`` file in
``$XDG_CONFIG_HOME/autostart`` (default ``~/.config/autostart``), as the XDG
Autostart specification describes; the app starts with its last connection
and, with the setting "start minimised to the tray", as a tray icon only.

Windows and macOS are not done here: Windows needs a value under
``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run`` (or a shortcut in the
user's Startup folder), which the installer can write and the uninstaller
remove; macOS needs a login item (``SMAppService`` from macOS 13, or a
LaunchAgent plist in ``~/Library/LaunchAgents``) for the signed ``.app``.
:func:`supported` says whether this platform has it here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

FILE_NAME = "akquise-desktop.desktop"


def supported(platform: str | None = None) -> bool:
    platform = platform or sys.platform
    return platform.startswith("linux") or "bsd" in platform


def autostart_dir(env: dict[str, str] | None = None) -> Path:
    env = dict(os.environ) if env is None else env
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME", "~")).expanduser() / ".config")
    return Path(base) / "autostart"


def command() -> list[str]:
    """How to start this program: the bundle's executable, or this Python."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "akquise_desktop"]


_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def quote(arg: str) -> str:
    """One argument of an ``Exec`` line (Desktop Entry Specification: double
    quotes, with ``"`` `` ` `` ``$`` ``\\`` escaped; ``%`` doubled)."""
    arg = arg.replace("%", "%%")
    if not arg or any(c in _RESERVED for c in arg):
        escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
        return f'"{escaped}"'
    return arg


def desktop_entry(argv: list[str]) -> str:
    exec_line = " ".join(quote(a) for a in argv)
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=AkquiseDesktop\n"
        "Comment=Follow-up reminders in the tray\n"
        f"Exec={exec_line}\n"
        "Icon=akquise-desktop\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def path(env: dict[str, str] | None = None) -> Path:
    return autostart_dir(env) / FILE_NAME


def is_enabled(env: dict[str, str] | None = None) -> bool:
    return path(env).is_file()


def enable(env: dict[str, str] | None = None, argv: list[str] | None = None) -> Path:
    target = path(env)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(desktop_entry(argv or command()), encoding="utf-8")
    return target


def disable(env: dict[str, str] | None = None) -> None:
    path(env).unlink(missing_ok=True)
