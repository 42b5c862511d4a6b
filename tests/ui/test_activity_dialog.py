"""The activity dialog: one save for activity, completions, status and next follow-up."""

from __future__ import annotations

from datetime import date, timedelta

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
    qtbot, services, demo_db, dialog_for, clock
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
        assert nxt.due_date == clock.today(dialog._zone) + timedelta(weeks=1)
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


def test_other_checks_before_saving(qtbot, demo_db, dialog_for, clock):
    fu_id, form, _ = _candidate(demo_db)
    dialog = dialog_for(form.record_id, complete_follow_up_id=fu_id)
    dialog.subject_edit.setText("   ")
    assert "Enter a subject for the activity." in dialog.problem_texts()
    assert not dialog.can_save()
    dialog.subject_edit.setText("Telefonat")
    assert dialog.can_save()

    # due before the activity's day
    yesterday = clock.today(dialog._zone) - timedelta(days=1)
    dialog.due_edit.setDate(QDate(yesterday.year, yesterday.month, yesterday.day))
    assert any("must not be due before the activity" in p for p in dialog.problem_texts())
    assert not dialog.can_save()
    dialog.quick_buttons[0][0].click()  # +1 day
    assert dialog.can_save()

    # an activity in the future
    now = QDateTime(clock.local_now(dialog._zone).replace(second=0, microsecond=0, tzinfo=None))
    dialog.when_edit.setDateTime(now.addDays(2))
    assert "An activity cannot lie in the future." in dialog.problem_texts()
    dialog.when_edit.setDateTime(now.addSecs(-3600))
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


def test_controller_refusal_is_shown_and_the_input_stays(
    qtbot, services, demo_db, dialog_for, clock
):
    fu_id, form, _ = _candidate(demo_db)
    dialog = dialog_for(form.record_id, complete_follow_up_id=fu_id)
    dialog.subject_edit.setText("Rückruf erledigt")
    dialog.text_edit.setPlainText("- alles besprochen")
    dialog.instruction_edit.setText("In drei Monaten melden")

    # Meanwhile a colleague completes the same follow-up.
    Controller(demo_db, 1, clock=clock).log_activity(
        LogActivity(
            record_id=form.record_id,
            subject="Schon erledigt",
            completes=(fu_id,),
            next_follow_up=NextFollowUp(clock.today() + timedelta(days=3)),
        )
    )
    saved = []
    dialog.saved.connect(saved.append)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert saved == []
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    # The follow-up changed since the dialog showed it: refused as a version
    # conflict that names the change (completed, by whom, when).
    expected = DomainError(Rule.STALE, what_de="Wiedervorlage", what_en="Follow-up", id=fu_id)
    assert dialog.error_text().startswith(expected.message(ui_language()))
    assert "completed" in dialog.error_text() and "Changed by" in dialog.error_text()
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


def test_prefilled_from_the_follow_up(qtbot, demo_db, dialog_for, clock):
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
    assert dialog.due_date() == clock.today(dialog._zone) + timedelta(days=days)
    assert dialog.next_box.isChecked()
    cmd = dialog.command()
    # Completing names the version the dialog showed (a change since is refused).
    assert cmd.completes == {fu_id: origin.version} and cmd.status_changes == {}
    assert cmd.occurred_at is not None and cmd.occurred_at.tzinfo is not None
    assert cmd.occurred_at <= clock.now()


def test_follow_up_no_longer_open_when_opened(qtbot, demo_db, dialog_for, clock):
    fu_id, form, _ = _candidate(demo_db)
    Controller(demo_db, 1, clock=clock).log_activity(
        LogActivity(
            record_id=form.record_id,
            subject="Vorher erledigt",
            completes=(fu_id,),
            next_follow_up=NextFollowUp(clock.today() + timedelta(days=3)),
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


def _services_as(demo_db, user_id: int, clock):
    from akquise_desktop.ui.services import ChangeBus, Services
    from akquise_desktop.ui.worker import SyncWorker

    controller = Controller(demo_db, user_id, clock=clock)
    return Services(demo_db, controller, SyncWorker(), ChangeBus(), user_id, clock=clock)


def test_role_group_without_the_policy_may_save_without_follow_up(qtbot, demo_db, clock):
    with demo_db.read() as s:
        office = s.scalar(
            select(m.User.id)
            .join(m.RoleGroup, m.RoleGroup.id == m.User.role_group_id)
            .where(m.RoleGroup.activity_requires_follow_up.is_(False), m.User.active)
        )
    _, form, _ = _candidate(demo_db)
    dialog = ActivityDialog(_services_as(demo_db, office, clock), form.record_id)
    qtbot.addWidget(dialog)
    dialog.subject_edit.setText("Notiz vom Innendienst")
    dialog.next_box.setChecked(False)
    assert POLICY_TEXT not in dialog.problem_texts()
    assert dialog.can_save()
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.save()
    assert saved.args[0].result_id is not None


def test_missing_right_is_shown_before_saving(qtbot, demo_db, clock):
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
    dialog = ActivityDialog(_services_as(demo_db, sales.id, clock), foreign)
    qtbot.addWidget(dialog)
    dialog.subject_edit.setText("Darf ich nicht")
    assert not dialog.can_save()
    assert any("does not allow logging activities" in p for p in dialog.problem_texts())


# --- no input is ever lost --------------------------------------------------------------


@pytest.fixture
def answer(monkeypatch):
    """Patch the discard question: ``answer.reply`` ("keep", "discard" or
    "default") is clicked; ``answer.asked`` collects the questions."""
    from PySide6.QtWidgets import QMessageBox

    class Answer:
        reply = "keep"
        asked: list[tuple[str, str]] = []

    def fake_exec(box: QMessageBox) -> int:
        buttons = {b.text().replace("&", ""): b for b in box.buttons()}
        Answer.asked.append((box.text(), box.defaultButton().text().replace("&", "")))
        choice = {
            "keep": buttons["Keep editing"],
            "discard": buttons["Discard"],
            "default": box.defaultButton(),
        }[Answer.reply]
        choice.click()
        return 0

    Answer.asked = []
    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return Answer


DISCARD = ("Discard this activity?", "Keep editing")


def test_escape_with_typed_text_asks_and_keeps_editing_by_default(
    qtbot, demo_db, dialog_for, answer
):
    fu_id, form, _ = _candidate(demo_db)
    dialog = dialog_for(form.record_id, complete_follow_up_id=fu_id)
    dialog.text_edit.setPlainText("- Preis besprochen")
    rejected = []
    dialog.rejected.connect(lambda: rejected.append(True))
    answer.reply = "default"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert answer.asked == [DISCARD]  # the default button keeps editing
    assert dialog.isVisible() and rejected == []
    assert dialog.text_edit.toPlainText() == "- Preis besprochen"

    answer.reply = "discard"
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert len(answer.asked) == 2
    assert rejected == [True] and not dialog.isVisible()


def test_no_question_when_nothing_was_entered(qtbot, demo_db, dialog_for, answer):
    fu_id, form, _ = _candidate(demo_db)
    prefilled = dialog_for(form.record_id, complete_follow_up_id=fu_id)
    assert not prefilled.has_input()  # the subject from the follow-up is no input
    qtbot.keyClick(prefilled, Qt.Key.Key_Escape)
    assert prefilled.result() == QDialog.DialogCode.Rejected

    empty = dialog_for(form.record_id)
    qtbot.mouseClick(empty.cancel_button, Qt.MouseButton.LeftButton)
    assert empty.result() == QDialog.DialogCode.Rejected
    assert answer.asked == []


@pytest.mark.parametrize(
    "enter",
    [
        "subject",
        "status",
        "next_follow_up",
        "no_next_follow_up",
        "untick",
        "duration",
        "repeat",
    ],
)
def test_every_kind_of_input_counts(qtbot, demo_db, dialog_for, answer, enter):
    fu_id, form, mem = _candidate(demo_db)
    dialog = dialog_for(form.record_id, complete_follow_up_id=fu_id)
    if enter == "subject":
        dialog.subject_edit.setText(dialog.subject_edit.text() + " – erledigt")
    elif enter == "status":
        option = next(o for o in mem.next_statuses if not o.is_final)
        dialog.status_button(mem.campaign_id, option.name).click()
    elif enter == "next_follow_up":
        next(b for b, d in dialog.quick_buttons if d is not None and d.months == 1).click()
    elif enter == "no_next_follow_up":
        dialog.next_box.setChecked(False)
    elif enter == "untick":
        dialog.completes_list.item(0).setCheckState(Qt.CheckState.Unchecked)
    elif enter == "duration":
        dialog.duration_spin.setValue(15)
    elif enter == "repeat":
        dialog.recurrence_combo.setCurrentIndex(1)
    assert dialog.has_input()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert answer.asked == [DISCARD]
    assert dialog.isVisible()


def test_closing_the_window_asks_too(qtbot, demo_db, dialog_for, answer):
    from PySide6.QtGui import QCloseEvent

    class ByUser(QCloseEvent):  # the window's close button: a spontaneous event
        def spontaneous(self) -> bool:
            return True

    fu_id, form, _ = _candidate(demo_db)
    dialog = dialog_for(form.record_id, complete_follow_up_id=fu_id)
    dialog.instruction_edit.setText("Angebot schicken")
    event = ByUser()
    dialog.closeEvent(event)
    assert answer.asked == [DISCARD]
    assert not event.isAccepted() and dialog.isVisible()
    assert dialog.instruction_edit.text() == "Angebot schicken"

    answer.reply = "discard"
    event = ByUser()
    dialog.closeEvent(event)
    assert event.isAccepted() and dialog.result() == QDialog.DialogCode.Rejected


def test_reloading_after_a_colleagues_completion_is_no_input(
    qtbot, demo_db, dialog_for, answer, clock
):
    fu_id, form, _ = _candidate(demo_db)
    dialog = dialog_for(form.record_id, complete_follow_up_id=fu_id)
    Controller(demo_db, 1, clock=clock).log_activity(
        LogActivity(
            record_id=form.record_id,
            subject="Kollege war schneller",
            completes=(fu_id,),
            next_follow_up=NextFollowUp(clock.today() + timedelta(days=3)),
        )
    )
    dialog.reload()
    assert fu_id not in dialog.ticked_follow_up_ids()
    assert not dialog.has_input()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert answer.asked == [] and dialog.result() == QDialog.DialogCode.Rejected


def test_no_question_after_saving(qtbot, demo_db, dialog_for, answer):
    fu_id, form, _ = _candidate(demo_db)
    dialog = dialog_for(form.record_id, complete_follow_up_id=fu_id)
    dialog.text_edit.setPlainText("Notiz")
    with qtbot.waitSignal(dialog.saved):
        dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert answer.asked == []


# --- duration -------------------------------------------------------------------------------


def test_duration_is_saved_and_optional(qtbot, demo_db, dialog_for):
    fu_id, form, _ = _candidate(demo_db)
    dialog = dialog_for(form.record_id, complete_follow_up_id=fu_id)
    assert dialog.duration_spin.text() == "—"
    assert dialog.command().duration_minutes is None
    dialog.duration_spin.setValue(45)
    assert dialog.command().duration_minutes == 45
    dialog.subject_edit.setText("Langes Telefonat")
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.save()
    with demo_db.read() as s:
        assert s.get(m.Activity, saved.args[0].result_id).duration_minutes == 45
    assert dialog.duration_spin.maximum() == 24 * 60  # the controller's limit


# --- recurrence ---------------------------------------------------------------------------------


def _set_due(dialog, day: date) -> None:
    dialog.due_edit.setDate(QDate(day.year, day.month, day.day))


def _next_weekday(today: date, weekday: int) -> date:
    """The first day after ``today`` on ``weekday`` (0: Monday)."""
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def test_recurrence_editor_last_friday_six_times_from_completion(qtbot, demo_db, dialog_for, clock):
    from akquise_desktop.core.recurrence import Preset

    fu_id, form, _ = _candidate(demo_db)
    dialog = dialog_for(form.record_id, complete_follow_up_id=fu_id)
    dialog.subject_edit.setText("Serie vereinbart")
    first = _next_weekday(clock.today(), 4)  # a Friday
    _set_due(dialog, first)
    last = dialog.recurrence_combo.count() - 1
    dialog.recurrence_combo.setCurrentIndex(last)
    dialog.recurrence_combo.activated.emit(last)  # chosen by hand: the editor opens
    editor = dialog.recurrence_editor
    assert editor is not None and editor.isVisible()

    editor.preset_combo.setCurrentIndex(editor.preset_combo.findData("monthly_last_weekday"))
    assert editor.preset() is Preset.MONTHLY_LAST_WEEKDAY
    assert editor.weekday_combo.currentData() == 4  # Friday by default
    assert editor.weekday_combo.isVisible() and not editor.month_day_spin.isVisible()
    editor.count_spin.setValue(7)
    assert editor.end_count.isChecked()  # changing the count chooses that end
    editor.count_spin.setValue(6)
    editor.anchor_completion.setChecked(True)
    assert editor.rule() == "FREQ=MONTHLY;BYDAY=-1FR;COUNT=6"
    texts = editor.preview_texts()
    assert len(texts) == 6 and texts[0].startswith("1. ")
    assert "counted from the completion date" in editor.description.text()
    qtbot.mouseClick(editor.ok_button, Qt.MouseButton.LeftButton)

    assert dialog.recurrence_editor is None
    assert dialog.recurrence_combo.currentIndex() == last
    assert dialog.rrule_edit.text() == "FREQ=MONTHLY;BYDAY=-1FR;COUNT=6"
    assert "counted from the completion date" in dialog.rrule_hint.text()
    nf = dialog.command().next_follow_up
    assert nf.recurrence == "FREQ=MONTHLY;BYDAY=-1FR;COUNT=6"
    assert nf.recurrence_anchor == m.RecurrenceAnchor.COMPLETION
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.save()
    with demo_db.read() as s:
        fu = s.scalar(
            select(m.FollowUp).where(m.FollowUp.source_activity_id == saved.args[0].result_id)
        )
        assert fu.recurrence == "FREQ=MONTHLY;BYDAY=-1FR;COUNT=6"
        assert fu.recurrence_anchor == "completion"
        assert fu.due_date == first


def test_recurrence_editor_result_that_a_preset_offers_selects_it(
    qtbot, demo_db, dialog_for, clock
):
    fu_id, form, _ = _candidate(demo_db)
    dialog = dialog_for(form.record_id, complete_follow_up_id=fu_id)
    monday = _next_weekday(clock.today(), 0)
    _set_due(dialog, monday)
    dialog.recurrence_combo.setCurrentIndex(3)  # every month
    editor = dialog.edit_recurrence()
    assert editor.preset().value == "monthly_day"  # opened on the current choice
    assert editor.month_day_spin.value() == monday.day
    editor.preset_combo.setCurrentIndex(editor.preset_combo.findData("every_n_weeks"))
    assert editor.interval_spin.value() == 2 and editor.interval_spin.minimum() == 2
    assert editor.weekday_combo.currentData() == 0
    dates = [monday + timedelta(weeks=2 * n) for n in range(3)]
    assert editor.rule() == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"
    from akquise_desktop.ui.common import format_date

    for text, day in zip(editor.preview_texts(), dates, strict=False):
        assert format_date(day) in text
    editor.accept()
    assert dialog.recurrence_combo.currentText() == "Every 2 weeks"
    assert not dialog.rrule_edit.isVisible()
    assert dialog.recurrence_anchor() == m.RecurrenceAnchor.DUE
    assert dialog.command().next_follow_up.recurrence == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"
    assert dialog.rrule_hint.text() == "= every 2 weeks on Monday"


def test_recurrence_editor_refuses_bad_input_and_cancel_changes_nothing(qtbot, demo_db, dialog_for):
    fu_id, form, _ = _candidate(demo_db)
    dialog = dialog_for(form.record_id, complete_follow_up_id=fu_id)
    dialog.recurrence_combo.setCurrentIndex(1)  # every week
    last = dialog.recurrence_combo.count() - 1
    dialog.recurrence_combo.setCurrentIndex(last)
    dialog.recurrence_combo.activated.emit(last)
    editor = dialog.recurrence_editor
    assert editor.preset().value == "weekly"  # starts from the preset chosen before

    editor.preset_combo.setCurrentIndex(editor.preset_combo.findData("custom"))
    assert editor.custom_edit.isVisible()
    editor.custom_edit.setText("FREQ=HOURLY")
    assert not editor.ok_button.isEnabled()
    assert "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY" in editor.error_text()
    assert editor.error_label.isVisible() and editor.preview_texts() == []

    editor.custom_edit.setText("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30")  # never occurs
    assert not editor.ok_button.isEnabled() and editor.error_text()

    editor.preset_combo.setCurrentIndex(editor.preset_combo.findData("daily"))
    assert editor.ok_button.isEnabled()
    due = dialog.due_date()
    editor.until_edit.setDate(QDate(due.year, due.month, due.day).addDays(-1))
    assert editor.end_until.isChecked()
    assert "end date is before the start" in editor.error_text()

    qtbot.mouseClick(
        editor.buttons.button(editor.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton
    )
    assert dialog.recurrence_combo.currentIndex() == 1  # back to "every week"
    assert dialog.recurrence_anchor() == m.RecurrenceAnchor.DUE
    assert dialog.command().next_follow_up.recurrence.startswith("FREQ=WEEKLY;BYDAY=")


def test_month_end_and_the_preview(qtbot):
    from akquise_desktop.core.recurrence import Preset, RecurrenceSpec
    from akquise_desktop.ui.common import format_date
    from akquise_desktop.ui.recurrence_dialog import RecurrenceDialog

    editor = RecurrenceDialog(
        date(2027, 1, 31), spec=RecurrenceSpec(Preset.MONTHLY_DAY, until=date(2027, 5, 1))
    )
    qtbot.addWidget(editor)
    assert editor.month_day_spin.value() == 31 and editor.end_until.isChecked()
    expected = [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]
    texts = editor.preview_texts()
    assert len(texts) == 4
    for text, day in zip(texts, expected, strict=True):
        assert format_date(day) in text
    assert editor.description.text() == "monthly on the last day until 2027-05-01"

    editor.set_spec(RecurrenceSpec(Preset.QUARTERLY))
    assert editor.end_never.isChecked()
    assert len(editor.preview_texts()) == 9  # eight and "…": no end
    assert editor.preview_texts()[-1] == "…"
    assert format_date(date(2027, 4, 30)) in editor.preview_texts()[1]


def test_recurrence_editor_moves_dates_off_holidays(qtbot):
    from akquise_desktop.core.recurrence import Preset, RecurrenceSpec
    from akquise_desktop.ui.common import format_date
    from akquise_desktop.ui.recurrence_dialog import RecurrenceDialog

    # Weekly on Friday over Christmas 2026 (Friday) and New Year 2027 (Friday).
    editor = RecurrenceDialog(date(2026, 12, 18), spec=RecurrenceSpec(Preset.WEEKLY))
    qtbot.addWidget(editor)
    assert not editor.shift_check.isChecked() and not editor.region_combo.isEnabled()
    assert format_date(date(2026, 12, 25)) in editor.preview_texts()[1]
    editor.shift_check.setChecked(True)
    assert editor.region_combo.isEnabled() and editor.shift() == "DE-NW"
    texts = editor.preview_texts()
    assert format_date(date(2026, 12, 28)) in texts[1] and "Erster Weihnachtstag" in texts[1]
    assert format_date(date(2027, 1, 4)) in texts[2] and "Neujahr" in texts[2]
    assert "off weekends and holidays (DE-NW)" in editor.description.text()
    assert editor.choice().shift == "DE-NW"

    editor.region_combo.setEditText("XX-99")
    assert not editor.ok_button.isEnabled() and "XX-99" in editor.error_text()
    editor.shift_check.setChecked(False)
    assert editor.ok_button.isEnabled() and editor.choice().shift is None


def test_holiday_shift_is_saved_with_the_series(qtbot, demo_db, dialog_for, clock):
    fu_id, form, _ = _candidate(demo_db)
    dialog = dialog_for(form.record_id, complete_follow_up_id=fu_id)
    dialog.subject_edit.setText("Wöchentlicher Termin")
    _set_due(dialog, _next_weekday(clock.today(), 4))
    dialog.recurrence_combo.setCurrentIndex(1)  # every week
    editor = dialog.edit_recurrence()
    editor.shift_check.setChecked(True)
    editor.region_combo.set_region("DE-BY")
    editor.accept()
    assert dialog.recurrence_shift() == "DE-BY"
    assert dialog.recurrence_combo.currentIndex() == 1  # still the preset
    assert "off weekends and holidays (DE-BY)" in dialog.rrule_hint.text()
    assert dialog.command().next_follow_up.recurrence_shift == "DE-BY"
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.save()
    with demo_db.read() as s:
        fu = s.scalar(
            select(m.FollowUp).where(m.FollowUp.source_activity_id == saved.args[0].result_id)
        )
        assert fu.recurrence_shift == "DE-BY" and fu.recurrence.startswith("FREQ=WEEKLY")

    other = dialog_for(form.record_id)
    other.recurrence_combo.setCurrentIndex(1)
    other.edit_recurrence().shift_check.setChecked(True)
    other.recurrence_editor.accept()
    other.recurrence_combo.setCurrentIndex(0)  # does not repeat: no shift either
    assert other.recurrence_shift() is None and other.command().next_follow_up.recurrence is None


def test_the_preview_marks_a_series_that_goes_on(qtbot):
    from akquise_desktop.core.recurrence import Preset, RecurrenceSpec
    from akquise_desktop.ui.recurrence_dialog import PREVIEW_COUNT, RecurrenceDialog

    editor = RecurrenceDialog(date(2027, 3, 1), spec=RecurrenceSpec(Preset.DAILY))
    qtbot.addWidget(editor)
    assert len(editor.preview_texts()) == PREVIEW_COUNT + 1 and editor.preview_texts()[-1] == "…"
    for count, shown in ((PREVIEW_COUNT, PREVIEW_COUNT), (PREVIEW_COUNT + 1, PREVIEW_COUNT + 1)):
        editor.end_count.setChecked(True)
        editor.count_spin.setValue(count)
        assert len(editor.preview_texts()) == shown
        assert (editor.preview_texts()[-1] == "…") == (count > PREVIEW_COUNT)
