"""Tray reminders in the UI: the count, the notification's text, a click that
opens the follow-up, snooze through the controller (both databases), the
banner where there is no tray, close to tray, start at login."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy import select

from akquise_desktop import models as m
from akquise_desktop.controller import NextFollowUp
from akquise_desktop.desktop import autostart
from akquise_desktop.desktop.reminders import Snooze
from akquise_desktop.ui import i18n
from akquise_desktop.ui.main_window import RECORD_PAGE, MainWindow
from akquise_desktop.ui.services import ChangeBus, Services
from akquise_desktop.ui.settings import Settings
from akquise_desktop.ui.tray import ReminderService, ReminderTray, badge_icon, keep_in_tray
from akquise_desktop.ui.worker import SyncWorker
from tests.factories import make_world


@pytest.fixture(autouse=True)
def english():
    i18n.install("en")
    yield
    i18n.uninstall()


class Setup:
    def __init__(self, qtbot, db, clock, tmp_path, *, in_tray: bool = True) -> None:
        self.db = db
        self.clock = clock
        self.world = world = make_world(db, clock)
        self.today = clock.today()
        self.record_id = world.record("Tray GmbH")
        self.services = Services(
            db, world.sales, SyncWorker(), ChangeBus(), world.sales_id, clock=clock
        )
        self.settings = Settings.at(str(tmp_path / "settings.ini"))
        self.window = MainWindow(
            self.services, self.settings, db_description="Test", user_name="Sven Sales"
        )
        qtbot.addWidget(self.window)
        self.window.show()
        self.service = ReminderService(self.services)
        self.env = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
        self.tray = ReminderTray(
            self.service, self.window, self.settings, in_tray=in_tray, autostart_env=self.env
        )
        self.messages: list[tuple[str, str]] = []
        if self.tray.icon is not None:
            self.tray.icon.showMessage = (  # type: ignore[method-assign]
                lambda title, text, *_a: self.messages.append((title, text))
            )

    def follow_up(
        self, instruction: str, days: int = 0, at: time | None = None, priority: int = 0,
        record_id: int | None = None,
    ) -> int:  # fmt: skip
        summary = self.world.lax.create_follow_up(
            record_id or self.record_id,
            NextFollowUp(
                self.today + timedelta(days=days), due_time=at, priority=priority,
                instruction=instruction, assignee_id=self.world.sales_id,
            ),
        )  # fmt: skip
        assert summary.result_id is not None
        # (another user's change: the bus will carry it with live updates)
        self.services.bus.changed.emit(summary)
        return summary.result_id

    def stop(self) -> None:
        self.service.stop()
        self.tray.dispose()


@pytest.fixture
def setup(qtbot, db, clock, tmp_path):
    s = Setup(qtbot, db, clock, tmp_path)
    yield s
    s.stop()


@pytest.fixture
def sqlite_setup(qtbot, tmp_path, clock, request):
    from akquise_desktop.storage import Database

    db = Database(f"sqlite:///{tmp_path / 'tray.sqlite3'}")
    db.upgrade()
    in_tray = getattr(request, "param", True)
    s = Setup(qtbot, db, clock, tmp_path, in_tray=in_tray)
    yield s
    s.stop()
    db.dispose()


def test_the_tray_shows_the_count_of_due_and_overdue(sqlite_setup):
    s = sqlite_setup
    s.service.start()
    assert s.tray.icon is not None
    assert s.tray.icon.toolTip() == "AkquiseDesktop – no follow-up due"
    s.follow_up("Angebot nachfassen")  # today, no time: due now
    s.follow_up("Nächste Woche", days=7)  # not counted
    assert s.service.count == 1
    assert s.tray.icon.toolTip() == "AkquiseDesktop – follow-ups due or overdue: 1"
    assert s.tray.list_action.text() == "My follow-ups (1)"
    assert s.tray.icon.icon().pixmap(64, 64).toImage() == badge_icon(1).pixmap(64, 64).toImage()
    assert badge_icon(1).pixmap(64, 64).toImage() != badge_icon(0).pixmap(64, 64).toImage()


def test_a_notification_names_the_record_and_the_instruction(sqlite_setup):
    s = sqlite_setup
    s.service.start()
    s.follow_up("Rückruf wegen Angebot", at=time(10, 30))
    assert s.messages == []  # 10:00: not due yet
    planned = s.service.logic.next_check()
    assert planned == s.clock.now() + timedelta(minutes=5)  # the poll comes first
    for _ in range(60):  # the heartbeat every 30 s
        s.clock.advance(seconds=30)
        s.service.tick()
    assert len(s.messages) == 1
    title, text = s.messages[0]
    assert title == "Follow-up due: Tray GmbH"
    assert "Rückruf wegen Angebot" in text and "10:30" in text
    s.clock.advance(minutes=10)
    s.service.tick()
    s.service.check()
    assert len(s.messages) == 1  # once


def test_several_are_one_message_time_critical_first(sqlite_setup):
    s = sqlite_setup
    other = s.world.record("Zweite AG")
    s.follow_up("Normal", at=time(9, 0))
    s.follow_up("Eilig", at=time(9, 30), priority=2, record_id=other)
    s.follow_up("Wichtig", at=time(9, 45), priority=1)
    s.service.start()
    assert len(s.messages) == 1
    title, text = s.messages[0]
    assert title == "Time-critical: 3 follow-ups due"
    lines = text.splitlines()
    assert lines == ["• Zweite AG – Eilig", "• Tray GmbH – Wichtig", "• Tray GmbH – Normal"]


def test_messages_are_rate_limited_and_then_grouped(sqlite_setup):
    s = sqlite_setup
    s.service.start()
    s.follow_up("Erste", at=time(10, 0))
    assert [t for t, _ in s.messages] == ["Follow-up due: Tray GmbH"]
    s.follow_up("Zweite", at=time(10, 0))
    s.follow_up("Dritte", at=time(10, 0))
    assert len(s.messages) == 1  # held back
    s.clock.advance(minutes=2)
    s.service.tick()
    assert [t for t, _ in s.messages][1] == "2 follow-ups due"


def test_clicking_the_notification_opens_the_follow_up(sqlite_setup):
    s = sqlite_setup
    s.follow_up("Später", days=3)
    fid = s.follow_up("Jetzt anrufen")
    s.service.start()
    assert s.messages
    s.tray.open_shown()
    win = s.window
    assert win.current_page() == RECORD_PAGE
    assert win.record_view.record_id == s.record_id
    selected = win.record_view.follow_up_panel.selected_follow_up()
    assert selected is not None and selected.id == fid
    assert win.record_view.entry_detail.shown == ("follow_up", fid)


def test_clicking_a_grouped_message_opens_my_follow_ups(sqlite_setup):
    s = sqlite_setup
    s.follow_up("Eins")
    s.follow_up("Zwei")
    s.service.start()
    s.window.show_view("records")
    s.tray.open_shown()
    assert s.window.current_page() == "follow_ups"


def test_snooze_reschedules_through_the_controller_and_is_audited(qtbot, setup):
    s = setup
    fid = s.follow_up("Anrufen", at=time(9, 0))
    s.service.start()
    assert s.tray.snooze_menu.isEnabled()
    assert s.service.count == 1
    s.tray.snooze_actions[Snooze.HOUR].trigger()
    with s.db.read() as session:
        fu = session.get(m.FollowUp, fid)
        assert fu is not None
        assert (fu.due_date, fu.due_time, fu.version) == (s.today, time(11, 0), 2)
        audit = session.scalars(
            select(m.AuditEntry).where(
                m.AuditEntry.entity == "follow_up",
                m.AuditEntry.entity_id == fid,
                m.AuditEntry.operation == "update_follow_up",
            )
        ).all()
        assert len(audit) == 1 and audit[0].user_id == s.world.sales_id
    assert not s.tray.snooze_menu.isEnabled()
    assert s.service.count == 1  # still today: due, not fallen due again yet
    messages = len(s.messages)
    s.clock.advance(hours=1)
    s.service.tick()
    assert len(s.messages) == messages + 1  # announced again at its new time


def test_snooze_until_tomorrow_and_a_conflict_is_reported(qtbot, setup):
    s = setup
    fid = s.follow_up("Morgen wieder")
    s.service.start()
    # Someone changed it after the reminder: the version no longer fits.
    s.world.lax.update_follow_up(fid, expected_version=1, instruction="Geändert")
    s.tray.snooze(Snooze.TOMORROW)
    assert s.messages[-1][0] == "Snooze failed"
    assert "Tray GmbH" in s.messages[-1][1]
    fresh = s.follow_up("Neu")
    s.clock.advance(minutes=2)  # (the rate limit)
    s.service.tick()
    assert s.tray.shown is not None and [f.id for f in s.tray.shown.items] == [fresh]
    s.tray.snooze(Snooze.TOMORROW)
    with s.db.read() as session:
        fu = session.get(m.FollowUp, fresh)
        assert fu is not None and fu.due_date == s.today + timedelta(days=1)


@pytest.mark.parametrize("sqlite_setup", [False], indirect=True)
def test_without_a_tray_the_reminders_appear_in_the_window(qtbot, sqlite_setup):
    s = sqlite_setup
    assert s.tray.icon is None and s.tray.banner is not None
    assert s.window.centralWidget().isAncestorOf(s.tray.banner)
    assert s.tray.banner.isHidden()
    fid = s.follow_up("Unterlagen schicken")
    s.service.start()
    banner = s.tray.banner
    assert banner.isVisible()
    assert "Follow-up due: Tray GmbH" in banner.text.text()
    assert "Unterlagen schicken" in banner.text.text()
    banner.open_button.click()
    assert s.window.current_page() == RECORD_PAGE
    assert banner.isHidden()
    # Snooze from the banner's menu.
    s.follow_up("Zweite Sache", at=time(10, 0))
    s.clock.advance(minutes=3)
    s.service.tick()
    assert banner.isVisible()
    banner.snooze_menu.actions()[0].trigger()  # 15 minutes
    assert banner.isHidden()
    with s.db.read() as session:
        moved = session.scalars(
            select(m.FollowUp).where(m.FollowUp.instruction == "Zweite Sache")
        ).one()
        assert moved.due_time == time(10, 18) and moved.id != fid


def test_the_zone_change_is_followed(sqlite_setup):
    from zoneinfo import ZoneInfo

    s = sqlite_setup
    s.follow_up("Morgen", days=1)
    s.service.start()
    assert s.messages == [] and s.service.count == 0
    s.clock.local_zone = ZoneInfo("Asia/Tokyo")  # 17:00 there: still today
    s.clock.advance(seconds=30)
    s.service.tick()
    assert s.messages == []
    s.clock.set(s.clock.now() + timedelta(hours=7))  # 00:00 in Tokyo: tomorrow
    s.service.tick()
    assert [t for t, _ in s.messages] == ["Follow-up due: Tray GmbH"]
    assert s.service.count == 1


def test_close_to_tray_hides_and_quit_closes(qtbot, sqlite_setup):
    s = sqlite_setup
    win = s.window
    win.keep_in_tray = keep_in_tray(lambda: s.tray, s.settings)
    closed = []
    win.closed.connect(lambda: closed.append(True))
    s.tray.close_to_tray_action.trigger()
    assert s.settings.close_to_tray is True
    win.close()
    assert not win.isVisible() and closed == []
    s.tray.show_window()
    assert win.isVisible()
    win.quit_action.trigger()
    assert closed == [True]


def test_start_minimised_and_start_at_login_settings(sqlite_setup):
    s = sqlite_setup
    s.tray.minimised_action.trigger()
    assert s.settings.start_minimised is True
    s.tray.autostart_action.setChecked(True)
    path = autostart.path(s.env)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("[Desktop Entry]\n") and "Type=Application" in text
    assert "-m akquise_desktop" in text
    s.tray.autostart_action.setChecked(False)
    assert not path.exists()


def test_autostart_exec_line_is_quoted():
    entry = autostart.desktop_entry(["/opt/Akquise Desktop/run", "50%"])
    assert 'Exec="/opt/Akquise Desktop/run" 50%%' in entry


def test_application_makes_the_reminders_after_the_start(qtbot, demo_db, tmp_path, clock):
    from akquise_desktop.ui.app import Application

    application = Application(demo_db, 1, Settings.at(str(tmp_path / "s.ini")), lang="en",
                              clock=clock)  # fmt: skip
    try:
        qtbot.addWidget(application.window)
        assert application.tray is None
        qtbot.waitUntil(lambda: application.tray is not None, timeout=10_000)
        assert application.reminders is not None
        qtbot.waitUntil(lambda: application.reminders.result is not None, timeout=10_000)
        # offscreen has no tray: the banner on the window
        assert application.tray is not None and application.tray.banner is not None
        application.switch_language("de")
        assert application.tray.window is application.window
        assert application.tray.menu.actions()[1].text().startswith("Meine Wiedervorlagen")
    finally:
        application.shutdown()
