"""Demo data from the empty state: loaded on the worker with progress, one
change summary naming everything it created (the views refresh), refused
unless the database is empty, a failure reported; the asking wrapper."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from sqlalchemy import func, select

from akquise_desktop import models as m
from akquise_desktop.controller import Controller, bootstrap
from akquise_desktop.controller.commands import FirstRun
from akquise_desktop.core.changes import Entity
from akquise_desktop.ui import demo_loader
from akquise_desktop.ui.demo_loader import DemoLoader, load_demo_data
from akquise_desktop.ui.lookup_store import LookupStore
from akquise_desktop.ui.record_list import RecordListView
from akquise_desktop.ui.services import ChangeBus, Services
from akquise_desktop.ui.worker import SyncWorker

RECORDS = 3


def _services(db, clock, user_id: int) -> Services:
    return Services(
        db, Controller(db, user_id, clock=clock), SyncWorker(), ChangeBus(), user_id, clock=clock
    )


@pytest.fixture
def fresh(qapp, db, clock) -> Services:
    """A database right after the first-run wizard (acquisition template)."""
    user_id = bootstrap(
        db,
        "kbecker",
        "Katrin Becker",
        setup=FirstRun(email="kb@example.com", company_name="Becker GmbH"),
        clock=clock,
    )
    return _services(db, clock, user_id)


def _count(db, model) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_loads_demo_data_and_tells_every_view(qtbot, fresh, db):
    store = LookupStore(fresh)
    store.refresh()
    view = RecordListView(fresh, store)
    qtbot.addWidget(view)
    view.show()
    assert view.empty_state.isVisible()
    sent = []
    fresh.bus.changed.connect(sent.append)
    loader = DemoLoader(fresh, records=RECORDS)
    progress: list[tuple[int, int]] = []
    loader.progressed.connect(lambda done, total: progress.append((done, total)))
    with qtbot.waitSignal(loader.finished) as finished:
        assert loader.start()
    summary = finished.args[0]
    assert sent == [summary]
    assert progress[-1] == (RECORDS, RECORDS)
    assert not loader.running and QApplication.overrideCursor() is None
    with db.read() as s:
        records = set(s.scalars(select(m.Record.id)))
        follow_ups = set(s.scalars(select(m.FollowUp.id)))
        user = s.get(m.User, fresh.user_id)
        assert user.email == "kb@example.com"  # the first run's user keeps theirs
        # The first run's campaign is the demo's: no second one of that name.
        assert s.scalar(
            select(func.count()).where(m.Campaign.name == "Neukundengewinnung")
        ) == 1  # fmt: skip
    assert len(records) == RECORDS
    assert summary.created[Entity.RECORD] == records
    assert summary.created[Entity.FOLLOW_UP] == follow_ups
    assert summary.touches(Entity.USER, Entity.TEAM, Entity.CAMPAIGN, Entity.ACTIVITY)
    # The record list refreshed from the summary: rows instead of the empty state.
    qtbot.waitUntil(lambda: view.model.rowCount() == RECORDS)
    qtbot.waitUntil(lambda: not view.empty_state.isVisible())


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_progress_dialog_over_the_parent_while_loading(qtbot, fresh):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    loader = DemoLoader(fresh, parent, records=RECORDS)
    seen: list[bool] = []
    loader.progressed.connect(
        lambda done, total: seen.append(
            loader.progress_dialog is not None
            and loader.progress_dialog.isVisible()
            and loader.progress_dialog.value() == done
        )
    )
    running: list[bool] = []
    loader.running_changed.connect(running.append)
    with qtbot.waitSignal(loader.finished):
        loader.start()
    assert seen and all(seen)
    assert running == [True, False]
    assert loader.progress_dialog is None


def test_refused_when_the_database_has_records(qtbot, services, demo_db):
    before = _count(demo_db, m.Record)
    loader = DemoLoader(services, records=RECORDS)
    with qtbot.waitSignal(loader.refused) as refused:
        loader.start()
    assert refused.args[0].startswith("This database already has records.")
    assert "only be loaded into an empty database" in refused.args[0]
    assert _count(demo_db, m.Record) == before
    assert not loader.running and QApplication.overrideCursor() is None


def test_refused_when_there_are_other_users(qtbot, fresh, db):
    with db.read() as s:
        group = s.scalar(select(m.RoleGroup.id).where(m.RoleGroup.name == "Vertrieb"))
    fresh.controller.create_user("nneumann", "Nora Neumann", role_group_id=group)
    loader = DemoLoader(fresh, records=RECORDS)
    with qtbot.waitSignal(loader.refused) as refused:
        loader.start()
    assert refused.args[0].startswith("This database already has other users or teams.")
    assert _count(db, m.Record) == 0 and _count(db, m.Team) == 0


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_a_failure_is_reported(qtbot, fresh, monkeypatch):
    import akquise_desktop.demo as demo

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo, "generate", broken)
    loader = DemoLoader(fresh, records=RECORDS)
    with qtbot.waitSignal(loader.failed) as failed:
        loader.start()
    assert failed.args[0] == (
        "The demo data could not be loaded: The database reported an error: disk full"
    )
    assert not loader.running and QApplication.overrideCursor() is None


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_load_demo_data_asks_first_and_shows_a_refusal(qtbot, fresh, db, monkeypatch):
    parent = QWidget()
    qtbot.addWidget(parent)
    answers = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(QMessageBox, "question", lambda *args: answers[0])
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    assert load_demo_data(fresh, parent, records=RECORDS) is None
    assert _count(db, m.Record) == 0
    answers[0] = QMessageBox.StandardButton.Yes
    assert load_demo_data(fresh, parent, records=RECORDS) is not None
    assert _count(db, m.Record) == RECORDS
    assert load_demo_data(fresh, parent, records=RECORDS, confirm=False) is not None
    assert shown and shown[0].startswith("This database already has records.")
    assert _count(db, m.Record) == RECORDS


def test_default_amount_is_the_first_start_demo():
    from akquise_desktop.cli import DEMO_RECORDS_ON_FIRST_START

    assert demo_loader.DEMO_RECORDS == DEMO_RECORDS_ON_FIRST_START
