"""Rebooking (Wiedervorlagen umbuchen): plan preview, spread over users and
working days without weekends and holidays, filters, bad input, a row
changed after the plan, undo, the bulk right."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from PySide6.QtCore import QDate, Qt
from sqlalchemy import func, select

from akquise_desktop import models as m
from akquise_desktop.controller import Controller
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.ui.common import format_date
from akquise_desktop.ui.rebooking_dialog import RebookingDialog
from akquise_desktop.ui.services import ChangeBus, Services
from akquise_desktop.ui.worker import SyncWorker


def _busiest_users(db) -> list[tuple[int, int]]:
    """(user id, open follow-ups) of active users, most first."""
    with db.read() as s:
        return [
            (uid, n)
            for uid, n in s.execute(
                select(m.FollowUp.assignee_id, func.count())
                .join(m.User, m.User.id == m.FollowUp.assignee_id)
                .where(m.FollowUp.state == "open", m.User.active)
                .group_by(m.FollowUp.assignee_id)
                .order_by(func.count().desc(), m.FollowUp.assignee_id)
            )
        ]


def _open_of(db, user_id: int) -> dict[int, date]:
    with db.read() as s:
        rows = s.execute(
            select(m.FollowUp.id, m.FollowUp.due_date).where(
                m.FollowUp.assignee_id == user_id, m.FollowUp.state == "open"
            )
        )
        return {fid: due for fid, due in rows}


def _set_date(edit, day: date) -> None:
    edit.setDate(QDate(day.year, day.month, day.day))


@pytest.fixture
def dialog(qtbot, services) -> RebookingDialog:
    dlg = RebookingDialog(services)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_rebook_a_users_follow_ups_over_two_users_and_working_days_then_undo(
    qtbot, services, demo_db, dialog, clock
):
    (source, count), (first, _), (second, _) = _busiest_users(demo_db)[:3]
    before = _open_of(demo_db, source)
    assert len(before) == count
    dialog.set_source("user", source)
    assert not dialog.preview_button.isEnabled()  # no target yet
    assert "Tick the user(s)" in dialog.summary.text()
    dialog.set_targets([first, second])
    assert dialog.preview_button.isEnabled()
    dialog.spread_box.setChecked(True)
    start = clock.today() + timedelta(days=1)
    _set_date(dialog.start_edit, start)
    dialog.max_spin.setValue(3)
    dialog.region_combo.setCurrentIndex(dialog.region_combo.findData("DE-NW"))
    assert dialog.region() == "DE-NW"

    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    plan = dialog.plan
    assert plan is not None and len(plan.rows) == count and not plan.refused
    assert f"{plan.moving} of {count} follow-up(s) move." in dialog.summary.text()
    assert dialog.plan_table.rowCount() == count
    assert {r.new_assignee_id for r in plan.rows} == {first, second}
    nrw = holidays.country_holidays("DE", subdiv="NW")
    for row in plan.rows:
        if row.new_due != row.old_due:  # placed anew: a working day from the start on
            assert row.new_due >= start and row.new_due.weekday() < 5
            assert row.new_due not in nrw
    shown = dialog.plan_table
    assert shown.item(0, 0).text() == plan.rows[0].record_name
    assert shown.item(0, 5).text() == format_date(plan.rows[0].new_due)
    assert dialog.tabs.isTabVisible(2) and dialog.load_table.rowCount() == len(plan.load)
    assert all(x.existing + x.planned <= 3 for x in plan.load)
    assert _open_of(demo_db, source) == before  # the plan wrote nothing

    with qtbot.waitSignal(services.bus.changed):
        qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert dialog.summary.text().startswith(f"Done: {plan.moving} follow-up(s) rebooked.")
    assert _open_of(demo_db, source) == {}
    moved = {**_open_of(demo_db, first), **_open_of(demo_db, second)}
    for row in plan.rows:
        assert moved[row.follow_up_id] == row.new_due

    run = dialog.runs.selected_run()
    assert run.id == dialog.bulk_result.run_id and run.operation == "rebook"
    assert dialog.runs.tree.currentItem().text(1) == "Rebook follow-ups"
    dialog.runs.undo_selected(confirm=False)
    assert _open_of(demo_db, source) == before


def test_filters_date_range_campaign_and_priority(qtbot, demo_db, dialog, clock):
    (source, _), (target, _) = _busiest_users(demo_db)[:2]
    today = clock.today()
    dialog.set_source("user", source)
    dialog.set_targets([target])
    dialog.due_from_check.setChecked(True)
    _set_date(dialog.due_from_edit, today - timedelta(days=30))
    dialog.due_to_check.setChecked(True)
    _set_date(dialog.due_to_edit, today + timedelta(days=30))
    campaign = dialog.context.campaigns[0]
    dialog.campaign_combo.setCurrentIndex(dialog.campaign_combo.findData(campaign.id))
    dialog.priority_checks[0].setChecked(False)  # not the normal ones
    dialog.run_preview()
    with demo_db.read() as s:
        expected = set(
            s.scalars(
                select(m.FollowUp.id)
                .join(
                    m.CampaignMembership,
                    m.CampaignMembership.record_id == m.FollowUp.record_id,
                )
                .where(
                    m.FollowUp.assignee_id == source,
                    m.FollowUp.state == "open",
                    m.FollowUp.due_date.between(
                        today - timedelta(days=30), today + timedelta(days=30)
                    ),
                    m.FollowUp.priority.in_([1, 2]),
                    m.CampaignMembership.campaign_id == campaign.id,
                )
            )
        )
    assert {r.follow_up_id for r in dialog.plan.rows} == expected
    assert all(r.new_due == r.old_due for r in dialog.plan.rows)  # users only: dates stay

    assert dialog.plan_table.rowCount() == len(expected)
    for check in dialog.priority_checks:
        check.setChecked(False)
    assert dialog.plan is None and dialog.plan_table.rowCount() == 0  # stale: gone
    assert not dialog.preview_button.isEnabled()
    assert "Tick at least one priority." in dialog.summary.text()


def test_a_team_as_the_source(qtbot, demo_db, dialog):
    team = dialog.context.teams[0]
    members = [u.id for u in dialog.context.users if u.team_id == team.id]
    outsider = next(u.id for u in dialog.context.users if u.active and u.team_id != team.id)
    dialog.set_source("team", team.id)
    assert dialog.from_combo.currentText() == f"Team {team.name} (all members)"
    dialog.set_targets([outsider])
    dialog.run_preview()
    with demo_db.read() as s:
        expected = s.scalar(
            select(func.count())
            .select_from(m.FollowUp)
            .where(m.FollowUp.state == "open", m.FollowUp.assignee_id.in_(members))
        )
    assert len(dialog.plan.rows) == expected > 0
    assert {r.old_assignee_id for r in dialog.plan.rows} <= set(members)


def test_bad_input_gets_a_clear_refusal_and_changes_nothing(qtbot, demo_db, dialog, clock):
    (source, _), (target, _) = _busiest_users(demo_db)[:2]
    before = _open_of(demo_db, source)
    dialog.set_source("user", source)
    dialog.set_targets([target])
    dialog.spread_box.setChecked(True)
    dialog.region_combo.setEditText("XX-YY")
    assert dialog.region() == "XX-YY"
    dialog.run_preview()
    assert dialog.plan is None and not dialog.run_button.isEnabled()
    with pytest.raises(DomainError) as refusal:
        from akquise_desktop.controller.rebooking import Rebooking

        Rebooking(Controller(demo_db, 1, clock=clock)).plan(dialog.spec())
    assert refusal.value.rule is Rule.INVALID_VALUE
    assert dialog.summary.text() == refusal.value.message("en")
    assert _open_of(demo_db, source) == before

    dialog.region_combo.setEditText("DE-BY")  # typed without the name: fine too
    dialog.due_from_check.setChecked(True)
    dialog.due_to_check.setChecked(True)
    _set_date(dialog.due_from_edit, clock.today() + timedelta(days=10))
    _set_date(dialog.due_to_edit, clock.today())
    dialog.run_preview()
    assert "date range" in dialog.summary.text()


def test_a_follow_up_changed_after_the_plan_is_skipped_and_reported(qtbot, demo_db, dialog, clock):
    (source, _), (target, _) = _busiest_users(demo_db)[:2]
    dialog.set_source("user", source)
    dialog.set_targets([target])
    dialog.run_preview()
    row = dialog.plan.rows[0]
    Controller(demo_db, 1, clock=clock).update_follow_up(
        row.follow_up_id, expected_version=row.version, instruction="Vom Kollegen geändert"
    )
    dialog.run()
    result = dialog.bulk_result
    assert [r.target_id for r in result.refused] == [row.follow_up_id]
    assert "1 refused" in dialog.summary.text()
    assert dialog.tabs.currentIndex() == 1 and dialog.refused_table.rowCount() == 1
    assert row.follow_up_id in _open_of(demo_db, source)  # left where it was


def test_without_the_bulk_right(qtbot, demo_db, clock):
    with demo_db.read() as s:
        sales = s.scalar(
            select(m.User.id)
            .join(m.RoleGroup, m.RoleGroup.id == m.User.role_group_id)
            .where(m.RoleGroup.name == "Vertrieb", m.User.active)
        )
    controller = Controller(demo_db, sales, clock=clock)
    svc = Services(demo_db, controller, SyncWorker(), ChangeBus(), sales, clock=clock)
    dlg = RebookingDialog(svc)
    qtbot.addWidget(dlg)
    dlg.set_targets([sales])
    assert not dlg.preview_button.isEnabled()
    assert "no right for bulk editing" in dlg.no_right.text()


def test_rebooking_through_the_dialog_on_both_backends(qtbot, qapp, db, clock):
    from tests.factories import make_world

    world = make_world(db, clock)
    for i in range(4):
        world.in_campaign(f"Firma {i}")
    admin = world.controller(world.admin_id)
    svc = Services(db, admin, SyncWorker(), ChangeBus(), world.admin_id, clock=clock)
    dlg = RebookingDialog(svc)
    qtbot.addWidget(dlg)
    dlg.set_source("user", world.sales_id)
    dlg.set_targets([world.colleague_id, world.lax_id])
    dlg.spread_box.setChecked(True)
    today = clock.today()
    monday = today + timedelta(days=7 - today.weekday())
    _set_date(dlg.start_edit, monday)
    dlg.max_spin.setValue(1)
    dlg.run_preview()
    plan = dlg.plan
    assert len(plan.rows) == 4 and plan.moving == 4
    assert sorted(r.new_due for r in plan.rows)[:2] == [monday, monday]  # one each
    dlg.run()
    assert _open_of(db, world.sales_id) == {}
    assert len(_open_of(db, world.colleague_id)) + len(_open_of(db, world.lax_id)) == 4
    dlg.runs.undo_selected(confirm=False)
    assert len(_open_of(db, world.sales_id)) == 4
