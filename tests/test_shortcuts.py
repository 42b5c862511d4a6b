"""Desktop shortcut files for each platform, and --register-url-scheme (Linux)."""

from __future__ import annotations

import configparser
import plistlib
import stat
import sys

import pytest
from sqlalchemy.engine import make_url

from akquise_desktop.desktop import scheme, shortcuts
from akquise_desktop.desktop.shortcuts import LINUX, MACOS, WINDOWS

URL = "akquise://record/12?db=sqlite-0123456789abcdef"


def make(platform: str, title: str = "Müller GmbH") -> shortcuts.Shortcut:
    return shortcuts.shortcut(
        platform, url=URL, title=title, database="akquise.sqlite3",
        description="AkquiseDesktop: record Müller GmbH in Local file /x/akquise.sqlite3",
    )  # fmt: skip


def test_windows_internet_shortcut():
    item = make(WINDOWS)
    assert item.file_name == "Müller GmbH (akquise.sqlite3).url"
    text = item.content.decode("utf-8")
    assert text.startswith("[InternetShortcut]\r\n")
    assert f"URL={URL}\r\n" in text
    parser = configparser.ConfigParser()
    parser.read_string(text)
    assert parser["InternetShortcut"]["URL"] == URL


def test_linux_desktop_entry():
    item = make(LINUX)
    assert item.file_name == "Müller GmbH (akquise.sqlite3).desktop"
    assert item.executable
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(item.content.decode("utf-8"))
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"] == f'xdg-open "{URL}"'
    assert entry["Name"] == "Müller GmbH (akquise.sqlite3)"  # names the database
    assert "Local file /x/akquise.sqlite3" in entry["Comment"]
    assert entry["Icon"] == shortcuts.ICON_NAME


def test_macos_webloc():
    item = make(MACOS)
    assert item.file_name == "Müller GmbH (akquise.sqlite3).webloc"
    assert plistlib.loads(item.content) == {"URL": URL}
    assert item.content.startswith(b"<?xml")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ('A/B: "C" <D>?', "A_B_ _C_ _D__ (db)"),
        ("Tab\there\nnew", "Tab_here_new (db)"),
        ("x" * 300, "x" * 100),
    ],
)
def test_file_names_are_safe(title, expected):
    item = shortcuts.shortcut(WINDOWS, url=URL, title=title, database="db")
    assert item.file_name == expected + ".url"


def test_reserved_and_empty_names():
    assert shortcuts.safe_file_name("CON") == "_CON"
    assert shortcuts.safe_file_name("...") == "_"


def test_a_desktop_value_cannot_break_its_line():
    item = shortcuts.shortcut(LINUX, url=URL, title="a", database="b", description="x\ny")
    assert b"Comment=x\\ny\n" in item.content


def test_only_our_urls_become_commands():
    for bad in ('akquise://record/1"; rm -rf ~', "akquise://record/1 $(id)", "akquise://x/%u"):
        with pytest.raises(ValueError):
            shortcuts.shortcut(LINUX, url=bad, title="a", database="b")
    with pytest.raises(ValueError):
        shortcuts.shortcut("beos", url=URL, title="a", database="b")


def test_database_label_names_the_database_without_login():
    assert shortcuts.database_label(make_url("sqlite:////home/u/akquise.sqlite3")) == (
        "akquise.sqlite3"
    )
    label = shortcuts.database_label(make_url("postgresql+psycopg://anna:pw@db.example:5433/crm"))
    assert label == "crm@db.example:5433"
    assert shortcuts.database_label(make_url("postgresql+psycopg://anna@db/crm")) == "crm@db"


def test_write_keeps_an_equal_file_and_numbers_another(tmp_path):
    first = shortcuts.write(make(LINUX), tmp_path)
    assert first.read_bytes() == make(LINUX).content
    if sys.platform != "win32":
        assert first.stat().st_mode & stat.S_IXUSR
    assert shortcuts.write(make(LINUX), tmp_path) == first  # the same again: kept
    other = shortcuts.shortcut(
        LINUX, url=URL.replace("/12", "/13"), title="Müller GmbH", database="akquise.sqlite3"
    )
    second = shortcuts.write(other, tmp_path)
    assert second.name == "Müller GmbH (akquise.sqlite3) 2.desktop"
    assert len(list(tmp_path.iterdir())) == 2


def test_desktop_dir_exists_or_is_home(qapp):
    assert shortcuts.desktop_dir().is_absolute()


# --- --register-url-scheme ----------------------------------------------------------------


def test_desktop_entry_handles_the_scheme():
    text = scheme.desktop_entry(["/opt/akquise/akquise-desktop"])
    assert "MimeType=x-scheme-handler/akquise;" in text
    assert "Exec=/opt/akquise/akquise-desktop %u" in text
    quoted = scheme.desktop_entry(["/opt/my apps/python", "-m", "akquise_desktop"])
    assert 'Exec="/opt/my apps/python" -m akquise_desktop %u' in quoted


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="Linux only")
def test_register_writes_the_entry_and_calls_xdg_mime(tmp_path, monkeypatch, capsys):
    calls = tmp_path / "calls.txt"
    tool = tmp_path / "bin" / "xdg-mime"
    tool.parent.mkdir()
    tool.write_text(f'#!/bin/sh\necho "$@" >> {calls}\n')
    tool.chmod(0o755)
    monkeypatch.setenv("PATH", str(tool.parent))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert scheme.register() == 0
    entry = tmp_path / "data" / "applications" / scheme.DESKTOP_FILE
    assert "x-scheme-handler/akquise" in entry.read_text(encoding="utf-8")
    assert calls.read_text().split() == ["default", scheme.DESKTOP_FILE, scheme.MIME_TYPE]
    assert "akquise://" in capsys.readouterr().out


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="Linux only")
def test_register_without_xdg_mime_says_what_to_do(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert scheme.register(directory=tmp_path / "apps") == 2
    assert (tmp_path / "apps" / scheme.DESKTOP_FILE).exists()
    assert "xdg-mime default akquise-desktop.desktop" in capsys.readouterr().err
