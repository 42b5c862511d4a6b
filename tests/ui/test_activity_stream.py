"""The activity stream: newest first, filters, paging, clicks, live updates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from akquise_desktop import models as m
from akquise_desktop.controller import LogActivity, NextFollowUp
from akquise_desktop.ui.activity_dialog import ActivityDialog
from akquise_desktop.ui.activity_stream import TODAY, ActivityStreamView


@pytest.fixture
def view(qtbot, services):
    widget = ActivityStreamView(services)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    return widget


def _newest(db, limit: int, **where) -> list[int]:
    with db.read() as s:
        q = select(m.Activity.id)
        for key, value in where.items():
            q = q.where(getattr(m.Activity, key) == value)
        q = q.order_by(m.Activity.occurred_at.desc(), m.Activity.id.desc()).limit(limit)
        return list(s.scalars(q))


def _record_with_open_follow_up(db) -> int:
    with db.read() as s:
        return s.scalar(
            select(m.FollowUp.record_id).where(m.FollowUp.state == "open").order_by(m.FollowUp.id)
        )


def test_newest_first_and_more_on_scroll(view, demo_db):
    model = view.model
    first = len(model.rows)
    assert first > 0
    assert [r.id for r in model.rows] == _newest(demo_db, first)
    if model.canFetchMore():
        view.table.scrollToBottom()
        model.fetchMore()
        assert len(model.rows) > first
    assert [r.id for r in model.rows] == _newest(demo_db, len(model.rows))
    assert len({r.id for r in model.rows}) == len(model.rows)


def test_filter_by_user_and_type(view, demo_db):
    view.set_filter(user_id=2)
    assert view.model.rows
    assert all(r.user_id == 2 for r in view.model.rows)
    assert [r.id for r in view.model.rows] == _newest(demo_db, len(view.model.rows), user_id=2)
    with demo_db.read() as s:
        phone = s.scalar(select(m.ActivityType.id).where(m.ActivityType.name == "Telefonat"))
    view.set_filter(type_id=phone)
    assert view.model.rows and all(r.type_name == "Telefonat" for r in view.model.rows)


def test_filter_by_team(view, demo_db):
    with demo_db.read() as s:
        team_id = s.scalar(select(m.User.team_id).where(m.User.id == 2))
        members = set(s.scalars(select(m.User.id).where(m.User.team_id == team_id)))
    view.set_filter(team_id=team_id)
    assert view.model.rows
    assert {r.user_id for r in view.model.rows} <= members


def test_filter_by_period(view, demo_db):
    view.set_filter(period=TODAY)
    f = view.current_filter()
    assert f.since is not None and f.until is None
    assert all(r.occurred_at >= f.since for r in view.model.rows)
    with demo_db.read() as s:
        count = s.scalar(
            select(func.count()).select_from(m.Activity).where(m.Activity.occurred_at >= f.since)
        )
    assert len(view.model.rows) == min(count, view.model.page_size)


def test_custom_period_shows_the_date_fields(view):
    view.period_combo.setCurrentIndex(view.period_combo.findData("custom"))
    assert view.from_edit.isVisible() and view.to_edit.isVisible()
    f = view.current_filter()
    assert f.since is not None and f.until is not None and f.since < f.until


def test_click_opens_the_record(qtbot, view):
    row = view.model.rows[0]
    rect = view.table.visualRect(view.model.index(0, view.model.RECORD))
    with qtbot.waitSignal(view.record_requested) as signal:
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [row.record_id]


def test_enter_opens_the_record(qtbot, view):
    row = view.model.rows[1]
    view.table.setCurrentIndex(view.model.index(1, 0))
    view.table.setFocus()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    with qtbot.waitSignal(view.record_requested) as signal:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert signal.args == [row.record_id]


def test_stream_updates_after_a_save_in_the_dialog(qtbot, view, services, demo_db):
    record_id = _record_with_open_follow_up(demo_db)
    shown = len(view.model.rows)
    dialog = ActivityDialog(services, record_id)
    qtbot.addWidget(dialog)
    dialog.subject_edit.setText("Ganz neue Aktivität")
    dialog.next_box.setChecked(True)
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.save()
    new_id = saved.args[0].result_id
    (row,) = [r for r in view.model.rows if r.id == new_id]
    assert row.subject == "Ganz neue Aktivität"
    assert len(view.model.rows) == shown + 1
    # merged at its place among the newest (not reloaded, not appended)
    assert [r.id for r in view.model.rows] == _newest(demo_db, shown + 1)


def test_new_activity_outside_the_filter_is_not_merged(view, services, demo_db, clock):
    view.set_filter(user_id=2)
    before = [r.id for r in view.model.rows]
    record_id = _record_with_open_follow_up(demo_db)
    services.change(
        lambda ctl: ctl.log_activity(
            LogActivity(
                record_id=record_id,
                subject="Vom Admin",
                next_follow_up=NextFollowUp(clock.today() + timedelta(days=3)),
            )
        )
    )
    assert [r.id for r in view.model.rows] == before
