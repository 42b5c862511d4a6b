"""The data tools in the main window: "Export list …" (the list as seen, the
right), "Back up now", "Restore backup …" and the daily backup."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from sqlalchemy import select

from akquise_desktop import models as m
from akquise_desktop.controller import Controller, RecordData
from akquise_desktop.queries import records as q
from akquise_desktop.queries.follow_ups import follow_up_page
from akquise_desktop.storage import backup
from akquise_desktop.ui.data_tools import RestoreDialog
from akquise_desktop.ui.main_window import MainWindow
from akquise_desktop.ui.services import ChangeBus, Services
from akquise_desktop.ui.settings import Settings
from akquise_desktop.ui.worker import SyncWorker


@pytest.fixture
def window_for(qtbot, tmp_path):
    def make(svc: Services) -> MainWindow:
        win = MainWindow(
            svc, Settings.at(str(tmp_path / "s.ini")), db_description="Test", user_name="Test"
        )
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        win.data_tools.backup_folder = tmp_path / "backups"
        return win

    return make


@pytest.fixture
def out(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def _sales_services(db, clock) -> Services:
    with db.read() as s:
        user_id = s.scalar(
            select(m.User.id)
            .join(m.RoleGroup, m.RoleGroup.id == m.User.role_group_id)
            .where(m.RoleGroup.name == "Vertrieb", m.User.active)
            .order_by(m.User.id)
        )
    return Services(
        db, Controller(db, user_id, clock=clock), SyncWorker(), ChangeBus(), user_id, clock=clock
    )


def _csv(path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_menus_and_context_menus(services, window_for):
    window = window_for(services)
    tools = window.data_tools
    extras = [a.text() for a in window.power_tools.menu.actions() if a.text()]
    assert extras[-1] == "Export &list …"
    assert tools.export_action.shortcut().toString() == "Ctrl+Shift+E"
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions() if a.text()]
    assert texts.index("&Back up now") < texts.index("&Restore backup …")
    assert texts.index("&Restore backup …") < texts.index("Switch &connection …")
    window.show_view("records")
    assert tools.records_export_action in window.record_list.table.actions()
    assert tools.follow_ups_export_action in window.follow_up_list.table.actions()
    assert all(a.isEnabled() for a in tools.export_actions)


def test_record_list_exported_as_seen(qtbot, services, window_for, out):
    window = window_for(services)
    window.show_view("records")
    records = window.record_list
    qtbot.waitUntil(lambda: records.model.rowCount() > 3)
    # The user's view: a campaign filter, sorted by city descending, the phone
    # column hidden and the city moved to the front.
    with services.db.read() as s:
        campaign_id = s.scalar(select(m.Campaign.id).order_by(m.Campaign.id))
    records.set_criteria(q.RecordCriteria(campaign_id=campaign_id))
    columns = records.model.COLUMNS
    records.table.sortByColumn(columns.index("city"), Qt.SortOrder.DescendingOrder)
    header = records.table.horizontalHeader()
    header.hideSection(columns.index("phone"))
    header.moveSection(header.visualIndex(columns.index("city")), 0)
    qtbot.waitUntil(lambda: records.model.criteria.sort == "city")

    target = out / "liste.csv"
    window.data_tools.export_list(records, target)

    rows = _csv(target)
    assert rows[0] == ["City", "Name", "Campaign status", "Next follow-up", "Days inactive",
                       "Account manager"]  # fmt: skip
    criteria = records.model.criteria
    assert criteria.campaign_id == campaign_id and criteria.descending
    with services.db.read() as s:
        expected = q.record_page(s, criteria, None, 10_000).rows
    assert [r[1] for r in rows[1:]] == [r.name for r in expected]
    assert [r[0] for r in rows[1:]] == [r.city or "" for r in expected]
    assert len(rows) - 1 == len(expected) < 40  # the filter: not every record
    assert "exported to" in window.data_tools.message.text()


def test_follow_up_list_exported_to_excel(qtbot, services, window_for, out, monkeypatch):
    window = window_for(services)
    fu = window.follow_up_list
    qtbot.waitUntil(lambda: fu.model.rowCount() > 1 and fu.context is not None)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(out / "wv"), "Excel workbook (*.xlsx)")
    )
    window.data_tools.export_action.trigger()
    sheet = load_workbook(out / "wv.xlsx").active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("Due", "Priority", "Record", "Instruction", "Assignee", "Source activity")
    with services.db.read() as s:
        shown = follow_up_page(s, fu.current_filter(), limit=10_000)
    assert [v[2].split(" (")[0] for v in values[1:]] == [r.record_name for r in shown]
    assert values[1][0].date() == shown[0].due_date


def test_without_the_right_the_export_is_refused(qtbot, demo_db, window_for, clock, out):
    window = window_for(_sales_services(demo_db, clock))
    tools = window.data_tools
    assert not tools.export_action.isEnabled()
    assert "no right for CSV import/export" in tools.export_action.toolTip()
    assert not tools.follow_ups_export_action.isVisible()
    tools.export_list(window.follow_up_list, out / "nein.csv")
    assert list(out.iterdir()) == []
    # and the writing function refuses on its own (the action aside)
    spec, _total = tools.spec_for(window.follow_up_list)
    tools.export_action.setEnabled(True)
    tools.start_export(spec, out / "nein.csv")
    assert list(out.iterdir()) == []
    assert "does not allow" in tools.message.text()


def test_backup_now_and_restore_then_restart(qtbot, services, window_for, monkeypatch, tmp_path):
    window = window_for(services)
    tools = window.data_tools
    tools.backup_now()
    made = backup.backups(services.db.path, tools.backup_folder)
    assert len(made) == 1 and backup.integrity_problems(made[0].path) == []
    assert "verified" in tools.message.text()
    services.controller.create_record(RecordData(name="Nach der Sicherung GmbH"))
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: told.append(a[2]))
    with qtbot.waitSignal(tools.restart_requested):
        tools.restore(made[0].path)
    assert "previous state is kept" in told[0]
    with services.db.read() as s:
        names = set(s.scalars(select(m.Record.name)))
    assert "Nach der Sicherung GmbH" not in names
    assert list(services.db.path.parent.glob("*-before-restore-*.sqlite3"))


def test_daily_backup_once_a_day_and_a_failed_verification_is_reported(
    services, window_for, monkeypatch
):
    window = window_for(services)
    tools = window.data_tools
    tools.daily_backup()
    tools.daily_backup()
    assert len(backup.backups(services.db.path, tools.backup_folder)) == 1
    assert "verified" in window.statusBar().currentMessage()
    monkeypatch.setattr(backup, "integrity_problems", lambda path: ["row 3 missing from index"])
    tools.backup_now()
    assert "integrity_check" in tools.message.text() and "row 3" in tools.message.text()
    assert len(backup.backups(services.db.path, tools.backup_folder)) == 1


def test_restore_dialog_lists_the_backups(qtbot, services, window_for):
    window = window_for(services)
    tools = window.data_tools
    tools.backup_now()
    dialog = RestoreDialog(backup.backups(services.db.path, tools.backup_folder), window)
    qtbot.addWidget(dialog)
    chosen = []
    dialog.chosen.connect(chosen.append)
    dialog.show()
    assert dialog.list.count() == 1 and dialog.ok.isEnabled()
    dialog.ok.click()
    assert chosen == [backup.backups(services.db.path, tools.backup_folder)[0].path]
    empty = RestoreDialog([], window)
    qtbot.addWidget(empty)
    assert not empty.ok.isEnabled()
