"""Meine Wiedervorlagen: list, buckets, source activity, "Complete…" through the dialog."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from akquise_desktop import models as m
from akquise_desktop.queries.follow_ups import Bucket, bucket_of
from akquise_desktop.ui.activity_dialog import ActivityDialog
from akquise_desktop.ui.follow_up_list import MINE, TEAM, USER, FollowUpListView


@pytest.fixture
def view(qtbot, services):
    widget = FollowUpListView(services)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    return widget


def _open_ids(db, **where) -> list[int]:
    with db.read() as s:
        q = select(m.FollowUp.id).where(m.FollowUp.state == "open")
        for key, value in where.items():
            q = q.where(getattr(m.FollowUp, key) == value)
        return list(s.scalars(q.order_by(m.FollowUp.due_date, m.FollowUp.id)))


def test_shows_my_open_follow_ups_by_due_date(view, demo_db):
    expected = _open_ids(demo_db, assignee_id=1)
    assert expected, "the demo admin has open follow-ups"
    assert [r.id for r in view.model.rows] == expected
    assert view.counts[Bucket.ALL] == len(expected)
    assert view.bucket_buttons[Bucket.ALL].text().endswith(f"({len(expected)})")
    # the first one is selected and its source activity shown
    assert view.selected_row().id == expected[0]
    assert view.complete_button.isEnabled()


def test_bucket_filter_and_counts(view, demo_db, clock):
    today = clock.today()
    dues = {r.id: r.due_date for r in view.model.rows}
    for bucket in (Bucket.OVERDUE, Bucket.TODAY, Bucket.WEEK, Bucket.LATER):
        view.set_bucket(bucket)
        ids = [r.id for r in view.model.rows]
        assert ids == [i for i in dues if bucket_of(dues[i], today) is bucket]
        assert view.counts[bucket] == len(ids)
    assert sum(view.counts[b] for b in Bucket if b is not Bucket.ALL) == view.counts[Bucket.ALL]


def test_overdue_red_and_today_highlighted(view, clock):
    today = clock.today()
    view.today_fn = lambda: today
    model = view.model
    for i, row in enumerate(model.rows):
        fg = model.data(model.index(i, model.DUE), Qt.ItemDataRole.ForegroundRole)
        bg = model.data(model.index(i, model.DUE), Qt.ItemDataRole.BackgroundRole)
        if row.due_date < today:
            assert fg is not None and bg is None
        elif row.due_date == today:
            assert bg is not None
        else:
            assert fg is None and bg is None


def test_priority_icons(view):
    model = view.model
    for i, row in enumerate(model.rows):
        icon = model.data(model.index(i, model.PRIORITY), Qt.ItemDataRole.DecorationRole)
        assert icon.isNull() == (row.priority == 0)


def test_source_activity_pane(view, demo_db):
    row = next(r for r in view.model.rows if r.source_activity_id is not None)
    assert view.select_follow_up(row.id)
    with demo_db.read() as s:
        source = s.get(m.Activity, row.source_activity_id)
        subject, first_line = source.subject, (source.text or "").splitlines()[:1]
    html = view.detail.toPlainText()
    assert subject in html
    if first_line:
        assert first_line[0] in html


def test_open_record(qtbot, view):
    row = view.selected_row()
    with qtbot.waitSignal(view.record_requested) as signal:
        qtbot.mouseClick(view.open_button, Qt.MouseButton.LeftButton)
    assert signal.args == [row.record_id]


def test_complete_opens_the_prefilled_dialog_and_the_list_follows(qtbot, view, demo_db):
    assert view.selected_row() is view.model.rows[0]
    row = view.model.rows[1]
    following = view.model.rows[2]
    view.select_follow_up(row.id)
    qtbot.mouseClick(view.complete_button, Qt.MouseButton.LeftButton)
    dialog = view.findChild(ActivityDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.record_id == row.record_id
    assert dialog.ticked_follow_up_ids() == {row.id}
    before = view.counts[Bucket.ALL]

    dialog.subject_edit.setText("Erledigt aus der Liste")
    dialog.next_box.setChecked(True)
    dialog.quick_buttons[1][0].click()  # +1 week
    dialog.assignee_combo.setCurrentIndex(dialog.assignee_combo.findData(1))
    assert dialog.can_save(), dialog.problem_texts()
    dialog.save()

    ids = [r.id for r in view.model.rows]
    assert row.id not in ids  # done: gone from the list
    with demo_db.read() as s:
        new_id = s.scalar(select(func.max(m.FollowUp.id)))
    assert new_id in ids  # the next one is in the list
    assert view.counts[Bucket.ALL] == before  # one done, one new
    # the follow-up now in its place is selected: the next one to work on
    assert view.selected_row().id == following.id


def test_enter_on_a_row_completes(qtbot, view):
    view.table.setFocus()
    row = view.selected_row()
    view.table.activated.emit(view.model.index(0, 0))
    dialog = view.findChild(ActivityDialog)
    assert dialog is not None and dialog.complete_follow_up_id == row.id


def test_team_and_chosen_user(view, demo_db):
    ctx = view.context
    assert ctx is not None
    view.set_whose(USER, user_id=2)
    assert [r.id for r in view.model.rows] == _open_ids(demo_db, assignee_id=2)
    assert all(r.assignee_id == 2 for r in view.model.rows)
    if ctx.team_id is not None:
        view.set_whose(TEAM)
        members = {u.id for u in ctx.users if u.team_id == ctx.team_id}
        assert {r.assignee_id for r in view.model.rows} <= members
        with demo_db.read() as s:
            count = s.scalar(
                select(func.count())
                .select_from(m.FollowUp)
                .join(m.User, m.User.id == m.FollowUp.assignee_id)
                .where(m.FollowUp.state == "open", m.User.team_id == ctx.team_id)
            )
        assert view.counts[Bucket.ALL] == count
    view.set_whose(MINE)
    assert all(r.assignee_id == 1 for r in view.model.rows)


def test_paging_loads_more_on_demand(qtbot, services, demo_db, monkeypatch):
    import akquise_desktop.ui.follow_up_list as module

    monkeypatch.setattr(module, "PAGE_SIZE", 2)
    widget = FollowUpListView(services)
    qtbot.addWidget(widget)
    expected = _open_ids(demo_db, assignee_id=1)
    assert len(expected) > 2
    assert len(widget.model.rows) == 2
    while widget.model.canFetchMore():
        widget.model.fetchMore()
    assert [r.id for r in widget.model.rows] == expected


def test_a_day_later_everything_is_a_day_closer(view, clock):
    """The buckets are computed from the view's today."""
    view.today_fn = lambda: clock.today() + timedelta(days=400)
    view.refresh()
    assert view.counts[Bucket.OVERDUE] == view.counts[Bucket.ALL]
