"""The activity dialog: one save for activity, completions, status and next follow-up."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt
from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy import select

from akquise_desktop import models as m
from akquise_desktop.controller import Controller, LogActivity, NextFollowUp
from akquise_desktop.core.changes import Entity
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.queries.activity_form import load_activity_form
from akquise_desktop.ui.activity_dialog import ActivityDialog, ui_language

POLICY_TEXT = "An activity needs a new follow-up — or a final status."


def _candidate(db, *, final_next: bool = False):
    """An open follow-up whose record has a live status with a non-final next
    status (and, with ``final_next``, a final one too): (follow-up, form)."""
    with db.read() as s:
        rows = s.execute(
            select(m.FollowUp.id, m.FollowUp.record_id)
            .where(m.FollowUp.state == "open", m.FollowUp.recurrence.is_(None))
            .order_by(m.FollowUp.id)
        ).all()
        for fu_id, record_id in rows:
            form = load_activity_form(s, record_id, 1)
            for mem in form.memberships:
                finals = [o.is_final for o in mem.next_statuses]
                if mem.status_is_final or False not in finals:
                    continue
                if final_next and True not in finals:
                    continue
                return fu_id, form, mem
    raise AssertionError("demo data has no suitable record")


@pytest.fixture
def dialog_for(qtbot, services):
    def make(record_id: int, **kw) -> ActivityDialog:
        dialog = ActivityDialog(services, record_id, **kw)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    return make


def _follow_up(db, fu_id: int) -> m.FollowUp:
    with db.read() as s:
        fu = s.get(m.FollowUp, fu_id)
        s.expunge(fu)
        return fu


def test_log_activity_completing_follow_up_changing_status_setting_next(
    qtbot, services, demo_db, dialog_for
):
    fu_id, form, mem = _candidate(demo_db)
    dialog = dialog_for(form.record_id, complete_follow_up_id=fu_id)
    assert dialog.ticked_follow_up_ids() == {fu_id}  # pre-ticked
    assert form.record_name in dialog.header.text()

    dialog.subject_edit.setText("Angebot telefonisch besprochen")
    dialog.text_edit.setPlainText("- Preis ok\n- Muster schicken")
    target = next(o for o in mem.next_statuses if not o.is_final)
    qtbot.mouseClick(dialog.status_button(mem.campaign_id, target.name), Qt.MouseButton.LeftButton)
    week = next(b for b, d in dialog.quick_buttons if d is not None and d.weeks == 1)
    qtbot.mouseClick(week, Qt.MouseButton.LeftButton)
    dialog.instruction_edit.setText("Muster nachfassen")
    assert dialog.problem_texts() == []
    assert dialog.can_save()

    with qtbot.waitSignal(dialog.saved) as saved, qtbot.waitSignal(services.bus.changed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    summary = saved.args[0]
    activity_id = summary.result_id

    with demo_db.read() as s:
        activity = s.get(m.Activity, activity_id)
        assert activity.subject == "Angebot telefonisch besprochen"
        assert activity.text == "- Preis ok\n- Muster schicken"
        assert activity.user_id == 1
        done = s.get(m.FollowUp, fu_id)
        assert done.state == "done" and done.completed_by_activity_id == activity_id
        membership = s.scalar(
            select(m.CampaignMembership).where(
                m.CampaignMembership.record_id == form.record_id,
                m.CampaignMembership.campaign_id == mem.campaign_id,
            )
        )
        assert membership.status_id == target.id
        nxt = s.scalar(select(m.FollowUp).where(m.FollowUp.source_activity_id == activity_id))
        assert nxt.state == "open"
        assert nxt.instruction == "Muster nachfassen"
        assert nxt.due_date == datetime.now(dialog._zone).date() + timedelta(weeks=1)
    assert summary.ids(Entity.FOLLOW_UP) >= {fu_id, nxt.id}


def test_save_disabled_with_the_policy_in_plain_words(qtbot, demo_db, dialog_for):
    fu_id, form, mem = _candidate(demo_db, final_next=True)
    dialog = dialog_for(form.record_id, complete_follow_up_id=fu_id)
    dialog.subject_edit.setText("Kurz gesprochen")
    assert dialog.can_save()

    dialog.next_box.setChecked(False)  # no next follow-up, status stays live
    assert not dialog.can_save()
    assert POLICY_TEXT in dialog.problem_texts()
    assert dialog.problems.isVisible()
    assert POLICY_TEXT.split(" — ")[0] in dialog.problems.text()

    final = next(o for o in mem.next_statuses if o.is_final)
    dialog.status_button(mem.campaign_id, final.name).click()
    if len(form.memberships) == 1:  # a final status in every live campaign: no follow-up needed
        assert POLICY_TEXT not in dialog.problem_texts()
        assert dialog.can_save()
    dialog.status_button(mem.campaign_id, final.name).click()  # toggled off again
    assert dialog.chosen_statuses() == {}
    assert POLICY_TEXT in dialog.problem_texts()

    dialog.next_box.setChecked(True)
    assert dialog.can_save() and not dialog.problems.isVisible()


def test_other_checks_before_saving(qtbot, demo_db, dialog_for):
    fu_id, form, _ = _candidate(demo_db)
    dialog = dialog_for(form.record_id, complete_follow_up_id=fu_id)
    dialog.subject_edit.setText("   ")
    assert "Enter a subject for the activity." in dialog.problem_texts()
    assert not dialog.can_save()
    dialog.subject_edit.setText("Telefonat")
    assert dialog.can_save()

    # due before the activity's day
    yesterday = datetime.now(dialog._zone).date() - timedelta(days=1)
    dialog.due_edit.setDate(QDate(yesterday.year, yesterday.month, yesterday.day))
    assert any("must not be due before the activity" in p for p in dialog.problem_texts())
    assert not dialog.can_save()
    dialog.quick_buttons[0][0].click()  # +1 day
    assert dialog.can_save()

    # an activity in the future
    future = QDateTime.currentDateTime().addDays(2)
    dialog.when_edit.setDateTime(future)
    assert "An activity cannot lie in the future." in dialog.problem_texts()
    dialog.when_edit.setDateTime(QDateTime.currentDateTime().addSecs(-3600))
    assert dialog.can_save()

    # a custom recurrence rule must be valid
    dialog.recurrence_combo.setCurrentIndex(dialog.recurrence_combo.count() - 1)
    assert "Enter a recurrence rule, or choose a preset." in dialog.problem_texts()
    dialog.rrule_edit.setText("FREQ=SECONDLY")
    assert any(
        "recurrence rule is invalid" in p or "Wiederholungsregel" in p
        for p in dialog.problem_texts()
    )
    dialog.rrule_edit.setText("FREQ=MONTHLY;BYDAY=-1FR")
    assert dialog.can_save()
    assert dialog.command().next_follow_up.recurrence == "FREQ=MONTHLY;BYDAY=-1FR"


def test_controller_refusal_is_shown_and_the_input_stays(qtbot, services, demo_db, dialog_for):
    fu_id, form, _ = _candidate(demo_db)
    dialog = dialog_for(form.record_id, complete_follow_up_id=fu_id)
    dialog.subject_edit.setText("Rückruf erledigt")
    dialog.text_edit.setPlainText("- alles besprochen")
    dialog.instruction_edit.setText("In drei Monaten melden")

    # Meanwhile a colleague completes the same follow-up.
    Controller(demo_db, 1).log_activity(
        LogActivity(
            record_id=form.record_id,
            subject="Schon erledigt",
            completes=(fu_id,),
            next_follow_up=NextFollowUp(date.today() + timedelta(days=3)),
        )
    )
    saved = []
    dialog.saved.connect(saved.append)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert saved == []
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    expected = DomainError(Rule.FOLLOW_UP_NOT_OPEN, id=fu_id).message(ui_language())
    assert dialog.error_text() == expected
    assert dialog.subject_edit.text() == "Rückruf erledigt"
    assert dialog.text_edit.toPlainText() == "- alles besprochen"
    assert dialog.instruction_edit.text() == "In drei Monaten melden"
    assert dialog.ticked_follow_up_ids() == {fu_id}
    assert dialog.reload_button.isVisible()

    # Reloading drops the completed follow-up, keeps the input; now it saves.
    qtbot.mouseClick(dialog.reload_button, Qt.MouseButton.LeftButton)
    assert dialog.error_text() == ""
    assert fu_id not in dialog.ticked_follow_up_ids()
    assert dialog.subject_edit.text() == "Rückruf erledigt"
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert _follow_up(demo_db, fu_id).completed_by_activity_id != saved[0].result_id


def test_unexpected_error_is_shown_not_lost(qtbot, services, demo_db, dialog_for, monkeypatch):
    fu_id, form, _ = _candidate(demo_db)
    dialog = dialog_for(form.record_id, complete_follow_up_id=fu_id)
    dialog.subject_edit.setText("Telefonat")

    def broken(cmd):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.controller, "log_activity", broken)
    dialog.save()
    assert "disk full" in dialog.error_text()
    assert dialog.isVisible() and dialog.can_save()
    assert dialog.subject_edit.text() == "Telefonat"


def test_ctrl_enter_saves_from_the_text_field_and_escape_cancels(qtbot, demo_db, dialog_for):
    fu_id, form, _ = _candidate(demo_db)
    dialog = dialog_for(form.record_id, complete_follow_up_id=fu_id)
    dialog.subject_edit.setText("Per Tastatur")
    dialog.text_edit.setFocus()
    qtbot.keyClicks(dialog.text_edit, "Notiz")
    with qtbot.waitSignal(dialog.saved):
        qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == QDialog.DialogCode.Accepted
    with demo_db.read() as s:
        assert s.scalar(select(m.Activity.text).where(m.Activity.subject == "Per Tastatur")) == (
            "Notiz"
        )

    other = dialog_for(form.record_id)
    qtbot.keyClick(other, Qt.Key.Key_Escape)
    assert other.result() == QDialog.DialogCode.Rejected


def test_enter_in_the_subject_saves(qtbot, demo_db, dialog_for):
    fu_id, form, _ = _candidate(demo_db)
    dialog = dialog_for(form.record_id, complete_follow_up_id=fu_id)
    dialog.subject_edit.setText("Mit Enter")
    with qtbot.waitSignal(dialog.saved):
        qtbot.keyClick(dialog.subject_edit, Qt.Key.Key_Return)


def test_prefilled_from_the_follow_up(qtbot, demo_db, dialog_for):
    fu_id, form, _ = _candidate(demo_db)
    origin = next(f for f in form.open_follow_ups if f.id == fu_id)
    dialog = dialog_for(form.record_id, complete_follow_up_id=fu_id)
    if origin.instruction:
        assert dialog.subject_edit.text() == origin.instruction
        assert dialog.subject_edit.selectedText() == origin.instruction  # typing replaces it
    assert dialog.assignee_combo.currentData() == origin.assignee_id
    if origin.source_contact_id is not None:
        assert dialog.contact_combo.currentData() == origin.source_contact_id
    days = form.actor.default_follow_up_days
    assert dialog.due_date() == datetime.now(dialog._zone).date() + timedelta(days=days)
    assert dialog.next_box.isChecked()
    cmd = dialog.command()
    assert cmd.completes == (fu_id,) and cmd.status_changes == {}
    assert cmd.occurred_at is not None and cmd.occurred_at.tzinfo is not None
    assert cmd.occurred_at <= datetime.now(UTC)


def test_follow_up_no_longer_open_when_opened(qtbot, demo_db, dialog_for):
    fu_id, form, _ = _candidate(demo_db)
    Controller(demo_db, 1).log_activity(
        LogActivity(
            record_id=form.record_id,
            subject="Vorher erledigt",
            completes=(fu_id,),
            next_follow_up=NextFollowUp(date.today() + timedelta(days=3)),
        )
    )
    dialog = dialog_for(form.record_id, complete_follow_up_id=fu_id)
    assert "no longer open" in dialog.error_text()
    assert fu_id not in dialog.ticked_follow_up_ids()


def test_unknown_record_shows_the_error_and_cannot_save(qtbot, dialog_for):
    dialog = dialog_for(987_654)
    assert "987654" in dialog.error_text()
    assert not dialog.can_save()


def test_tab_order_follows_the_form(qtbot, demo_db, dialog_for):
    fu_id, form, _ = _candidate(demo_db)
    dialog = dialog_for(form.record_id, complete_follow_up_id=fu_id)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.subject_edit.setFocus()
    order = []
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order[:2] == [dialog.text_edit, dialog.completes_list]
    dialog.instruction_edit.setFocus()
    qtbot.keyClick(dialog.instruction_edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.save_button


def _services_as(demo_db, user_id: int):
    from akquise_desktop.ui.services import ChangeBus, Services
    from akquise_desktop.ui.worker import SyncWorker

    return Services(demo_db, Controller(demo_db, user_id), SyncWorker(), ChangeBus(), user_id)


def test_role_group_without_the_policy_may_save_without_follow_up(qtbot, demo_db):
    with demo_db.read() as s:
        office = s.scalar(
            select(m.User.id)
            .join(m.RoleGroup, m.RoleGroup.id == m.User.role_group_id)
            .where(m.RoleGroup.activity_requires_follow_up.is_(False), m.User.active)
        )
    _, form, _ = _candidate(demo_db)
    dialog = ActivityDialog(_services_as(demo_db, office), form.record_id)
    qtbot.addWidget(dialog)
    dialog.subject_edit.setText("Notiz vom Innendienst")
    dialog.next_box.setChecked(False)
    assert POLICY_TEXT not in dialog.problem_texts()
    assert dialog.can_save()
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.save()
    assert saved.args[0].result_id is not None


def test_missing_right_is_shown_before_saving(qtbot, demo_db):
    """A salesperson (own team only) on a record of another team."""
    with demo_db.read() as s:
        sales = s.execute(
            select(m.User.id, m.User.team_id)
            .join(m.RoleGroup, m.RoleGroup.id == m.User.role_group_id)
            .where(m.RoleGroup.name == "Vertrieb", m.User.active)
            .order_by(m.User.id)
        ).first()
        foreign = s.scalar(
            select(m.Record.id)
            .join(m.User, m.User.id == m.Record.owner_id)
            .where(m.User.team_id != sales.team_id)
            .limit(1)
        )
    dialog = ActivityDialog(_services_as(demo_db, sales.id), foreign)
    qtbot.addWidget(dialog)
    dialog.subject_edit.setText("Darf ich nicht")
    assert not dialog.can_save()
    assert any("does not allow logging activities" in p for p in dialog.problem_texts())
