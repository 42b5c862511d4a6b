"""A start writes no settings: the last view is stored when it changes, and the
settings file is written only then (and when the window closes)."""

from __future__ import annotations

import os

from PySide6.QtWidgets import QApplication

from akquise_desktop.ui.main_window import MainWindow
from akquise_desktop.ui.settings import Settings


def _window(qtbot, services, settings) -> MainWindow:
    win = MainWindow(services, settings, db_description="x", user_name="u")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    QApplication.processEvents()  # (where QSettings writes what was changed)
    return win


def test_a_start_on_the_first_screen_writes_no_settings(qtbot, services, tmp_path):
    path = tmp_path / "settings.ini"
    settings = Settings.at(str(path))
    win = _window(qtbot, services, settings)
    assert win.current_page() == "follow_ups"
    assert not settings.qsettings.contains("window/last_view")
    settings.sync()
    assert not path.exists()


def test_the_last_view_is_written_when_it_changes(qtbot, services, tmp_path):
    path = tmp_path / "settings.ini"
    settings = Settings.at(str(path))
    win = _window(qtbot, services, settings)
    win.show_view("stream")
    assert settings.last_view == "stream"
    settings.sync()
    assert path.exists()
    win.show_view("follow_ups")
    assert settings.last_view == "follow_ups"
    win.close()
    again = _window(qtbot, services, Settings.at(str(path)))
    assert again.current_page() == "follow_ups"


def test_a_start_on_the_remembered_view_leaves_the_file_alone(qtbot, services, tmp_path):
    path = tmp_path / "settings.ini"
    first = Settings.at(str(path))
    first.last_view = "dead"
    first.sync()
    written = os.stat(path).st_mtime_ns
    os.utime(path, ns=(written - 10**9, written - 10**9))  # a second older
    settings = Settings.at(str(path))
    win = _window(qtbot, services, settings)
    assert win.current_page() == "dead"
    settings.sync()
    assert os.stat(path).st_mtime_ns == written - 10**9
