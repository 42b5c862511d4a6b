"""The start builds the first screen only: the other views, the dialogs, the
controller and the icon sets come when first needed — and then work as before."""

from __future__ import annotations

import json
import os

import pytest
from sqlalchemy import select

from akquise_desktop import models as m
from akquise_desktop.controller import Controller, RecordData
from akquise_desktop.ui import follow_up_list as follow_up_module
from akquise_desktop.ui.follow_up_list import TEAM, FollowUpListView
from akquise_desktop.ui.main_window import RECORD_PAGE, VIEW_KEYS, MainWindow
from akquise_desktop.ui.services import ChangeBus, Services
from akquise_desktop.ui.settings import Settings
from akquise_desktop.ui.worker import SyncWorker
from tests.fresh_process import run_python


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings.at(str(tmp_path / "settings.ini"))


def make_window(qtbot, services, settings) -> MainWindow:
    win = MainWindow(services, settings, db_description="Testdatei", user_name="Katrin Becker")
    qtbot.addWidget(win)
    win.show()
    return win


# --- the main window --------------------------------------------------------------------


def test_only_the_first_view_is_built_at_start(qtbot, services, settings):
    win = make_window(qtbot, services, settings)
    assert list(win.pages) == ["follow_ups"]
    assert win.current_page() == "follow_ups"
    assert win._lookup_store is None  # the reference lists wait for the record views
    assert win.follow_up_list.model.rowCount() > 0  # with its rows
    for key in VIEW_KEYS[1:]:
        assert not win.is_built(key)


def test_a_view_is_built_once_when_first_shown(qtbot, services, settings):
    win = make_window(qtbot, services, settings)
    built = {}
    for key in VIEW_KEYS:
        win.show_view(key)
        assert win.current_page() == key and win.is_built(key)
        built[key] = win.pages[key]
    for key in VIEW_KEYS:  # again: the same widgets
        win.show_view(key)
        assert win.pages[key] is built[key]
    assert win.stack.count() == len(VIEW_KEYS)
    assert not win.is_built(RECORD_PAGE)


def test_the_last_view_is_the_one_built_at_start(qtbot, services, settings):
    settings.last_view = "dead"
    win = make_window(qtbot, services, settings)
    assert list(win.pages) == ["dead"]
    assert win.current_page() == "dead"
    assert win.dead_records.model.rowCount() >= 0
    # The follow-up list's bulk action is attached when that list comes.
    win.show_view("follow_ups")
    assert win.power_tools.follow_ups_bulk_action in win.follow_up_list.table.actions()


def test_a_view_built_late_shows_changes_made_before(qtbot, services, settings):
    win = make_window(qtbot, services, settings)
    services.change(lambda ctl: ctl.create_record(RecordData(name="Spät Gebaut GmbH")))
    assert not win.is_built("records")
    win.find_record()
    win.record_list.search.setText("Spät Gebaut")
    win.record_list.apply_filters()
    qtbot.waitUntil(lambda: win.record_list.model.rowCount() == 1)


def test_record_list_built_late_gets_the_bulk_action(qtbot, services, settings):
    win = make_window(qtbot, services, settings)
    assert win.power_tools.record_list is None
    win.show_view("records")
    assert win.power_tools.record_list is win.record_list
    assert win.power_tools.records_bulk_action in win.record_list.table.actions()


def test_opening_a_record_builds_the_record_view(qtbot, services, settings):
    win = make_window(qtbot, services, settings)
    with services.db.read() as s:
        rid = s.scalar(select(m.Record.id).order_by(m.Record.id).limit(1))
    win.follow_up_list.record_requested.emit(rid)
    assert win.current_page() == RECORD_PAGE
    assert win.record_view.record_id == rid
    assert win.lookup_store.current is not None
    win.go_back()
    assert win.current_page() == "follow_ups"


def test_state_of_a_view_not_built_is_kept(qtbot, services, settings):
    first = make_window(qtbot, services, settings)
    first.show_view("campaigns")
    first.record_view.splitter.setSizes([333, 667])
    saved = first.record_view.splitter.saveState()
    first.close()
    second = make_window(qtbot, services, settings)  # opens on the campaigns
    assert not second.is_built(RECORD_PAGE)
    second.close()  # saves: the record view's state must survive untouched
    third = make_window(qtbot, services, settings)
    assert third.record_view.splitter.saveState() == saved


def test_shortcut_list_with_views_not_built(qtbot, services, settings):
    win = make_window(qtbot, services, settings)
    rows = win.shortcut_list()
    assert all(keys for _name, keys in rows)
    assert win.is_built(RECORD_PAGE)  # its actions are listed


# --- the controller ---------------------------------------------------------------------


def test_controller_is_made_on_the_first_write(demo_db, qapp, clock):
    made = []

    def make() -> Controller:
        made.append(1)
        return Controller(demo_db, 1, clock=clock)

    services = Services(
        demo_db, None, SyncWorker(), ChangeBus(), 1, make_controller=make, clock=clock
    )
    services.read(lambda s: s.scalar(select(m.Record.id).limit(1)), lambda _r: None)
    assert made == []
    heard = []
    services.bus.changed.connect(heard.append)
    services.change(lambda ctl: ctl.create_record(RecordData(name="Erste Änderung")))
    services.change(lambda ctl: ctl.create_record(RecordData(name="Zweite Änderung")))
    assert made == [1] and len(heard) == 2
    assert services.controller is services.controller


def test_services_need_a_controller_or_a_way_to_make_one(demo_db, clock):
    with pytest.raises(ValueError):
        Services(demo_db, None, SyncWorker(), ChangeBus(), 1, clock=clock)


# --- the follow-up list -----------------------------------------------------------------


def test_first_page_is_asked_for_once_without_waiting_for_the_context(qtbot, services, monkeypatch):
    calls = []
    real = follow_up_module.follow_up_page

    def counting(s, f, **kw):
        calls.append(f)
        return real(s, f, **kw)

    monkeypatch.setattr(follow_up_module, "follow_up_page", counting)
    view = FollowUpListView(services)
    qtbot.addWidget(view)
    assert len(calls) == 1 and calls[0].user_id == services.user_id
    assert view.context is not None  # the context came, and needed no second query
    assert view.model.rowCount() > 0
    view.set_whose(TEAM)
    assert calls[-1].team_id is not None


# --- a real start -----------------------------------------------------------------------

NOT_AT_START = [
    "alembic",
    "mako",
    "qtawesome",
    "qtpy",
    "holidays",
    "akquise_desktop.controller",
    "akquise_desktop.ui.record_list",
    "akquise_desktop.ui.record_view",
    "akquise_desktop.ui.activity_stream",
    "akquise_desktop.ui.dead_records",
    "akquise_desktop.ui.campaigns_view",
    "akquise_desktop.ui.activity_dialog",
    "akquise_desktop.ui.bulk",
    "akquise_desktop.ui.rebooking_dialog",
    "akquise_desktop.export.ical",
    "sqlalchemy.dialects.postgresql",
]
# Not before the first page is there: the models (the first screen's queries run
# on Core tables; the first view or worker job that needs the models imports them).
NOT_AT_FIRST_PAGE = ["akquise_desktop.models"]

# On a loaded CI machine (or under faketime) the first screen may take longer
# than the app's own start limit; the tests below wait for the queries.
SLOW_MACHINE_MS = 60_000


def test_real_start_shows_the_follow_ups_and_loads_nothing_else(demo_db, tmp_path):
    """The benchmark's start (processes._start, what the command does): the
    follow-up list with the user's rows; nothing of the other views imported,
    no model before the first page; the garbage collector running again once
    the start's queries are answered and the models imported after them."""
    code = f"""
        import gc, json, sys
        from PySide6.QtCore import QTimer
        from akquise_desktop.bench import processes
        app, application = processes._start({str(demo_db.url)!r}, "kbecker")
        window = application.window
        model = window.follow_up_list.model
        out = {{}}

        def first_page():
            out.setdefault("modules_at_first_page", sorted(sys.modules))

        def loaded():
            out["page"] = window.current_page()
            out["rows"] = [r.id for r in model.rows]
            out["modules"] = sorted(sys.modules)
            wait()

        def wait():
            if application.services.worker.pending() or not gc.isenabled():
                QTimer.singleShot(10, wait)
                return
            out["gc"] = gc.isenabled()
            # The models came after the first screen, and were frozen with the start.
            from akquise_desktop import models as m
            tracked = {{id(o) for o in gc.get_objects()}}
            out["models_frozen"] = not any(
                id(o) in tracked for o in (m.User, m.FollowUp, m.FollowUp.__table__)
            )
            app.quit()

        model.loaded.connect(first_page)
        model.loaded.connect(lambda: QTimer.singleShot(0, loaded))
        QTimer.singleShot(20000, app.quit)
        app.exec()
        application.shutdown()
        print(json.dumps(out))
    """
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "config"), QT_QPA_PLATFORM="offscreen")
    out = json.loads(run_python(code, env=env).strip().splitlines()[-1])
    with demo_db.read() as s:
        user_id = s.scalar(select(m.User.id).where(m.User.login == "kbecker"))
        expected = list(
            s.scalars(
                select(m.FollowUp.id)
                .where(m.FollowUp.state == "open", m.FollowUp.assignee_id == user_id)
                .order_by(m.FollowUp.due_date, m.FollowUp.id)
                .limit(100)
            )
        )
    assert out["page"] == "follow_ups"
    assert out["rows"] == expected and expected
    loaded = [
        name
        for name in out["modules"]
        if any(name == gone or name.startswith(gone + ".") for gone in NOT_AT_START)
    ]
    assert loaded == []
    early = [
        name
        for name in out["modules_at_first_page"]
        if any(name == gone or name.startswith(gone + ".") for gone in NOT_AT_FIRST_PAGE)
    ]
    assert early == []
    assert out["gc"] is True
    assert out["models_frozen"] is True


# --- the end of the start -----------------------------------------------------------------


def test_worker_says_when_the_last_pending_job_is_answered(qtbot):
    from akquise_desktop.ui.worker import DbWorker

    worker = DbWorker()
    answers = []
    try:
        with qtbot.waitSignal(worker.idle, timeout=5000):
            worker.submit(lambda: 1, answers.append)
            worker.submit(lambda: 2, answers.append)
        assert answers == [1, 2] and worker.pending() == 0
    finally:
        worker.shutdown()


def test_application_resumes_the_collector_after_the_first_screen(qtbot, demo_db, tmp_path, clock):
    import gc

    from akquise_desktop import startup
    from akquise_desktop.ui import i18n
    from akquise_desktop.ui.app import Application

    startup.pause_gc()
    try:
        application = Application(
            demo_db,
            1,
            Settings.at(str(tmp_path / "s.ini")),
            lang="en",
            clock=clock,
            startup_limit_ms=SLOW_MACHINE_MS,  # the queries, not the limit, end the start
        )
        qtbot.addWidget(application.window)
        assert not gc.isenabled()  # the first screen's queries are still on their way
        qtbot.waitUntil(gc.isenabled, timeout=SLOW_MACHINE_MS)
        assert application.window.follow_up_list.model.rowCount() > 0
        application.shutdown()
    finally:
        startup.resume_gc()
        gc.enable()
        i18n.uninstall()


def test_models_are_warmed_up_after_the_first_screen_before_the_collector_runs(
    qtbot, demo_db, tmp_path, monkeypatch, clock
):
    import gc

    from akquise_desktop import startup
    from akquise_desktop.ui import app as app_module
    from akquise_desktop.ui import i18n
    from akquise_desktop.ui.app import Application

    seen = []

    def warm_up() -> None:
        seen.append((gc.isenabled(), len(application.window.follow_up_list.model.rows)))
        app_module_warm_up()

    app_module_warm_up = app_module.warm_up_models
    monkeypatch.setattr(app_module, "warm_up_models", warm_up)
    startup.pause_gc()
    try:
        application = Application(
            demo_db,
            1,
            Settings.at(str(tmp_path / "s.ini")),
            lang="en",
            clock=clock,
            startup_limit_ms=SLOW_MACHINE_MS,  # the queries, not the limit, end the start
        )
        qtbot.addWidget(application.window)
        qtbot.waitUntil(gc.isenabled, timeout=SLOW_MACHINE_MS)
        # once, after the first page, with the collector still paused
        assert len(seen) == 1 and seen[0][0] is False and seen[0][1] > 0
        application.shutdown()
    finally:
        startup.resume_gc()
        gc.enable()
        i18n.uninstall()


def test_bulk_right_is_asked_for_after_the_first_screen(qtbot, demo_db, settings, clock):
    """With the real worker thread: the Extras actions wait for the first
    screen's queries, then the right arrives and enables them."""
    from akquise_desktop.ui.worker import DbWorker

    worker = DbWorker()
    services = Services(
        demo_db, Controller(demo_db, 1, clock=clock), worker, ChangeBus(), 1, clock=clock
    )
    try:
        win = MainWindow(services, settings, db_description="x", user_name="y")
        qtbot.addWidget(win)
        tools = win.power_tools
        assert tools.context is None and not tools.bulk_action.isEnabled()
        qtbot.waitUntil(lambda: tools.context is not None, timeout=5000)
        assert win.follow_up_list.model.rowCount() > 0
        assert tools.bulk_action.isEnabled()  # the demo admin may
    finally:
        worker.shutdown()


def test_an_answer_for_a_deleted_widget_goes_nowhere(qtbot):
    """A window closed (deleted) while its query ran: the answer is dropped,
    not delivered to a deleted C++ object."""
    import threading

    import shiboken6
    from PySide6.QtWidgets import QLabel

    from akquise_desktop.ui.worker import DbWorker

    worker = DbWorker()
    try:
        label = QLabel()
        alive = QLabel()
        release = threading.Event()
        worker.submit(lambda: release.wait(5) and "late", label.setText)
        worker.submit(lambda: "on time", alive.setText)
        label.deleteLater()
        qtbot.waitUntil(lambda: not shiboken6.isValid(label), timeout=2000)
        release.set()
        qtbot.waitUntil(lambda: worker.pending() == 0, timeout=5000)
        assert alive.text() == "on time"
    finally:
        worker.shutdown()


def test_the_start_limit_of_one_application_does_not_end_a_later_start(
    qtbot, demo_db, tmp_path, clock
):
    import gc

    from akquise_desktop import startup
    from akquise_desktop.ui import i18n
    from akquise_desktop.ui.app import Application

    first = Application(
        demo_db, 1, Settings.at(str(tmp_path / "a.ini")), lang="en", clock=clock,
        startup_limit_ms=300,
    )  # fmt: skip
    qtbot.addWidget(first.window)
    first.shutdown()
    startup.pause_gc()
    try:
        qtbot.wait(600)  # the first one's limit has passed: it resumes nothing
        assert not gc.isenabled()
    finally:
        startup.resume_gc()
        gc.enable()
        i18n.uninstall()
