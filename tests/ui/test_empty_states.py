"""Empty states: the record list without any record (new record, demo data,
no import placeholder) and with a filter that matches nothing (clear it); the
follow-up list without follow-ups and with an empty period; the main window
wires the buttons."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from akquise_desktop import models as m
from akquise_desktop.controller import Controller, LogActivity, NextFollowUp, RecordData, bootstrap
from akquise_desktop.queries.follow_ups import Bucket, list_context
from akquise_desktop.ui import demo_loader
from akquise_desktop.ui.empty_state import FollowUpListEmptyState, RecordListEmptyState
from akquise_desktop.ui.follow_up_list import FollowUpListView
from akquise_desktop.ui.lookup_store import LookupStore
from akquise_desktop.ui.main_window import MainWindow
from akquise_desktop.ui.record_list import RecordListView
from akquise_desktop.ui.services import ChangeBus, Services
from akquise_desktop.ui.settings import Settings
from akquise_desktop.ui.worker import SyncWorker


@pytest.fixture
def fresh(qapp, db, clock) -> Services:
    """Services on a new database with only its first administrator."""
    user_id = bootstrap(db, "kbecker", "Katrin Becker", clock=clock)
    return Services(
        db, Controller(db, user_id, clock=clock), SyncWorker(), ChangeBus(), user_id, clock=clock
    )


def _record_list(qtbot, services: Services) -> RecordListView:
    store = LookupStore(services)
    store.refresh()
    view = RecordListView(services, store)
    qtbot.addWidget(view)
    view.resize(1100, 600)
    view.show()
    return view


def _follow_up_list(qtbot, services: Services) -> FollowUpListView:
    view = FollowUpListView(services)
    qtbot.addWidget(view)
    view.resize(1100, 600)
    view.show()
    return view


def test_record_list_without_records_offers_new_record_and_demo_data(qtbot, fresh):
    view = _record_list(qtbot, fresh)
    empty = view.empty_state
    assert empty.isVisible() and empty.mode == RecordListEmptyState.NONE
    assert empty.title.text() == "No records yet"
    assert "import" not in empty.text.text()  # offered by the data tools, with the right
    assert empty.button_keys() == ["new_record", "demo"]  # no disabled "Import" placeholder
    empty.set_may_import(True)  # (the data tools do so with the import/export right)
    assert empty.button_keys() == ["new_record", "import", "demo"]
    assert "import records from a file" in empty.text.text()
    empty.set_may_import(False)
    assert empty.geometry() == view.table.viewport().geometry()
    with qtbot.waitSignal(view.new_record_requested):
        qtbot.mouseClick(empty.button("new_record"), Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(view.demo_requested):
        qtbot.mouseClick(empty.button("demo"), Qt.MouseButton.LeftButton)
    view.resize(900, 500)
    qtbot.waitUntil(lambda: empty.geometry() == view.table.viewport().geometry())


def test_record_list_leaves_the_empty_state_when_a_record_comes(qtbot, fresh):
    view = _record_list(qtbot, fresh)
    assert view.empty_state.isVisible()
    fresh.change(lambda c: c.create_record(RecordData(name="Müller Logistik GmbH")))
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    qtbot.waitUntil(lambda: not view.empty_state.isVisible())
    assert view.empty_state.mode is None


def test_a_filter_without_match_says_so_and_clears(qtbot, services):
    view = _record_list(qtbot, services)
    assert view.model.rowCount() > 0 and not view.empty_state.isVisible()
    view.search.setText("zzz-no-such-record")
    view.apply_filters()
    qtbot.waitUntil(lambda: view.empty_state.isVisible())
    empty = view.empty_state
    assert empty.mode == RecordListEmptyState.NO_MATCH
    assert empty.title.text() == "No record matches the filter"
    assert empty.button_keys() == ["clear_filter"]
    qtbot.mouseClick(empty.button("clear_filter"), Qt.MouseButton.LeftButton)
    assert view.search.text() == ""
    qtbot.waitUntil(lambda: not empty.isVisible())
    assert view.model.rowCount() > 0


def test_follow_up_list_without_follow_ups_says_where_they_come_from(qtbot, fresh):
    view = _follow_up_list(qtbot, fresh)
    empty = view.empty_state
    assert empty.isVisible() and empty.mode == FollowUpListEmptyState.NONE
    assert empty.title.text() == "No open follow-ups"
    assert "as soon as an activity sets a next follow-up" in empty.text.text()
    assert empty.button_keys() == []
    view.set_bucket(Bucket.OVERDUE)  # nothing at all: still the same explanation
    assert empty.mode == FollowUpListEmptyState.NONE


def test_follow_up_list_with_an_empty_period_offers_all(qtbot, fresh, clock):
    record_id = fresh.controller.create_record(RecordData(name="Müller Logistik GmbH")).result_id
    assert record_id is not None
    fresh.controller.log_activity(
        LogActivity(
            record_id=record_id,
            subject="Erstgespräch",
            next_follow_up=NextFollowUp(due_date=clock.today() + timedelta(days=60)),
        )
    )
    view = _follow_up_list(qtbot, fresh)
    empty = view.empty_state
    assert not empty.isVisible() and view.model.rowCount() == 1
    view.set_bucket(Bucket.OVERDUE)
    assert empty.isVisible() and empty.mode == FollowUpListEmptyState.NO_MATCH
    assert empty.title.text() == "No follow-ups in “Overdue”"
    assert empty.text.text() == "1 open follow-up(s) in other periods."
    qtbot.mouseClick(empty.button("show_all"), Qt.MouseButton.LeftButton)
    assert view.bucket() == Bucket.ALL
    assert not empty.isVisible() and view.model.rowCount() == 1


def test_another_users_empty_list_names_them(qtbot, services):
    view = _follow_up_list(qtbot, services)
    assert not view.empty_state.isVisible()
    with services.db.read() as s:
        group = s.scalar(select(m.RoleGroup.id).where(m.RoleGroup.name == "Vertrieb"))
    new_id = services.controller.create_user(
        "nneumann", "Nora Neumann", role_group_id=group
    ).result_id
    with services.db.read() as s:
        view._context_loaded(list_context(s, services.user_id))  # as loaded anew
    view.set_whose("user", new_id)
    empty = view.empty_state
    assert empty.isVisible() and empty.title.text() == "No open follow-ups for Nora Neumann"
    view.set_whose("mine")
    assert not empty.isVisible()


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_main_window_wires_the_record_list_buttons(qtbot, fresh, tmp_path, monkeypatch):
    window = MainWindow(
        fresh, Settings.at(str(tmp_path / "settings.ini")), db_description="x", user_name="u"
    )
    qtbot.addWidget(window)
    window.show()
    window.show_view("records")
    empty = window.record_list.empty_state
    qtbot.waitUntil(lambda: empty.isVisible())
    qtbot.mouseClick(empty.button("new_record"), Qt.MouseButton.LeftButton)
    assert window.new_record_dialog.isVisible()
    window.new_record_dialog.reject()
    asked: list[tuple] = []
    monkeypatch.setattr(demo_loader, "load_demo_data", lambda *args: asked.append(args))
    qtbot.mouseClick(empty.button("demo"), Qt.MouseButton.LeftButton)
    assert asked == [(fresh, window)]
