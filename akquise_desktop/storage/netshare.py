"""Detect database paths on network shares, where SQLite's locking is unsafe."""

from __future__ import annotations

import os
import sys
from pathlib import Path

NETWORK_FS = {
    "nfs", "nfs4", "cifs", "smbfs", "smb2", "smb3", "afpfs", "webdav", "davfs",
    "fuse.sshfs", "sshfs", "9p", "ncpfs", "fuse.davfs2", "glusterfs", "ceph",
}  # fmt: skip


def mount_table() -> list[tuple[str, str]]:
    """(mount point, file system type) pairs of this machine (POSIX)."""
    try:
        with open("/proc/mounts", encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError:
        return _mount_command_table()
    result = []
    for line in lines:
        parts = line.split()
        if len(parts) >= 3:
            result.append((parts[1].replace("\\040", " "), parts[2]))
    return result


def _mount_command_table() -> list[tuple[str, str]]:
    """macOS/BSD: parse ``mount`` output: ``//u@srv/share on /Volumes/x (smbfs, ...)``."""
    import subprocess

    try:
        out = subprocess.run(["mount"], capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    result = []
    for line in out.splitlines():
        if " on " not in line or "(" not in line:
            continue
        rest = line.split(" on ", 1)[1]
        point, _, opts = rest.rpartition(" (")
        result.append((point, opts.split(",")[0].strip(" )")))
    return result


def is_network_path(path: Path, mounts: list[tuple[str, str]] | None = None) -> bool:
    """True if ``path`` lies on a network file system (or a Windows network drive)."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        return _windows_remote_drive(path)
    mounts = mount_table() if mounts is None else mounts
    resolved = os.path.abspath(text)
    best, best_type = "", ""
    for point, fstype in mounts:
        prefix = point.rstrip("/") + "/"
        if (resolved == point or resolved.startswith(prefix) or point == "/") and len(point) > len(
            best
        ):
            best, best_type = point, fstype
    return best_type.lower() in NETWORK_FS


def _windows_remote_drive(path: Path) -> bool:  # pragma: no cover - Windows only
    if sys.platform != "win32":  # mypy reads an assert on the platform only at module level
        raise AssertionError("called on Windows only")  # ctypes.windll exists there only
    import ctypes

    drive = os.path.splitdrive(os.path.abspath(str(path)))[0]
    if not drive:
        return False
    drive_remote = 4
    return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == drive_remote
