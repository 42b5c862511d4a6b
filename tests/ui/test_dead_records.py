"""Tote Kunden: the list, one-click logging, and the list emptying as follow-ups are set."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from akquise_desktop import models as m
from akquise_desktop.controller import Controller, LogActivity, NextFollowUp
from akquise_desktop.queries.invariants import dead_records_query
from akquise_desktop.ui.activity_dialog import ActivityDialog
from akquise_desktop.ui.dead_records import MINE, DeadRecordsModel, DeadRecordsView


@pytest.fixture
def view(qtbot, services):
    widget = DeadRecordsView(services)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    return widget


def _dead(db) -> set[int]:
    with db.read() as s:
        return set(s.scalars(dead_records_query()))


def test_lists_exactly_the_dead_records(view, demo_db):
    dead = _dead(demo_db)
    assert view.count == len(dead)
    assert {r.id for r in view.model.rows} == dead
    if dead:
        assert view.count_label.text().startswith(str(len(dead)))
        last = [r.last_activity_at for r in view.model.rows]
        assert last == sorted(last)  # longest silent first


def test_one_click_log_activity_and_the_record_leaves_the_list(qtbot, view, demo_db):
    assert view.model.rows, "the demo database has dead records"
    row = view.model.rows[0]
    assert view.selected_row() is row  # the first one is selected on load
    before = view.count
    rect = view.table.visualRect(view.model.index(0, DeadRecordsModel.ACTION))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dialog = view.findChild(ActivityDialog)
    assert dialog is not None and dialog.isVisible() and dialog.record_id == row.id
    assert dialog.next_box.isChecked()  # the next follow-up is prepared
    dialog.subject_edit.setText("Wieder angerufen")
    assert dialog.can_save(), dialog.problem_texts()
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert row.id not in {r.id for r in view.model.rows}
    assert view.count == before - 1
    assert row.id not in _dead(demo_db)
    # the next dead record is selected: Enter works on down the list
    if view.model.rows:
        assert view.selected_row() is view.model.rows[0]


def test_empties_when_every_dead_record_gets_a_follow_up(view, services, demo_db, clock):
    dead = sorted(_dead(demo_db))
    assert view.count == len(dead)
    for record_id in dead:
        services.change(
            lambda ctl, r=record_id: ctl.log_activity(
                LogActivity(
                    record_id=r,
                    subject="Nachgefasst",
                    next_follow_up=NextFollowUp(clock.today() + timedelta(days=7)),
                )
            )
        )
    assert view.model.rows == []
    assert view.count == 0
    assert view.count_label.text() == "No dead records"


def test_a_record_that_dies_appears(view, services, demo_db, clock):
    """An office user (policy off) completes a live record's last follow-up
    without a next one: the change reaches the view and the record shows up."""
    with demo_db.read() as s:
        office = s.scalar(
            select(m.User.id)
            .join(m.RoleGroup, m.RoleGroup.id == m.User.role_group_id)
            .where(m.RoleGroup.activity_requires_follow_up.is_(False))
        )
        live = s.execute(
            select(m.Record.id)
            .where(m.Record.next_follow_up_date.is_not(None))
            .order_by(m.Record.id)
        ).scalars()
        candidates = [r for r in live if r not in _dead(demo_db)]
    record_id = next(r for r in candidates if _live_status(demo_db, r) and r not in _dead(demo_db))
    before = view.count
    summary = Controller(demo_db, office, clock=clock).log_activity(
        LogActivity(
            record_id=record_id,
            subject="Erledigt, ohne neue Wiedervorlage",
            completes=tuple(_open_follow_ups(demo_db, record_id)),
        )
    )
    services.bus.changed.emit(summary)
    assert record_id in {r.id for r in view.model.rows}
    assert view.count == before + 1


def _live_status(db, record_id: int) -> bool:
    with db.read() as s:
        return bool(
            s.scalar(
                select(m.CampaignMembership.id)
                .join(m.CampaignStatus, m.CampaignStatus.id == m.CampaignMembership.status_id)
                .join(m.Campaign, m.Campaign.id == m.CampaignMembership.campaign_id)
                .where(
                    m.CampaignMembership.record_id == record_id,
                    m.Campaign.active,
                    m.CampaignStatus.is_final.is_(False),
                )
                .limit(1)
            )
        )


def _open_follow_ups(db, record_id: int) -> list[int]:
    with db.read() as s:
        return list(
            s.scalars(
                select(m.FollowUp.id).where(
                    m.FollowUp.record_id == record_id, m.FollowUp.state == "open"
                )
            )
        )


def test_open_record_and_my_records(qtbot, view, demo_db):
    assert view.model.rows, "the demo database has dead records"
    view.table.setCurrentIndex(view.model.index(0, 0))
    with qtbot.waitSignal(view.record_requested) as signal:
        qtbot.mouseClick(view.open_button, Qt.MouseButton.LeftButton)
    assert signal.args == [view.model.rows[0].id]
    view.set_whose(MINE)
    with demo_db.read() as s:
        mine = {
            r
            for r in _dead(demo_db)
            if s.scalar(select(m.Record.owner_id).where(m.Record.id == r)) == 1
        }
    assert {r.id for r in view.model.rows} == mine
    assert view.count == len(mine)
