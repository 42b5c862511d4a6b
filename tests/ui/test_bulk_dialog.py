"""Bulk editing (Massenbearbeitung): preview, run with progress and cancel,
refused rows with their reasons, a version conflict, undo; the bulk right;
each operation's page alone; the hooks in the main window, the record list
and the follow-up list; the calendar export action."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QFileDialog, QMessageBox, QPushButton
from sqlalchemy import func, select

from akquise_desktop import models as m
from akquise_desktop.controller import Controller, NextFollowUp
from akquise_desktop.controller.bulk import (
    UNSET,
    ChangeStatus,
    LogActivityForEach,
    SetAssignee,
    SetDueDate,
    SetInstruction,
    SetOwner,
    SetPriority,
    ShiftDueDates,
)
from akquise_desktop.core.changes import Entity
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.queries.bulk_context import (
    BulkContext,
    CampaignChoice,
    StatusChoice,
    TypeChoice,
    UserChoice,
)
from akquise_desktop.queries.records import record_ids
from akquise_desktop.ui.bulk import (
    FOLLOW_UP,
    PAGES,
    RECORD,
    BulkDialog,
    BulkTargets,
    ChangeStatusPage,
    LogActivityPage,
    SetAssigneePage,
    SetDueDatePage,
    SetInstructionPage,
    SetOwnerPage,
    SetPriorityPage,
    ShiftDueDatesPage,
    operation_names,
)
from akquise_desktop.ui.common import format_date
from akquise_desktop.ui.services import ChangeBus, Services
from akquise_desktop.ui.settings import Settings
from akquise_desktop.ui.worker import SyncWorker


def _open_follow_ups(db, n: int, *, with_source: bool = False) -> list[m.FollowUp]:
    with db.read() as s:
        stmt = select(m.FollowUp).where(m.FollowUp.state == "open", m.FollowUp.recurrence.is_(None))
        if with_source:
            stmt = stmt.where(m.FollowUp.source_activity_id.is_not(None))
        rows = list(s.scalars(stmt.order_by(m.FollowUp.id).limit(n)))
        for row in rows:
            s.expunge(row)
    assert len(rows) == n
    return rows


def _due(db, ids) -> dict[int, object]:
    with db.read() as s:
        rows = s.execute(select(m.FollowUp.id, m.FollowUp.due_date).where(m.FollowUp.id.in_(ids)))
        return {fid: due for fid, due in rows}


def _services_as(db, user_id: int, clock) -> Services:
    controller = Controller(db, user_id, clock=clock)
    return Services(db, controller, SyncWorker(), ChangeBus(), user_id, clock=clock)


def _sales_user(db) -> int:
    with db.read() as s:
        return s.scalar(
            select(m.User.id)
            .join(m.RoleGroup, m.RoleGroup.id == m.User.role_group_id)
            .where(m.RoleGroup.name == "Vertrieb", m.User.active)
            .order_by(m.User.id)
        )


@pytest.fixture
def bulk_for(qtbot, services):
    def make(targets: BulkTargets, svc: Services | None = None) -> BulkDialog:
        dialog = BulkDialog(svc or services, targets)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    return make


def test_shift_due_dates_preview_run_and_undo(qtbot, services, demo_db, bulk_for):
    fus = _open_follow_ups(demo_db, 3)
    ids = [f.id for f in fus]
    before = _due(demo_db, ids)
    dialog = bulk_for(BulkTargets(FOLLOW_UP, tuple(ids)))
    assert dialog.context is not None and dialog.context.may_bulk
    assert not dialog.no_right.isVisible()
    assert not dialog.scope_result.isVisible()  # follow-ups: the selection only
    dialog.set_operation("shift_due_dates").days.setValue(3)
    assert not dialog.run_button.isEnabled()  # preview first

    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert dialog.preview.changing == 3 and not dialog.preview.refused
    assert "3 of 3 row(s) change." in dialog.summary.text()
    assert dialog.changes_table.rowCount() == 3
    first = dialog.changes_table
    texts = {first.item(r, 1).text(): first.item(r, 2).text() for r in range(3)}
    for fu in fus:
        old, new = format_date(fu.due_date), format_date(fu.due_date + timedelta(days=3))
        assert texts[f"Due: {old}"] == f"Due: {new}"
    assert _due(demo_db, ids) == before  # the preview wrote nothing
    assert dialog.run_button.isEnabled() and "3" in dialog.run_button.text()

    with qtbot.waitSignal(services.bus.changed) as changed:
        qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert changed.args[0].ids(Entity.FOLLOW_UP) >= set(ids)  # every view hears of it
    assert _due(demo_db, ids) == {i: d + timedelta(days=3) for i, d in before.items()}
    assert dialog.bulk_result is not None and sorted(dialog.bulk_result.changed) == sorted(ids)
    assert dialog.summary.text().startswith("Done: 3 of 3 row(s) changed.")
    assert dialog.tabs.tabText(0) == "Changed (3)"
    assert not dialog.run_button.isEnabled()  # a second run needs a new preview

    run = dialog.runs.selected_run()
    assert run is not None and run.id == dialog.bulk_result.run_id and run.undoable
    assert dialog.runs.undo_button.isEnabled()
    with qtbot.waitSignal(services.bus.changed):
        dialog.runs.undo_selected(confirm=False)
    assert _due(demo_db, ids) == before
    assert "3 row(s) restored" in dialog.runs.message.text()
    assert dialog.changes_table.rowCount() == 0 and dialog.summary.text().startswith("Undone")
    assert dialog.runs.selected_run().state == "undone"
    assert not dialog.runs.undo_button.isEnabled()


def test_refused_rows_are_listed_with_their_reason(qtbot, demo_db, bulk_for):
    fus = _open_follow_ups(demo_db, 2, with_source=True)
    dialog = bulk_for(BulkTargets(FOLLOW_UP, tuple(f.id for f in fus)))
    dialog.set_operation("shift_due_dates").days.setValue(-3650)
    dialog.run_preview()
    assert dialog.preview.changing == 0 and len(dialog.preview.refused) == 2
    assert dialog.tabs.currentIndex() == 1 and dialog.tabs.tabText(1) == "Refused (2)"
    reason = dialog.refused_table.item(0, 1).text()
    assert "must not be due before" in reason or "before the activity" in reason
    assert dialog.refused_table.item(0, 0).text()  # the record's name
    assert not dialog.run_button.isEnabled()
    assert "0 of 2 row(s) change." in dialog.summary.text()


def test_a_row_changed_after_the_preview_is_skipped_and_reported(qtbot, demo_db, bulk_for, clock):
    fus = _open_follow_ups(demo_db, 3)
    ids = [f.id for f in fus]
    dialog = bulk_for(BulkTargets(FOLLOW_UP, tuple(ids)))
    dialog.set_operation("set_instruction").instruction.setText("Preisliste schicken")
    dialog.run_preview()
    assert dialog.preview.changing == 3
    # Meanwhile a colleague edits the first follow-up.
    Controller(demo_db, 1, clock=clock).update_follow_up(
        fus[0].id, expected_version=fus[0].version, priority=2
    )
    dialog.run()
    assert sorted(dialog.bulk_result.changed) == sorted(ids[1:])
    assert [r.target_id for r in dialog.bulk_result.refused] == [ids[0]]
    assert dialog.refused_table.rowCount() == 1
    assert "1 refused" in dialog.summary.text()
    with demo_db.read() as s:
        first = s.get(m.FollowUp, ids[0])
        assert first.instruction == fus[0].instruction and first.priority == 2


def test_cancel_stops_between_chunks_and_the_rest_is_reported(qtbot, demo_db, bulk_for):
    fus = _open_follow_ups(demo_db, 6)
    ids = [f.id for f in fus]
    dialog = bulk_for(BulkTargets(FOLLOW_UP, tuple(ids)))
    dialog.chunk_size = 2
    dialog.set_operation("set_priority").priority.setCurrentIndex(1)
    dialog.run_preview()
    assert dialog.preview.changing > 0
    seen = []

    def progressed(done: int, total: int) -> None:
        seen.append((done, total))
        if done == 2:  # the user presses Cancel after the first chunk
            dialog.runner.progress.findChild(QPushButton).click()

    dialog.runner._relay.progressed.connect(progressed)
    dialog.run()
    assert seen[:2] == [(0, 6), (2, 6)]
    result = dialog.bulk_result
    assert result.cancelled and len(result.not_reached) == 4
    assert dialog.summary.text().startswith("Cancelled:")
    assert "4 not reached" in dialog.summary.text()
    assert dialog.runner.progress is None and not dialog.runner.running
    with demo_db.read() as s:
        untouched = s.scalars(select(m.FollowUp.priority).where(m.FollowUp.id.in_(ids[2:])))
        assert list(untouched) == [f.priority for f in fus[2:]]
    assert dialog.runs.selected_run().state == "cancelled"  # and it can be undone
    assert dialog.runs.undo_button.isEnabled() == bool(result.changed)


def test_a_whole_search_result_gets_an_activity_and_a_follow_up_each(
    qtbot, services, demo_db, bulk_for
):
    with demo_db.read() as s:
        rids = list(s.scalars(select(m.Record.id).order_by(m.Record.id).limit(5)))
        activities = s.scalar(select(func.count()).select_from(m.Activity))
    dialog = bulk_for(BulkTargets(RECORD, (rids[0],), tuple(rids)))
    assert dialog.scope_result.isChecked()  # one row selected: the search result is meant
    assert "5" in dialog.scope_result.text()
    page = dialog.set_operation("log_activity")
    page.subject.setText("Weihnachtsmailing verschickt")
    page.text.setPlainText("Katalog 2027")
    page.next.instruction_edit.setText("Nachfassen")
    assert page.next.isChecked()
    dialog.run_preview()
    assert dialog.preview.total == 5
    assert dialog.preview.changing + len(dialog.preview.refused) == 5
    assert "Activity: Weihnachtsmailing verschickt" in dialog.changes_table.item(0, 2).text()
    with demo_db.read() as s:  # the preview rolled its activities back
        assert s.scalar(select(func.count()).select_from(m.Activity)) == activities
    dialog.run()
    changed = dialog.bulk_result.changed
    assert len(changed) == len(dialog.preview_targets) - len(dialog.bulk_result.refused)
    with demo_db.read() as s:
        logged = s.execute(
            select(m.Activity.record_id, m.FollowUp.instruction)
            .join(m.FollowUp, m.FollowUp.source_activity_id == m.Activity.id)
            .where(m.Activity.subject == "Weihnachtsmailing verschickt")
        ).all()
    assert sorted(r for r, _ in logged) == sorted(changed)
    assert {i for _, i in logged} == {"Nachfassen"}

    dialog.scope_selected.setChecked(True)  # any input change: preview again
    assert dialog.preview is None and not dialog.run_button.isEnabled()


def test_follow_up_operations_on_records_apply_to_their_open_follow_ups(qtbot, demo_db, bulk_for):
    with demo_db.read() as s:
        rows = s.execute(
            select(m.FollowUp.record_id, func.count())
            .where(m.FollowUp.state == "open")
            .group_by(m.FollowUp.record_id)
            .order_by(m.FollowUp.record_id)
            .limit(4)
        ).all()
    rids = tuple(r for r, _ in rows)
    dialog = bulk_for(BulkTargets(RECORD, rids))
    assert dialog.scope_selected.isChecked()
    page = dialog.set_operation("set_priority")
    assert dialog.applies_label.text().startswith("Applies to the open follow-ups of the 4 record")
    page.priority.setCurrentIndex(2)
    dialog.run_preview()
    assert dialog.preview.total == sum(n for _, n in rows)
    assert dialog.preview.operation == "set_priority"


def test_status_change_carried_by_an_activity(qtbot, demo_db, bulk_for):
    with demo_db.read() as s:
        membership = s.execute(
            select(
                m.CampaignMembership.record_id,
                m.CampaignMembership.campaign_id,
                m.CampaignMembership.status_id,
            )
            .join(m.CampaignStatus, m.CampaignStatus.id == m.CampaignMembership.status_id)
            .join(m.Campaign, m.Campaign.id == m.CampaignMembership.campaign_id)
            .where(m.Campaign.active, m.CampaignStatus.is_final.is_(False))
            .order_by(m.CampaignMembership.id)
        ).first()
        target = s.scalar(
            select(m.StatusTransition.to_status_id)
            .join(m.CampaignStatus, m.CampaignStatus.id == m.StatusTransition.to_status_id)
            .where(
                m.StatusTransition.from_status_id == membership.status_id,
                m.CampaignStatus.is_final.is_(False),
            )
        )
    assert target is not None
    rid, cid, _ = membership
    dialog = bulk_for(BulkTargets(RECORD, (rid,)))
    page = dialog.set_operation("change_status")
    page.campaign.setCurrentIndex(page.campaign.findData(cid))
    page.status.setCurrentIndex(page.status.findData(target))
    assert page.next.isChecked()  # a non-final status: a next follow-up is set too
    page.subject.setText("Interesse am Angebot")
    dialog.run_preview()
    assert dialog.preview.changing == 1, dialog.refused_table.item(0, 1).text()
    assert "Status:" in dialog.changes_table.item(0, 2).text()
    dialog.run()
    with demo_db.read() as s:
        status = s.scalar(
            select(m.CampaignMembership.status_id).where(
                m.CampaignMembership.record_id == rid, m.CampaignMembership.campaign_id == cid
            )
        )
        assert status == target
        assert (
            s.scalar(
                select(func.count())
                .select_from(m.StatusChange)
                .join(m.Activity)
                .where(
                    m.Activity.subject == "Interesse am Angebot", m.StatusChange.record_id == rid
                )
            )
            == 1
        )


def test_bad_input_is_refused_as_a_whole_and_changes_nothing(qtbot, demo_db, bulk_for, clock):
    from akquise_desktop.controller.bulk import BulkEditor

    rid = _open_follow_ups(demo_db, 1)[0].record_id
    dialog = bulk_for(BulkTargets(RECORD, (rid,)))
    dialog.set_operation("log_activity").subject.setText("   ")
    dialog.run_preview()
    with pytest.raises(DomainError) as refusal:
        BulkEditor(Controller(demo_db, 1, clock=clock)).preview(dialog.operation(), [rid])
    assert refusal.value.rule is Rule.REQUIRED
    assert dialog.summary.text() == refusal.value.message("en")
    assert dialog.preview is None and not dialog.run_button.isEnabled()
    assert "#B71C1C" in dialog.summary.styleSheet()


def test_without_the_bulk_right(qtbot, demo_db, bulk_for, clock):
    svc = _services_as(demo_db, _sales_user(demo_db), clock)
    fus = _open_follow_ups(demo_db, 1)
    dialog = bulk_for(BulkTargets(FOLLOW_UP, (fus[0].id,)), svc)
    assert not dialog.context.may_bulk
    assert dialog.no_right.isVisible()
    assert (
        "Vertrieb" in dialog.no_right.text()
        and "no right for bulk editing" in dialog.no_right.text()
    )
    assert not dialog.preview_button.isEnabled()
    assert "no right" in dialog.preview_button.toolTip()
    assert not dialog.runs.undo_button.isEnabled()


# --- each operation's page alone, on a hand-made context --------------------------------------


def _context() -> BulkContext:
    return BulkContext(
        user_id=1,
        user_name="Katrin Becker",
        team_id=None,
        role_group="Administratoren",
        bulk_scope=m.Scope.ALL,
        default_follow_up_days=7,
        users=(
            UserChoice(1, "Katrin Becker", None, True),
            UserChoice(2, "Jonas Weber", None, True),
            UserChoice(3, "Ausgeschieden", None, False),
        ),
        teams=(),
        campaigns=(
            CampaignChoice(
                10,
                "Neukunden",
                (
                    StatusChoice(11, "Lead", "#90A4AE", False),
                    StatusChoice(12, "Kunde", "#43A047", True),
                ),
            ),
        ),
        activity_types=(TypeChoice(5, "Telefonat", "phone"), TypeChoice(6, "E-Mail", "mail")),
    )


@pytest.fixture
def page_for(qtbot, clock):
    def make(cls, context: BulkContext | None = None):
        page = cls(clock)
        qtbot.addWidget(page)
        page.fill(context or _context())
        return page

    return make


def test_every_operation_has_a_page_with_its_target(page_for):
    assert set(PAGES) == set(operation_names()) - {"rebook"}
    for key, cls in PAGES.items():
        page = page_for(cls)
        assert page.key == key
        if key in ("change_status", "log_activity"):
            page.subject.setText("Betreff")
        operation = page.operation()
        assert operation.name == key and operation.target == page.target


@pytest.mark.parametrize(
    ("cls", "make"), [(SetOwnerPage, SetOwner), (SetAssigneePage, SetAssignee)]
)
def test_user_pages_offer_the_active_users(page_for, cls, make):
    page = page_for(cls)
    assert [page.user.itemData(i) for i in range(page.user.count())] == [1, 2]
    assert page.operation() == make(1)
    page.user.setCurrentIndex(page.user.findData(2))
    assert page.operation() == make(2)
    assert page.describe({"owner_id": 2, "assignee_id": None}) == (
        "Account manager: Jonas Weber; Assignee: —"
    )


def test_shift_priority_and_instruction_pages(page_for):
    shift = page_for(ShiftDueDatesPage)
    assert shift.operation() == ShiftDueDates(7)
    shift.days.setValue(-3)
    assert shift.operation() == ShiftDueDates(-3)
    priority = page_for(SetPriorityPage)
    assert priority.operation() == SetPriority(0)
    priority.priority.setCurrentIndex(2)
    assert priority.operation() == SetPriority(2)
    assert priority.describe({"priority": 2}) == "Priority: Time-critical"
    instruction = page_for(SetInstructionPage)
    instruction.instruction.setText("  Preisliste schicken ")
    assert instruction.operation() == SetInstruction("Preisliste schicken")


def test_due_date_page_keeps_clears_or_sets_the_time(page_for, clock):
    page = page_for(SetDueDatePage)
    tomorrow = clock.today() + timedelta(days=1)
    assert page.operation() == SetDueDate(tomorrow, UNSET)  # keep each follow-up's time
    assert not page.at.isEnabled()
    page.time_mode.setCurrentIndex(page.time_mode.findData("none"))
    assert page.operation() == SetDueDate(tomorrow, None)
    page.time_mode.setCurrentIndex(page.time_mode.findData("at"))
    assert page.at.isEnabled()
    page.at.setTime(page.at.time().fromString("14:30", "HH:mm"))
    page.due.setDate(page.due.date().addDays(6))
    assert page.operation() == SetDueDate(tomorrow + timedelta(days=6), time(14, 30))
    assert page.describe({"due_date": date(2026, 12, 5), "due_time": None}) == (
        f"Due: {format_date(date(2026, 12, 5))}; Time: all day"
    )


def test_log_activity_page_with_its_next_follow_up(page_for, clock):
    page = page_for(LogActivityPage)
    page.subject.setText(" Mailing verschickt ")
    page.text.setPlainText("Katalog 2027")
    page.type.setCurrentIndex(page.type.findData(6))
    page.next.instruction_edit.setText("Nachfassen")
    due = clock.today() + timedelta(days=7)  # the context's default follow-up days
    assert page.operation() == LogActivityForEach(
        subject="Mailing verschickt",
        text="Katalog 2027",
        type_id=6,
        next_follow_up=NextFollowUp(due_date=due, assignee_id=1, instruction="Nachfassen"),
        follow_up_for_owner=False,
    )
    page.next.owner_check.setChecked(True)
    assert page.operation().follow_up_for_owner
    page.next.setChecked(False)
    assert page.operation().next_follow_up is None


def test_change_status_page_a_final_status_needs_no_follow_up(page_for, clock):
    page = page_for(ChangeStatusPage)
    assert page.campaign.currentData() == 10
    assert [page.status.itemText(i) for i in range(page.status.count())] == [
        "Lead",
        "Kunde (final)",
    ]
    assert page.next.isChecked() and page.next.owner_check is None
    page.status.setCurrentIndex(page.status.findData(12))
    assert not page.next.isChecked()
    page.subject.setText("Auftrag erteilt")
    assert page.operation() == ChangeStatus(
        campaign_id=10, status_id=12, subject="Auftrag erteilt", text="", type_id=5
    )
    page.status.setCurrentIndex(page.status.findData(11))
    assert page.next.isChecked()
    assert page.operation().next_follow_up == NextFollowUp(
        due_date=clock.today() + timedelta(days=7), assignee_id=1
    )
    assert page.describe({"status_id": 12, "activity": "Auftrag erteilt"}) == (
        "Status: Kunde; Activity: Auftrag erteilt"
    )


# --- the hooks in the main window and the lists --------------------------------------------------


@pytest.fixture
def window_for(qtbot, tmp_path):
    from akquise_desktop.ui.main_window import MainWindow

    def make(svc: Services):
        win = MainWindow(
            svc, Settings.at(str(tmp_path / "s.ini")), db_description="Test", user_name="Test"
        )
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        return win

    return make


def test_extras_menu_and_context_menus(qtbot, services, window_for):
    window = window_for(services)
    tools = window.power_tools
    titles = [a.text() for a in window.menuBar().actions()]
    assert "E&xtras" in titles and titles.index("E&xtras") == len(titles) - 2  # before Help
    assert [a.text() for a in tools.menu.actions() if a.text()] == [
        "&Bulk editing …",
        "&Rebook follow-ups …",
        "&Export my follow-ups to a calendar (iCalendar) …",
        "&Import …",  # (ui/data_tools.py)
        "Export &list …",
    ]
    assert tools.bulk_action.isEnabled() and tools.rebook_action.isEnabled()
    assert tools.bulk_action.shortcut().toString() == "Ctrl+Shift+B"
    table = window.record_list.table
    assert tools.records_bulk_action in table.actions()
    assert table.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert table.selectionMode() == QAbstractItemView.SelectionMode.ExtendedSelection
    fu_table = window.follow_up_list.table
    assert tools.follow_ups_bulk_action in fu_table.actions()
    assert fu_table.selectionMode() == QAbstractItemView.SelectionMode.ExtendedSelection


def test_bulk_editing_opens_on_the_list_in_view(qtbot, services, window_for, monkeypatch):
    window = window_for(services)
    window.show_view("records")
    qtbot.waitUntil(lambda: window.record_list.model.rowCount() > 3)
    table = window.record_list.table
    table.selectRow(1)
    table.selectionModel().select(
        window.record_list.model.index(3, 0),
        table.selectionModel().SelectionFlag.Select | table.selectionModel().SelectionFlag.Rows,
    )
    model = window.record_list.model
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(
        window,
        Qt.Key.Key_B,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = window.power_tools.dialog
    assert isinstance(dialog, BulkDialog) and dialog.isVisible()
    assert dialog.targets.kind == RECORD
    assert dialog.targets.selected == (model.record_id(1), model.record_id(3))
    with services.db.read() as s:  # the whole result, not only the pages loaded
        assert dialog.targets.result == tuple(record_ids(s, model.criteria))
    assert dialog.scope_selected.isChecked()
    dialog.close()

    window.show_view("follow_ups")
    fu_list = window.follow_up_list
    qtbot.waitUntil(lambda: fu_list.model.rowCount() > 1)
    fu_list.table.selectAll()
    dialog = window.power_tools.open_bulk()
    assert dialog.targets.kind == FOLLOW_UP
    assert dialog.targets.selected == tuple(r.id for r in fu_list.model.rows)
    assert dialog.operation_key() == "shift_due_dates"  # follow-up operations first
    dialog.close()

    fu_list.table.clearSelection()
    asked = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: asked.append(a[2]))
    assert window.power_tools.open_bulk() is None
    assert asked == ["Select the follow-ups to change in the list first."]


def test_actions_disabled_with_the_reason_without_the_bulk_right(qtbot, demo_db, window_for, clock):
    window = window_for(_services_as(demo_db, _sales_user(demo_db), clock))
    tools = window.power_tools
    for action in tools.bulk_actions:
        assert not action.isEnabled()
        assert "no right for bulk editing" in action.toolTip()
    assert tools.export_action.isEnabled()  # the calendar export needs no bulk right
    assert tools.open_rebooking() is None and tools.open_bulk() is None


def test_calendar_export_writes_the_open_follow_ups(
    qtbot, services, demo_db, window_for, tmp_path, monkeypatch
):
    import icalendar

    window = window_for(services)
    target = tmp_path / "meine"
    outlook = "iCalendar for Outlook: events only (*.ics)"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), outlook))
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: told.append(a[2]))
    window.power_tools.export_action.trigger()
    path = tmp_path / "meine.ics"
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    with demo_db.read() as s:
        expected = s.scalar(
            select(func.count())
            .select_from(m.FollowUp)
            .where(m.FollowUp.assignee_id == 1, m.FollowUp.state == "open")
        )
    events = calendar.walk("VEVENT")
    assert len(events) == expected and not calendar.walk("VTODO")  # Outlook: events only
    assert told and told[0].startswith(f"{expected} open follow-up(s) exported to {path}")

    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "no" / "dir.ics"), "")
    )
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warned.append(a[2]))
    window.power_tools.export_calendar()
    assert warned and "cannot be written" in warned[0]


# --- both backends, and the real worker thread ----------------------------------------------------


def test_status_change_and_undo_through_the_dialog_on_both_backends(qtbot, qapp, db, clock):
    from tests.factories import make_world

    world = make_world(db, clock)
    rids = [world.in_campaign(f"Firma {i}") for i in range(3)]
    svc = _services_as(db, world.admin_id, clock)
    dialog = BulkDialog(svc, BulkTargets(RECORD, tuple(rids)))
    qtbot.addWidget(dialog)
    page = dialog.set_operation("change_status")
    page.campaign.setCurrentIndex(page.campaign.findData(world.campaign_id))
    page.status.setCurrentIndex(page.status.findData(world.status["Kontaktiert"]))
    assert page.next.isChecked()
    page.subject.setText("Erstgespräch")
    dialog.run_preview()
    assert dialog.preview.changing == 3, [r.message_en for r in dialog.preview.refused]
    dialog.run()
    assert sorted(dialog.bulk_result.changed) == sorted(rids)

    def statuses() -> list[int]:
        with db.read() as s:
            return list(
                s.scalars(
                    select(m.CampaignMembership.status_id)
                    .where(m.CampaignMembership.record_id.in_(rids))
                    .order_by(m.CampaignMembership.record_id)
                )
            )

    assert statuses() == [world.status["Kontaktiert"]] * 3
    dialog.runs.undo_selected(confirm=False)
    assert statuses() == [world.status["Lead"]] * 3
    with db.read() as s:
        assert not s.scalar(
            select(func.count()).select_from(m.Activity).where(m.Activity.subject == "Erstgespräch")
        )


def test_the_run_on_the_worker_thread_reports_progress_to_the_gui(qtbot, demo_db, clock):
    from PySide6.QtCore import QThread

    from akquise_desktop.ui.worker import DbWorker

    worker = DbWorker()
    svc = Services(
        demo_db, Controller(demo_db, 1, clock=clock), worker, ChangeBus(), 1, clock=clock
    )
    try:
        ids = [f.id for f in _open_follow_ups(demo_db, 5)]
        dialog = BulkDialog(svc, BulkTargets(FOLLOW_UP, tuple(ids)))
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog.context is not None)
        dialog.chunk_size = 2
        dialog.set_operation("set_instruction").instruction.setText("Im Hintergrund")
        dialog.run_preview()
        qtbot.waitUntil(lambda: dialog.preview is not None)
        seen = []
        dialog.runner._relay.progressed.connect(
            lambda done, total: seen.append((done, total, QThread.currentThread()))
        )
        with qtbot.waitSignal(dialog.runner.finished, timeout=10_000):
            dialog.run()
            assert dialog.runner.running and dialog.runner.progress is not None
        assert [(d, t) for d, t, _ in seen] == [(0, 5), (2, 5), (4, 5), (5, 5)]
        assert {thread for _, _, thread in seen} == {qtbot_app_thread()}
        assert sorted(dialog.bulk_result.changed) == sorted(ids)
        assert not dialog.runner.running and dialog.runner.progress is None
    finally:
        qtbot.waitUntil(lambda: worker.pending() == 0)
        worker.shutdown()


def qtbot_app_thread():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance().thread()


def test_enter_previews_and_escape_closes(qtbot, demo_db, bulk_for):
    fus = _open_follow_ups(demo_db, 2)
    dialog = bulk_for(BulkTargets(FOLLOW_UP, tuple(f.id for f in fus)))
    page = dialog.set_operation("set_instruction")
    page.instruction.setFocus()
    qtbot.keyClicks(page.instruction, "Rueckruf")
    qtbot.keyClick(page.instruction, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.preview is not None and dialog.preview.changing == 2
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
