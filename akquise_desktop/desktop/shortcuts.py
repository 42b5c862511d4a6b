"""Desktop shortcuts to a record ("Desktop-Verknüpfung anlegen").

One file on the user's desktop that opens ``akquise://record/<id>?db=…``
through the URL scheme the installer (Windows, macOS) or
``akquise-desktop --register-url-scheme`` (Linux) registers:

* Windows: an Internet shortcut ``.url`` (``[InternetShortcut]`` / ``URL=``);
* Linux: a ``.desktop`` entry (``Type=Application``, ``Exec=xdg-open <url>``:
  ``Type=Link`` is not opened by every desktop), made executable;
* macOS: a ``.webloc`` (a property list with the key ``URL``).

The shortcut names the database it was made for: its file name is
"<record> (<database>)" and, where the format has one, its comment says
which database it opens (:func:`database_label`).
"""

from __future__ import annotations

import os
import plistlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

WINDOWS, LINUX, MACOS = "windows", "linux", "macos"
PLATFORMS = (WINDOWS, LINUX, MACOS)
SUFFIX = {WINDOWS: ".url", LINUX: ".desktop", MACOS: ".webloc"}
ICON_NAME = "akquise-desktop"  # the Linux icon the installer/--register-url-scheme puts in place
MAX_NAME = 100


@dataclass(frozen=True)
class Shortcut:
    file_name: str
    content: bytes
    executable: bool = False


def current_platform() -> str:
    if sys.platform == "win32":
        return WINDOWS
    if sys.platform == "darwin":
        return MACOS
    return LINUX


def desktop_dir() -> Path:
    """The user's desktop folder (Qt's DesktopLocation; the home folder if none)."""
    from PySide6.QtCore import QStandardPaths

    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DesktopLocation)
    return Path(location) if location else Path.home()


def database_label(url: URL) -> str:
    """A short name of the database for people: the file's name, or
    ``database@host`` (no user, no password)."""
    if url.get_backend_name() == "sqlite":
        return Path(url.database or "memory").name
    port = f":{url.port}" if url.port and url.port != 5432 else ""
    return f"{url.database or ''}@{url.host or 'localhost'}{port}"


_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def safe_file_name(text: str) -> str:
    """``text`` as a file name every platform accepts (no separators,
    reserved characters, trailing dots or spaces; not too long)."""
    name = _UNSAFE.sub("_", text).strip().rstrip(".").strip()
    name = name[:MAX_NAME].rstrip(". ")
    if not name or name.upper().split(".")[0] in _RESERVED:
        name = f"_{name}"
    return name


_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10))} | {
    f"LPT{i}" for i in range(1, 10)
}


def _desktop_value(text: str) -> str:
    """A value of a .desktop entry (escapes of the Desktop Entry spec)."""
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def shortcut(
    platform: str, *, url: str, title: str, database: str, description: str = ""
) -> Shortcut:
    """The shortcut file for ``platform`` opening ``url``: ``title`` (the
    record's name) and ``database`` (:func:`database_label`) name it;
    ``description`` (e.g. "Datensatz #12 in …") is its comment."""
    if platform not in PLATFORMS:
        raise ValueError(f"unknown platform {platform!r}")
    if not url.isascii() or any(c in url for c in "\"'`$\\% \n\r"):
        raise ValueError(f"not a shortcut URL: {url!r}")
    name = f"{title} ({database})"
    file_name = safe_file_name(name) + SUFFIX[platform]
    if platform == WINDOWS:
        lines = ["[InternetShortcut]", f"URL={url}"]
        if getattr(sys, "frozen", False):
            lines += [f"IconFile={sys.executable}", "IconIndex=0"]
        return Shortcut(file_name, ("\r\n".join(lines) + "\r\n").encode("utf-8"))
    if platform == LINUX:
        lines = [
            "[Desktop Entry]",
            "Version=1.0",
            "Type=Application",
            f"Name={_desktop_value(name)}",
            f"Comment={_desktop_value(description or name)}",
            f'Exec=xdg-open "{url}"',
            f"Icon={ICON_NAME}",
            "Terminal=false",
            "Categories=Office;",
        ]
        return Shortcut(file_name, ("\n".join(lines) + "\n").encode("utf-8"), executable=True)
    return Shortcut(file_name, plistlib.dumps({"URL": url}, fmt=plistlib.FMT_XML))


def write(item: Shortcut, directory: str | os.PathLike[str] | None = None) -> Path:
    """Write ``item`` into ``directory`` (default: the desktop). A file of the
    same name with the same content is kept; with other content (another
    record of the same name) the new one gets a number: "Name 2.url"."""
    folder = Path(directory) if directory is not None else desktop_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stem, suffix = item.file_name[: -len(Path(item.file_name).suffix)], Path(item.file_name).suffix
    for n in range(1, 1000):
        target = folder / (item.file_name if n == 1 else f"{stem} {n}{suffix}")
        try:
            with open(target, "xb") as out:
                out.write(item.content)
        except FileExistsError:
            if target.read_bytes() == item.content:
                break
            continue
        break
    else:
        raise OSError(f"no free file name for {item.file_name} in {folder}")
    if item.executable:
        target.chmod(0o755)
    return target
