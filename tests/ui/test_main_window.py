"""The main window: navigation, opening records and going back, the campaign
overview, remembered state, status bar, keyboard, and a real start."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from akquise_desktop import models as m
from akquise_desktop.queries.records import RecordCriteria, record_ids
from akquise_desktop.ui.main_window import VIEW_KEYS, MainWindow
from akquise_desktop.ui.settings import Settings


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings.at(str(tmp_path / "settings.ini"))


@pytest.fixture
def window(qtbot, services, settings):
    win = MainWindow(services, settings, db_description="Testdatei", user_name="Katrin Becker")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_navigation_by_list_and_shortcuts(qtbot, window):
    assert window.current_page() == "follow_ups"  # the default first view
    for number, key in enumerate(VIEW_KEYS, start=1):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
        assert window.current_page() == key
        assert window.nav.currentRow() == number - 1
    window.nav.setCurrentRow(1)
    assert window.current_page() == "records"


def test_status_bar_shows_database_and_user(window):
    assert "Testdatei" in window.db_label.text()
    assert "Katrin Becker" in window.user_label.text()
    assert "Katrin Becker" in window.windowTitle()
    window.set_user("Tobias Schulz")
    assert "Tobias Schulz" in window.user_label.text()


def test_open_record_from_each_view_and_back(qtbot, window, services):
    with services.db.read() as s:
        rid = s.scalar(select(m.Record.id).order_by(m.Record.id).limit(1))
    window.show_view("stream")
    window.activity_stream.record_requested.emit(rid)
    assert window.current_page() == "record"
    assert window.record_view.record_id == rid
    assert window.record_view.title.text() != "…"
    assert window.back_action.isEnabled()
    qtbot.keyClick(window.record_view.follow_ups, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.current_page() == "stream"
    for view, key in (
        (window.follow_up_list, "follow_ups"),
        (window.dead_records, "dead"),
        (window.record_list, "records"),
    ):
        window.show_view(key)
        view.record_requested.emit(rid)
        assert window.current_page() == "record"
        window.go_back()
        assert window.current_page() == key


def test_find_record_shortcut_focuses_search(qtbot, window):
    window.activateWindow()
    window.find_action.trigger()
    assert window.current_page() == "records"
    assert window.record_list.search.hasFocus() or not window.isActiveWindow()
    qtbot.keyClicks(window.record_list.search, "gmbh")
    window.record_list.apply_filters()
    assert 0 < window.record_list.model.rowCount() < 40


def test_campaign_overview_counts_and_opens_status(qtbot, window, services):
    window.show_view("campaigns")
    tree = window.campaigns.tree
    with services.db.read() as s:
        per_status = dict(
            s.execute(
                select(m.CampaignMembership.status_id, func.count()).group_by(
                    m.CampaignMembership.status_id
                )
            ).all()
        )
    assert tree.topLevelItemCount() == 3
    seen = {}
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        for j in range(top.childCount()):
            child = top.child(j)
            seen[child.data(0, Qt.ItemDataRole.UserRole + 3)] = int(child.text(1))
    assert {k: v for k, v in seen.items() if v} == per_status
    status_id = max(per_status, key=per_status.get)
    item = next(
        tree.topLevelItem(i).child(j)
        for i in range(tree.topLevelItemCount())
        for j in range(tree.topLevelItem(i).childCount())
        if tree.topLevelItem(i).child(j).data(0, Qt.ItemDataRole.UserRole + 3) == status_id
    )
    tree.itemActivated.emit(item, 0)
    assert window.current_page() == "records"
    with services.db.read() as s:
        expected = record_ids(
            s,
            RecordCriteria(
                campaign_id=item.data(0, Qt.ItemDataRole.UserRole + 2), status_id=status_id
            ),
        )
    assert window.record_list.model.ids == expected
    assert len(expected) == per_status[status_id]


def test_campaign_overview_refreshes_on_status_change(qtbot, window, services, clock):
    from datetime import timedelta

    from akquise_desktop.controller import LogActivity, NextFollowUp
    from akquise_desktop.queries.records import record_detail

    with services.db.read() as s:
        mem = s.execute(
            select(m.CampaignMembership.record_id, m.CampaignMembership.status_id)
            .join(m.CampaignStatus, m.CampaignStatus.id == m.CampaignMembership.status_id)
            .where(m.CampaignStatus.is_start)
            .limit(1)
        ).first()
        status = s.get(m.CampaignStatus, mem.status_id)
        target = status.next_statuses[0].id
        campaign_id = status.campaign_id
        detail = record_detail(s, mem.record_id)
    before = window.campaigns.overview.counts.get(target, 0)
    services.change(
        lambda ctl: ctl.log_activity(
            LogActivity(
                record_id=mem.record_id,
                subject="Weiter",
                completes=tuple(f.id for f in detail.follow_ups),
                status_changes={campaign_id: target},
                next_follow_up=NextFollowUp(clock.today() + timedelta(days=3)),
            )
        )
    )
    qtbot.waitUntil(lambda: window.campaigns.overview.counts.get(target, 0) == before + 1)


def test_state_is_remembered(qtbot, services, settings):
    first = MainWindow(services, settings, db_description="x", user_name="u")
    qtbot.addWidget(first)
    first.show()
    first.resize(QSize(1240, 700))
    first.show_view("campaigns")
    first.splitter.setSizes([250, 990])
    first.record_view.splitter.setSizes([400, 700])
    first.close()  # saves
    second = MainWindow(services, settings, db_description="x", user_name="u")
    qtbot.addWidget(second)
    second.show()
    assert second.current_page() == "campaigns"
    # The offscreen screen is 800 px wide, so restoring clamps the width; the height shows.
    assert settings.state("main/geometry") is not None
    assert second.height() == 700
    assert settings.state("main/splitter") == first.splitter.saveState()
    assert second.record_view.splitter.saveState() == first.record_view.splitter.saveState()


def test_language_menu_requests_a_switch(qtbot, window, settings):
    from akquise_desktop.ui import i18n

    target = "de" if i18n.current_language() == "en" else "en"
    with qtbot.waitSignal(window.language_change_requested) as signal:
        window.language_actions[target].trigger()
    assert signal.args == [target]
    assert settings.language == target


def test_every_action_has_a_shortcut(window):
    rows = window.shortcut_list()
    assert all(keys for _name, keys in rows)
    keys = [keys for _name, keys in rows]
    assert len(keys) == len(set(keys)), keys  # no shortcut used twice
    names = {name for name, _keys in rows}
    extras = [a for a in window.power_tools.menu.actions() if not a.shortcut().isEmpty()]
    assert extras and all(a.text().replace("&", "") in names for a in extras)
    menus = [a.text() for a in window.menuBar().actions()]
    assert all("&" in text for text in menus)


def test_new_record_dialog_creates_and_opens(qtbot, window, services):
    window.new_record_action.trigger()
    dialog = window.new_record_dialog
    save = dialog.buttons.buttons()[0]
    assert not save.isEnabled()
    dialog.name.setText("Neue Firma GmbH")
    dialog.city.setText("Köln")
    dialog.save()
    assert window.current_page() == "record"
    with services.db.read() as s:
        rid = s.scalar(select(m.Record.id).where(m.Record.name == "Neue Firma GmbH"))
    assert window.record_view.record_id == rid


def test_real_start_quits_cleanly(demo_db, tmp_path):
    """The installed entry point starts the GUI on a demo database and quits."""
    env = dict(os.environ)
    env.update(
        AKQUISE_QUIT_AFTER_START="1",
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
    )
    path = str(demo_db.url.database)
    result = subprocess.run(
        [sys.executable, "-m", "akquise_desktop", "--db", path, "--user", "kbecker"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert list((tmp_path / "config").rglob("*.conf")), "window state was saved on quit"


def test_daily_loop_with_the_keyboard_alone(qtbot, window, services):
    """Find a record, open it, complete its follow-up with an activity that
    sets the next one, and go back — keys only."""
    from akquise_desktop.queries.records import record_detail
    from akquise_desktop.ui.activity_dialog import ActivityDialog

    with services.db.read() as s:
        name, rid = s.execute(
            select(m.Record.name, m.Record.id)
            .where(m.Record.next_follow_up_date.is_not(None))
            .order_by(m.Record.id)
            .limit(1)
        ).first()
        before = record_detail(s, rid)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    search = window.record_list.search
    assert search.hasFocus()
    qtbot.keyClicks(search, name)
    qtbot.keyClick(search, Qt.Key.Key_Return)  # search now, no waiting for the debounce
    assert window.record_list.model.ids[0] == rid
    qtbot.keyClick(search, Qt.Key.Key_Down)
    table = window.record_list.table
    assert table.hasFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.current_page() == "record" and window.record_view.record_id == rid
    focus = QApplication.focusWidget()
    qtbot.keyClick(focus, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = window.record_view.dialog
    assert isinstance(dialog, ActivityDialog)
    assert dialog.ticked_follow_up_ids() == {before.follow_ups[0].id}
    qtbot.keyClicks(dialog.subject_edit, "Per Tastatur erledigt")
    qtbot.keyClick(dialog.subject_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    with services.db.read() as s:
        after = record_detail(s, rid)
    done = before.follow_ups[0].id
    assert done not in {f.id for f in after.follow_ups}
    assert after.follow_ups, "the activity set the next follow-up"
    assert window.record_view.timeline.timeline.entries[0].kind == "follow_up"
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Left,
                   Qt.KeyboardModifier.AltModifier)  # fmt: skip
    assert window.current_page() == "records"


def test_shutdown_finishes_queued_saves(qtbot, demo_db, tmp_path, clock):
    """Quitting right after saving loses nothing: queued work is drained first."""
    from akquise_desktop.controller import RecordData
    from akquise_desktop.ui.app import Application

    application = Application(
        demo_db, 1, Settings.at(str(tmp_path / "s.ini")), lang="en", clock=clock
    )
    qtbot.addWidget(application.window)
    for n in range(15):
        application.services.change(
            lambda ctl, n=n: ctl.create_record(RecordData(name=f"Beim Beenden {n}"))
        )
    application.shutdown()
    with demo_db.read() as s:
        saved = s.scalar(
            select(func.count()).select_from(m.Record).where(m.Record.name.like("Beim Beenden%"))
        )
    assert saved == 15
    from akquise_desktop.ui import i18n

    i18n.uninstall()


def test_record_list_loads_once_when_first_shown(qtbot, services, tmp_path, monkeypatch):
    """Start-up runs the first screen's queries; the record list's first page
    waits until the list is opened, and is asked for once however often it was
    asked for before."""
    from akquise_desktop.queries import records as q

    calls = []
    page = q.record_page

    def counting(session, criteria, after=None, limit=100):
        calls.append(criteria)
        return page(session, criteria, after, limit)

    monkeypatch.setattr(q, "record_page", counting)
    win = MainWindow(
        services, Settings.at(str(tmp_path / "s.ini")), db_description="test", user_name="test"
    )
    qtbot.addWidget(win)
    win.show()
    win.show_view("follow_ups")
    assert calls == []
    win.show_view("records")
    assert len(calls) == 1
    assert win.record_list.model.rowCount() > 0


def test_refresh_key_reloads_every_view(qtbot, window, services, clock):
    """F5 on each view fetches it again; a record a colleague added (no change
    summary reached this window) shows in the record list after the refresh."""
    from akquise_desktop.controller import Controller, RecordData

    for key in VIEW_KEYS:
        window.show_view(key)
        qtbot.keyClick(window, Qt.Key.Key_F5)
    window.show_view("records")
    model = window.record_list.model
    qtbot.waitUntil(lambda: model.count is not None)
    before = model.count.value
    Controller(services.db, 1, clock=clock).create_record(RecordData(name="Aaaa Neu GmbH"))
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: model.count is not None and model.count.value == before + 1)
    with services.db.read() as s:
        rid = s.scalar(select(m.Record.id).where(m.Record.name == "Aaaa Neu GmbH"))
    window.open_record(rid)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert window.current_page() == "record" and window.record_view.record_id == rid


def test_administration_shows_for_an_administrator_only(qtbot, window, services):
    from akquise_desktop.queries.admin import AdminRights
    from akquise_desktop.ui.main_window import ADMIN_PAGE, NAV_KEYS

    item = window.nav.item(NAV_KEYS.index(ADMIN_PAGE))
    qtbot.waitUntil(lambda: window.admin_rights is not None)
    assert window.admin_rights.is_admin  # the demo's first user
    assert not item.isHidden() and window.view_actions[ADMIN_PAGE].isVisible()
    window.show_view(ADMIN_PAGE)
    assert window.current_page() == ADMIN_PAGE
    assert window.page(ADMIN_PAGE).visible_sections()[:3] == ["users", "teams", "role_groups"]
    window.set_admin_rights(AdminRights())  # the right taken away: the view goes too
    assert item.isHidden() and window.current_page() == "follow_ups"
    window.show_view(ADMIN_PAGE)
    assert window.current_page() == "follow_ups"


def test_the_shortcut_list_names_administration_only_for_who_may_use_it(qtbot, window):
    from akquise_desktop.queries.admin import AdminRights
    from akquise_desktop.ui.main_window import ADMIN_PAGE

    qtbot.waitUntil(lambda: window.admin_rights is not None)
    title = window.view_actions[ADMIN_PAGE].text().replace("&", "")
    assert title in [name for name, _keys in window.shortcut_list()]
    window.set_admin_rights(AdminRights())
    assert title not in [name for name, _keys in window.shortcut_list()]


def _renamed(services, user_id: int, name: str):
    """The change that gives ``user_id`` the display name ``name`` (as the users page saves)."""
    from akquise_desktop.controller import UserData
    from akquise_desktop.queries.admin import users

    with services.db.read() as s:
        u = next(u for u in users(s) if u.id == user_id)
    data = UserData(
        login=u.login, display_name=name, role_group_id=u.role_group_id, team_id=u.team_id,
        email=u.email, time_zone=u.time_zone,
        default_follow_up_days=u.default_follow_up_days or None, active=u.active,
    )  # fmt: skip
    return lambda c: c.update_user(user_id, data)


def test_renaming_oneself_in_the_administration_updates_title_and_status_bar(
    qtbot, window, services
):
    services.change(_renamed(services, services.user_id, "Katrin Becker-Wolf"))
    qtbot.waitUntil(lambda: "Katrin Becker-Wolf" in window.user_label.text())
    assert "Katrin Becker-Wolf" in window.windowTitle()
    services.change(_renamed(services, services.user_id + 1, "Someone Else"))
    qtbot.wait(10)
    assert "Katrin Becker-Wolf" in window.user_label.text()


def test_a_new_name_stays_when_the_language_is_switched(qtbot, demo_db, tmp_path, clock):
    from akquise_desktop.ui import i18n
    from akquise_desktop.ui.app import Application

    application = Application(
        demo_db, 1, Settings.at(str(tmp_path / "s.ini")), lang="en", clock=clock
    )
    try:
        services = application.services
        qtbot.waitUntil(lambda: application.window.admin_rights is not None)
        services.change(_renamed(services, 1, "Katrin Becker-Wolf"))
        qtbot.waitUntil(lambda: "Becker-Wolf" in application.window.user_label.text())
        application.switch_language("de")
        assert "Becker-Wolf" in application.window.user_label.text()
    finally:
        application.shutdown()
        i18n.uninstall()


def test_switch_connection_starts_the_start_dialog_anew(qtbot, demo_db, tmp_path, clock):
    from akquise_desktop.ui import i18n
    from akquise_desktop.ui.app import Application

    application = Application(
        demo_db, 1, Settings.at(str(tmp_path / "s.ini")), lang="en", clock=clock
    )
    try:
        qtbot.addWidget(application.window)
        application.window.show()
        assert application.start_detached(str(tmp_path / "no-such-program"), []) is False
        started = []
        application.start_detached = lambda program, args: started.append(args) or True
        application.window.switch_connection_action.trigger()
        assert started == [["-m", "akquise_desktop", "--choose"]]
        assert not application.window.isVisible()
    finally:
        application.shutdown()
        i18n.uninstall()


def test_status_bar_says_whether_the_server_connection_is_encrypted(window):
    assert window.tls_label.isHidden()  # a local file
    window.set_encryption(True)
    assert window.tls_label.isVisible() and "encrypted (TLS)" in window.tls_label.toolTip()
    window.set_encryption(False)
    assert "NOT encrypted" in window.tls_label.toolTip()
    window.set_encryption(None)
    assert window.tls_label.isHidden()


def test_application_asks_the_server_for_its_encryption(qtbot, db, tmp_path, clock):
    from akquise_desktop.ui import i18n
    from akquise_desktop.ui.app import Application
    from tests.factories import make_world

    world = make_world(db, clock)
    application = Application(
        db, world.admin_id, Settings.at(str(tmp_path / "s.ini")), lang="en", clock=clock
    )
    try:
        qtbot.addWidget(application.window)
        application.window.show()
        label = application.window.tls_label
        if db.is_sqlite:
            qtbot.wait(50)
            assert label.isHidden() and application.encrypted is None
        else:  # the test server on loopback has no TLS
            qtbot.waitUntil(lambda: application.encrypted is not None, timeout=5000)
            assert application.encrypted is False and label.isVisible()
            assert "NOT encrypted" in label.toolTip()
    finally:
        application.shutdown()
        i18n.uninstall()


def test_a_view_opens_with_the_keyboard_in_its_list(qtbot, window):
    """Down moves in the follow-up list; it does not switch "Wessen" to the team."""
    window.show_view("records")
    window.show_view("follow_ups")
    view = window.follow_up_list
    qtbot.waitUntil(lambda: view.table.hasFocus(), timeout=2000)
    whose = view.whose_combo.currentIndex()
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    assert view.whose_combo.currentIndex() == whose
    window.show_view("dead")
    qtbot.waitUntil(lambda: window.dead_records.table.hasFocus(), timeout=2000)
