"""The activity dialog's parts, each alone on a hand-made form: the activity's
fields, the open-follow-ups check list, the campaign-status chooser, the
next-follow-up editor."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QLabel

from akquise_desktop import models as m
from akquise_desktop.queries import activity_form as af
from akquise_desktop.ui.activity_dialog.activity_box import ActivityBox
from akquise_desktop.ui.activity_dialog.checklist import FollowUpChecklist
from akquise_desktop.ui.activity_dialog.next_follow_up import NextFollowUpEditor
from akquise_desktop.ui.activity_dialog.statuses import StatusChooser
from akquise_desktop.ui.common import format_date
from tests.factories import pinned_clock

TODAY = pinned_clock().today()

ACTOR = af.Actor(
    id=1, name="Katrin Becker", time_zone="Europe/Berlin", default_follow_up_days=7,
    role_group="Vertrieb", activity_requires_follow_up=True, follow_up_requires_activity=True,
    may_log_activity=True,
)  # fmt: skip


def option(sid: int, name: str, *, final: bool = False, default: bool = False) -> af.StatusOption:
    return af.StatusOption(id=sid, name=name, color="#1565C0", is_final=final, is_default=default)


def membership(cid: int, *options: af.StatusOption) -> af.MembershipForm:
    return af.MembershipForm(
        campaign_id=cid, campaign_name=f"Kampagne {cid}", status_id=1, status_name="Erstkontakt",
        status_color="#607D8B", status_is_final=False, next_statuses=options,
    )  # fmt: skip


def form(**kw) -> af.ActivityForm:
    empty = af.ActivityForm(
        record_id=1, record_name="Muster GmbH", contacts=(), open_follow_ups=(), memberships=(),
        activity_types=(), users=(), actor=ACTOR,
    )  # fmt: skip
    return replace(empty, **kw)


def follow_up(fid: int, days: int, **kw) -> af.OpenFollowUp:
    values = dict(
        id=fid, due_date=TODAY + timedelta(days=days), due_time=None, priority=0,
        instruction=f"Aufgabe {fid}", assignee_id=1, assignee_name="Katrin Becker",
        recurrence=None, recurrence_anchor="due", series_start_date=None, occurrence=1,
        source_activity_id=None, source_subject=None, source_contact_id=None, source_type_id=None,
        version=3,
    )  # fmt: skip
    return af.OpenFollowUp(**{**values, **kw})


# --- the activity ----------------------------------------------------------------------


def test_activity_box_fill_prefill_and_values(qtbot):
    box = ActivityBox()
    qtbot.addWidget(box)
    call, visit = (
        af.ActivityTypeOption(1, "Telefonat", "phone"),
        af.ActivityTypeOption(2, "Besuch", ""),
    )
    meyer = af.ContactOption(7, "Katharina Meyer", "Einkauf")
    box.fill(form(activity_types=(call, visit), contacts=(meyer,)))
    assert [box.type_combo.itemText(i) for i in range(2)] == ["Telefonat", "Besuch"]
    assert [box.contact_combo.itemText(i) for i in range(2)] == [
        "— none —",
        "Katharina Meyer (Einkauf)",
    ]
    assert box.type_id() == 1 and box.contact_id() is None

    origin = follow_up(1, 0, instruction="Angebot nachfassen", source_contact_id=7)
    with qtbot.waitSignal(box.changed):
        box.prefill(datetime(2026, 3, 2, 9, 30), origin)
    assert box.contact_id() == 7 and box.subject() == "Angebot nachfassen"
    assert box.subject_edit.selectedText() == "Angebot nachfassen"
    berlin = ZoneInfo("Europe/Berlin")
    assert box.occurred_at(berlin) == datetime(2026, 3, 2, 9, 30, tzinfo=berlin)

    box.type_combo.setCurrentIndex(1)
    box.text_edit.setPlainText("  Notiz  ")
    assert box.duration_minutes() is None and box.duration_spin.text() == "—"
    box.duration_spin.setValue(30)
    assert (box.type_id(), box.text(), box.duration_minutes()) == (2, "Notiz", 30)
    state = box.state()
    assert state["subject"] == "Angebot nachfassen" and state["duration"] == 30
    box.fill(form(activity_types=(visit, call), contacts=()))  # a reload keeps the choices
    assert box.type_id() == 2 and box.contact_id() is None
    assert box.focus_chain()[4] is box.subject_edit


# --- the open-follow-ups check list -----------------------------------------------------


@pytest.fixture
def checklist(qtbot):
    widget = FollowUpChecklist()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_checklist_ticks_and_names_the_versions_seen(qtbot, checklist):
    overdue = follow_up(1, -1, due_time=time(14, 0), instruction="", source_subject="Messe")
    weekly = follow_up(2, 2, recurrence="FREQ=WEEKLY", version=5)
    checklist.fill(form(open_follow_ups=(overdue, weekly)), {2}, TODAY)
    items = [checklist.completes_list.item(i) for i in range(2)]
    assert items[0].text().startswith(format_date(overdue.due_date) + " 14:00 · (no instruction)")
    assert items[0].foreground().color().name() == "#c62828"  # overdue
    assert "From activity: Messe" in items[0].toolTip()
    assert items[1].text().endswith(" · recurring")
    assert "completing it creates the next one" in items[1].toolTip()
    assert checklist.ticked_follow_up_ids() == {2}
    assert checklist.completes() == {2: 5}
    assert checklist.ticks() == {1: False, 2: True}

    with qtbot.waitSignal(checklist.changed):
        items[0].setCheckState(Qt.CheckState.Checked)
    assert checklist.completes() == {1: 3, 2: 5}
    checklist.fill(form(open_follow_ups=(weekly,)), checklist.ticked_follow_up_ids(), TODAY)
    assert checklist.ticks() == {2: True}  # a reload keeps the ticks of those still open
    assert not checklist.no_follow_ups.isVisible()


def test_checklist_without_versions_and_without_follow_ups(checklist):
    checklist.fill(form(open_follow_ups=(follow_up(1, 0, version=None),)), {1}, TODAY)
    assert checklist.completes() == (1,)  # no version known: completed by id
    checklist.fill(form(), set(), TODAY)
    assert checklist.completes() == {} and checklist.ticks() == {}
    assert checklist.no_follow_ups.isVisible() and not checklist.completes_list.isVisible()


# --- the campaign-status chooser --------------------------------------------------------


@pytest.fixture
def chooser(qtbot):
    widget = StatusChooser()
    qtbot.addWidget(widget)
    return widget


def test_status_chooser_one_status_per_campaign(qtbot, chooser):
    offer, won = option(2, "Angebot", default=True), option(3, "Gewonnen", final=True)
    chooser.fill(form(memberships=(membership(10, offer, won), membership(20, offer))), {})
    assert chooser.chosen_statuses() == {} and chooser.chosen_options() == {}
    assert [b.text() for b in chooser.focus_chain()] == ["Angebot", "Gewonnen (final)", "Angebot"]
    default = chooser.status_button(10, "Angebot")
    assert default.font().bold() and "the default next status" in default.toolTip()
    assert "final" in chooser.status_button(10, "Gewonnen").toolTip()

    with qtbot.waitSignal(chooser.changed):
        qtbot.mouseClick(default, Qt.MouseButton.LeftButton)
    chooser.status_button(20, "Angebot").click()
    assert chooser.chosen_statuses() == {10: 2, 20: 2}
    chooser.status_button(10, "Gewonnen").click()  # the other one in campaign 10 is unchosen
    assert chooser.chosen_statuses() == {10: 3, 20: 2}
    assert chooser.chosen_options()[10] == won
    chooser.status_button(10, "Gewonnen").click()  # clicked again: no status for campaign 10
    assert chooser.chosen_statuses() == {20: 2}
    with pytest.raises(KeyError):
        chooser.status_button(10, "Verloren")


def test_status_chooser_keeps_the_choice_when_filled_again(chooser):
    offer = option(2, "Angebot")
    chooser.fill(form(memberships=(membership(10, offer),)), {})
    chooser.status_button(10, "Angebot").click()
    chooser.fill(form(memberships=(membership(10, offer),)), chooser.chosen_statuses())
    assert chooser.chosen_statuses() == {10: 2}
    assert chooser.status_button(10, "Angebot").isChecked()


def test_status_chooser_without_campaigns_or_next_statuses(chooser):
    chooser.fill(form(), {})
    assert "The record is in no active campaign." in _texts(chooser)
    chooser.fill(form(memberships=(membership(10),)), {})
    assert "No next status allowed." in _texts(chooser) and chooser.focus_chain() == []


def _texts(widget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel)]


# --- the next-follow-up editor --------------------------------------------------------------

USERS = (af.UserOption(1, "Katrin Becker"), af.UserOption(2, "Laura Keller"))


@pytest.fixture
def editor(qtbot):
    widget = NextFollowUpEditor(pinned_clock())
    qtbot.addWidget(widget)
    widget.show()
    widget.fill(form(users=USERS))
    return widget


def _set_due(editor, day) -> None:
    editor.due_edit.setDate(QDate(day.year, day.month, day.day))


def test_next_follow_up_prefill_and_quick_picks(qtbot, editor):
    assert editor.assignee_combo.currentData() == 1  # the acting user
    editor.prefill(form(users=USERS), follow_up(1, 0, assignee_id=2))
    assert editor.isChecked() and editor.due_date() == TODAY + timedelta(days=7)
    assert editor.assignee_combo.currentData() == 2  # as the follow-up completed
    assert editor.default_button.text() == "Default (+7 days)"
    two_weeks = next(b for b, d in editor.quick_buttons if d is not None and d.weeks == 2)
    with qtbot.waitSignal(editor.changed):
        two_weeks.click()
    assert editor.due_date() == TODAY + timedelta(weeks=2)
    editor.setChecked(False)
    editor.quick_pick(None)  # a pick sets a next follow-up again
    assert editor.isChecked() and editor.due_date() == TODAY + timedelta(days=7)

    series = follow_up(2, 0, recurrence="FREQ=WEEKLY", recurrence_anchor="due")
    editor.prefill(form(users=USERS), series)
    assert not editor.isChecked()  # completing it creates the next one of its series
    assert editor.next_follow_up() is None and editor.problems(TODAY) == []


def test_next_follow_up_checks_its_input_and_builds_the_command(editor):
    _set_due(editor, TODAY + timedelta(days=3))
    editor.time_check.setChecked(True)
    assert editor.time_edit.isEnabled() and editor.due_time() == time(9, 0)
    editor.instruction_edit.setText("  Angebot schicken ")
    editor.priority_combo.setCurrentIndex(1)
    assert editor.problems(TODAY) == []
    assert editor.problems(TODAY + timedelta(days=4))[0].startswith(
        "The next follow-up must not be due before the activity"
    )
    nxt = editor.next_follow_up()
    assert (nxt.due_date, nxt.due_time, nxt.assignee_id) == (TODAY + timedelta(days=3), time(9), 1)
    assert nxt.priority == m.Priority.HIGH and nxt.instruction == "Angebot schicken"
    assert nxt.recurrence is None and nxt.recurrence_anchor == m.RecurrenceAnchor.DUE

    editor.recurrence_combo.setCurrentIndex(1)  # every week
    assert editor.problems(TODAY) == []
    assert editor.rrule_hint.text().startswith("= weekly")
    assert editor.next_follow_up().recurrence.startswith("FREQ=WEEKLY;BYDAY=")
    custom = editor.recurrence_combo.count() - 1
    editor.recurrence_combo.setCurrentIndex(custom)
    assert editor.rrule_edit.isVisible()
    assert editor.problems(TODAY) == ["Enter a recurrence rule, or choose a preset."]
    editor.rrule_edit.setText("FREQ=HOURLY")
    assert "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY" in editor.problems(TODAY)[0]
    editor.rrule_edit.setText("FREQ=MONTHLY;BYDAY=-1FR")
    assert editor.problems(TODAY) == [] and editor.rrule_hint.isVisible()
    assert editor.state()["rule"] == "FREQ=MONTHLY;BYDAY=-1FR"
    editor.setChecked(False)
    assert editor.problems(TODAY) == [] and not editor.rrule_hint.isVisible()


def test_next_follow_up_recurrence_editor(editor):
    editor.recurrence_combo.setCurrentIndex(1)  # every week
    dialog = editor.edit_recurrence()
    assert editor.recurrence_editor is dialog and dialog.preset().value == "weekly"
    dialog.anchor_completion.setChecked(True)
    dialog.accept()
    assert editor.recurrence_editor is None
    assert editor.recurrence_combo.currentIndex() == 1  # still the preset
    assert editor.recurrence_anchor() == m.RecurrenceAnchor.COMPLETION
    assert editor.recurrence_shift() is None
    assert editor.next_follow_up().recurrence_anchor == m.RecurrenceAnchor.COMPLETION
    editor.recurrence_combo.setCurrentIndex(0)  # does not repeat: counted from the due date
    assert editor.recurrence_anchor() == m.RecurrenceAnchor.DUE


def test_next_follow_up_lands_on_a_working_day_of_the_system_settings(editor):
    # TODAY is a Wednesday; Corpus Christi (Thursday 20 June 2030) is a holiday in NRW.
    defaults = af.FormDefaults(working_days=frozenset({0, 1, 2, 3}), holiday_region="DE-NW")
    editor.fill(form(actor=replace(ACTOR, default_follow_up_days=8), defaults=defaults))
    editor.quick_pick(None)  # +8 days: Thursday the 20th, a holiday → Monday the 24th
    assert editor.due_edit.date() == QDate(2030, 6, 24)
    editor.fill(form(actor=replace(ACTOR, default_follow_up_days=2)))  # Friday: a working day
    editor.quick_pick(None)
    assert editor.due_edit.date() == QDate(2030, 6, 14)
    editor.fill(form(actor=replace(ACTOR, default_follow_up_days=3)))  # Saturday → Monday
    editor.quick_pick(None)
    assert editor.due_edit.date() == QDate(2030, 6, 17)


def test_next_follow_up_without_recurrence_when_switched_off(editor):
    editor.fill(form())
    editor.recurrence_combo.setCurrentIndex(1)
    editor.fill(form(defaults=af.FormDefaults(recurring_follow_ups=False)))
    assert editor.recurrence_combo.currentIndex() == 0
    assert all(w.isHidden() for w in editor.recurrence_widgets)
    assert editor.recurrence_rule() is None
    editor.fill(form())
    assert not any(w.isHidden() for w in editor.recurrence_widgets)
