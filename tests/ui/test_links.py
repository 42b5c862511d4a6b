"""Links in the running app (open, refuse with a reason) and the record
view's desktop shortcut."""

from __future__ import annotations

import configparser

import pytest
from sqlalchemy import select

from akquise_desktop import models as m
from akquise_desktop.desktop import urls
from akquise_desktop.desktop.single_instance import RAISE
from akquise_desktop.ui.links import LinkOpener, create_desktop_shortcut
from akquise_desktop.ui.main_window import MainWindow
from akquise_desktop.ui.settings import Settings


@pytest.fixture
def window(qtbot, services, tmp_path):
    settings = Settings.at(str(tmp_path / "settings.ini"))
    win = MainWindow(services, settings, db_description="Testdatei", user_name="Admin")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def opener(services, window):
    return LinkOpener(services, lambda: window)


@pytest.fixture
def ids(services):
    with services.db.read() as s:
        record_id = s.scalar(select(m.Record.id).order_by(m.Record.id.desc()).limit(1))
        fu = s.execute(
            select(m.FollowUp.id, m.FollowUp.record_id).order_by(m.FollowUp.id).limit(1)
        ).one()
    return record_id, fu.id, fu.record_id


def db_id(services) -> str:
    return urls.database_id(services.db.url)


def refused(opener, qtbot, link: str) -> str:
    with qtbot.waitSignal(opener.refused, timeout=5000) as blocker:
        opener.handle(link)
    assert opener.message_box is not None
    assert opener.message_box.text() == blocker.args[0]
    return blocker.args[0]


def test_a_record_link_opens_the_record(qtbot, opener, window, services, ids):
    record_id, _, _ = ids
    with qtbot.waitSignal(opener.opened) as blocker:
        opener.handle(urls.record_url(record_id, db_id(services)))
    assert blocker.args == [record_id]
    assert window.current_page() == "record"
    assert window.record_view.record_id == record_id
    assert opener.message_box is None


def test_a_follow_up_link_opens_its_record(qtbot, opener, window, services, ids):
    _, fu, fu_record = ids
    with qtbot.waitSignal(opener.opened):
        opener.handle(urls.follow_up_url(fu))  # no db: this database
    assert window.record_view.record_id == fu_record


@pytest.mark.parametrize(
    ("link", "words"),
    [
        ("akquise://record/abc", "not valid"),
        ("akquise://contact/1", "only records"),
        ("akquise://record/1?x=1", "malformed"),
        ("akquise://record/999999", "Record #999999 does not exist"),
        ("akquise://followup/999999", "Follow-up #999999 does not exist"),
    ],
)
def test_bad_links_open_nothing_and_say_why(qtbot, opener, window, link, words):
    text = refused(opener, qtbot, link)
    assert words in text
    assert window.current_page() != "record"


def test_a_link_of_another_database_names_the_open_one(qtbot, opener, services):
    text = refused(opener, qtbot, "akquise://record/1?db=pg-0123456789abcdef")
    assert "another database" in text
    assert services.db.describe("en") in text


def test_no_right_opens_nothing(qtbot, services, window, ids):
    from akquise_desktop.controller import RoleGroupData

    record_id, _, _ = ids
    ctl = services.controller
    group = ctl.create_role_group(RoleGroupData("Ohne Rechte", rights={})).result_id
    user = ctl.create_user("ohne", "Otto Ohne", role_group_id=group).result_id
    services.user_id = user
    opener = LinkOpener(services, lambda: window)
    text = refused(opener, qtbot, urls.record_url(record_id))
    assert f"no right to see record #{record_id}" in text


def test_raise_only_shows_the_window(qtbot, opener, window):
    window.showMinimized()
    opener.handle(RAISE)
    assert not window.isMinimized()
    assert opener.message_box is None


def test_a_new_refusal_replaces_the_old_message(qtbot, opener):
    refused(opener, qtbot, "akquise://record/abc")
    first = opener.message_box
    refused(opener, qtbot, "akquise://contact/1")
    assert opener.message_box is not first


def test_desktop_shortcut_from_the_record_view(qtbot, window, services, ids, tmp_path):
    record_id, _, _ = ids
    window.open_record(record_id)
    view = window.record_view
    qtbot.waitUntil(lambda: view.detail is not None)
    desktop = tmp_path / "Desktop"
    view.shortcut_directory = str(desktop)
    view.shortcut_button.click()
    box = view.shortcut_box
    files = list(desktop.iterdir())
    assert len(files) == 1
    assert box.property("path") == str(files[0])
    assert view.detail.name in files[0].name and "demo.sqlite3" in files[0].name
    content = files[0].read_text(encoding="utf-8")
    assert urls.record_url(record_id, db_id(services)) in content
    box.close()


@pytest.mark.parametrize("platform", ["windows", "linux", "macos"])
def test_shortcut_round_trip_for_each_platform(qtbot, window, services, ids, tmp_path, platform):
    record_id, _, _ = ids
    desktop = tmp_path / "Desktop"
    box = create_desktop_shortcut(
        window, services, record_id, "Müller GmbH", directory=desktop, platform=platform
    )
    (path,) = desktop.iterdir()
    assert str(path) in box.text()
    if platform == "macos":
        import plistlib

        url = plistlib.loads(path.read_bytes())["URL"]
    else:
        parser = configparser.ConfigParser(interpolation=None)
        parser.read_string(path.read_text(encoding="utf-8"))
        if platform == "windows":
            url = parser["InternetShortcut"]["URL"]
        else:
            url = parser["Desktop Entry"]["Exec"].split('"')[1]
    link = urls.parse(url)
    assert (link.kind, link.id, link.db) == (urls.Kind.RECORD, record_id, db_id(services))
    box.close()


def test_an_unwritable_desktop_is_reported(qtbot, window, services, ids, tmp_path):
    record_id, _, _ = ids
    blocker = tmp_path / "file"
    blocker.write_text("")
    box = create_desktop_shortcut(window, services, record_id, "X", directory=blocker / "sub")
    assert "could not be written" in box.text()
    box.close()


def test_a_follow_up_link_selects_the_follow_up(qtbot, opener, window, services):
    from datetime import timedelta

    from sqlalchemy import func

    from akquise_desktop.controller import NextFollowUp
    from akquise_desktop.ui.record_view.follow_ups import IdRole

    with services.db.read() as s:
        record_id, activity_id = s.execute(
            select(m.FollowUp.record_id, func.max(m.Activity.id))
            .join(m.Activity, m.Activity.record_id == m.FollowUp.record_id)
            .where(m.FollowUp.state == "open")
            .group_by(m.FollowUp.record_id)
            .limit(1)
        ).one()
    services.controller.create_follow_up(  # a second open follow-up on the record
        record_id,
        NextFollowUp(services.clock.today() + timedelta(days=40)),
        source_activity_id=activity_id,
    )
    with services.db.read() as s:
        open_ids = set(
            s.scalars(
                select(m.FollowUp.id).where(
                    m.FollowUp.record_id == record_id, m.FollowUp.state == "open"
                )
            )
        )
    panel = window.record_view.follow_up_panel.follow_ups
    window.open_record(record_id)
    qtbot.waitUntil(lambda: panel.topLevelItemCount() == len(open_ids), timeout=3000)
    first = panel.currentItem().data(0, IdRole) if panel.currentItem() else None
    wanted = next(i for i in sorted(open_ids) if i != first)
    window.show_view("follow_ups")
    with qtbot.waitSignal(opener.opened):
        opener.handle(urls.follow_up_url(wanted))
    qtbot.waitUntil(lambda: panel.currentItem() is not None, timeout=3000)
    assert window.record_view.record_id == record_id
    assert panel.currentItem().data(0, IdRole) == wanted
