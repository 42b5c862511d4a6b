"""The record view: master data and contacts with validation and version
checks, memberships, the follow-up panel, the timeline and its details,
the activity dialog, and refresh from change summaries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from akquise_desktop import models as m
from akquise_desktop.controller import Controller, LogActivity, NextFollowUp, RecordData
from akquise_desktop.queries import timeline as tl
from akquise_desktop.queries.records import record_detail
from akquise_desktop.ui.activity_dialog import ActivityDialog
from akquise_desktop.ui.lookup_store import LookupStore
from akquise_desktop.ui.record_view import RecordView


@pytest.fixture
def record_id(services) -> int:
    """A demo record with contacts, a campaign status, open follow-ups and history."""
    with services.db.read() as s:
        activities = (
            select(func.count(m.Activity.id))
            .where(m.Activity.record_id == m.Record.id)
            .scalar_subquery()
        )
        return s.scalar(
            select(m.Record.id)
            .where(
                m.Record.next_follow_up_date.is_not(None),
                select(m.Contact.id).where(m.Contact.record_id == m.Record.id).exists(),
                select(m.CampaignMembership.id)
                .where(m.CampaignMembership.record_id == m.Record.id)
                .exists(),
            )
            .order_by(activities.desc(), m.Record.id)
            .limit(1)
        )


@pytest.fixture
def view(qtbot, services, record_id):
    store = LookupStore(services)
    store.refresh()
    widget = RecordView(services, store)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    widget.load(record_id)
    return widget


def _detail(services, record_id):
    with services.db.read() as s:
        return record_detail(s, record_id)


def test_shows_master_data_contacts_memberships_follow_ups_timeline(view, services, record_id):
    detail = _detail(services, record_id)
    assert view.title.text() == detail.name
    assert view.master.inputs["name"].text() == detail.name
    assert view.master.inputs["city"].text() == (detail.city or "")
    assert view.master.inputs["owner_id"].currentData() == detail.owner_id
    assert view.contacts.topLevelItemCount() == len(detail.contacts)
    assert view.memberships.topLevelItemCount() == len(detail.memberships)
    assert detail.memberships[0].status in view.facts.text()
    assert view.follow_ups.topLevelItemCount() == len(detail.follow_ups)
    assert view.timeline.timeline.rowCount() > len(detail.follow_ups)
    assert not view.master.dirty
    assert not view.master.save_button.isEnabled()


def test_follow_up_panel_colours_and_priority_icons(qtbot, services, clock):
    """Overdue red, today highlighted, future plain; star and bell for priorities."""
    db = services.db
    with db.read() as s:
        rid = s.scalar(select(m.Record.id).order_by(m.Record.id).limit(1))
        activity = s.scalar(
            select(m.Activity.id).where(m.Activity.record_id == rid).order_by(m.Activity.id)
        )
    ctl = Controller(db, 1, clock=clock)
    today = clock.today()
    with db.write() as s:  # an overdue follow-up (the controller refuses due dates in the past)
        overdue = today - timedelta(days=3)
        s.add(m.FollowUp(record_id=rid, assignee_id=1, created_by_id=1, due_date=overdue,
                         instruction="Überfällig", source_activity_id=activity))  # fmt: skip
    ctl.create_follow_up(rid, NextFollowUp(today, priority=m.Priority.HIGH, instruction="Heute"),
                         source_activity_id=activity)  # fmt: skip
    ctl.create_follow_up(
        rid,
        NextFollowUp(today + timedelta(days=9), priority=m.Priority.TIME_CRITICAL,
                     instruction="Später"),
        source_activity_id=activity,
    )  # fmt: skip
    store = LookupStore(services)
    widget = RecordView(services, store)
    qtbot.addWidget(widget)
    widget.load(rid)
    items = {
        widget.follow_ups.topLevelItem(i).text(1): widget.follow_ups.topLevelItem(i)
        for i in range(widget.follow_ups.topLevelItemCount())
    }
    overdue, due_today, later = items["Überfällig"], items["Heute"], items["Später"]
    assert overdue.foreground(0).color().name() == "#c62828"
    assert due_today.background(0).color().name() == "#fff3c4"
    assert later.foreground(0).style() == Qt.BrushStyle.NoBrush
    assert later.background(0).style() == Qt.BrushStyle.NoBrush
    assert not due_today.icon(0).isNull() and not later.icon(0).isNull()
    assert overdue.icon(0).isNull()
    soonest = min(f.due_date for f in widget.detail.follow_ups)
    assert widget.selected_follow_up().due_date == soonest  # soonest first


def test_edit_master_data_saves_through_controller(qtbot, view, services, record_id):
    view.master.inputs["phone"].setText("0221 999")
    view.master.inputs["notes"].setPlainText("Wichtiger Kunde")
    assert view.master.dirty and view.master.save_button.isEnabled()
    qtbot.mouseClick(view.master.save_button, Qt.MouseButton.LeftButton)
    detail = _detail(services, record_id)
    assert detail.phone == "0221 999" and detail.notes == "Wichtiger Kunde"
    assert not view.master.dirty
    assert view.master.message.text() == "Saved."


def test_invalid_input_is_refused_in_the_form_and_kept(view, services, record_id):
    before = _detail(services, record_id)
    view.master.inputs["name"].setText("   ")
    view.master.inputs["email"].setText("kein-mail")
    view.save_master_data()
    assert "name" in view.master.message.text().lower()
    assert "e-mail" in view.master.message.text().lower()
    assert view.master.inputs["email"].text() == "kein-mail"
    assert view.master.inputs["email"].styleSheet()
    assert _detail(services, record_id).version == before.version


def test_stale_version_is_refused_and_input_kept(qtbot, view, services, record_id, clock):
    detail = _detail(services, record_id)
    view.master.inputs["city"].setText("Meine Stadt")
    # A colleague saves the same record meanwhile (not through this view's bus).
    other = Controller(services.db, 1, clock=clock)
    data = RecordData(name=detail.name + " (neu)", kind=detail.kind, owner_id=detail.owner_id)
    other.update_record(record_id, data, expected_version=detail.version)
    view.save_master_data()
    assert view.master.message.isVisible()
    assert "changed by someone else" in view.master.message.text()
    assert view.master.inputs["city"].text() == "Meine Stadt"
    assert view.master.reload_button.isVisible()
    assert _detail(services, record_id).city != "Meine Stadt"  # nothing of ours was written
    qtbot.mouseClick(view.master.reload_button, Qt.MouseButton.LeftButton)
    view._discard_master_data()
    assert view.master.inputs["name"].text() == detail.name + " (neu)"


def test_activity_elsewhere_keeps_unsaved_input_and_saving_still_works(
    view, services, record_id, clock
):
    view.master.inputs["website"].setText("https://neu.example")
    fu = _detail(services, record_id).follow_ups[0]
    services.change(
        lambda ctl: ctl.log_activity(
            LogActivity(record_id=record_id, subject="Zwischendurch", completes=(fu.id,),
                        next_follow_up=NextFollowUp(clock.today() + timedelta(days=4))))
    )  # fmt: skip
    assert view.master.inputs["website"].text() == "https://neu.example"
    view.save_master_data()
    assert _detail(services, record_id).website == "https://neu.example"


def test_add_and_edit_contact(qtbot, view, services, record_id):
    before = len(_detail(services, record_id).contacts)
    view.tabs.setCurrentIndex(1)
    view.new_contact()
    form = view.contact_form
    form.inputs["first_name"].setText("Eva")
    view.save_contact()
    assert "last name" in form.message.text().lower()  # validation: last name missing
    form.inputs["last_name"].setText("Zander")
    form.inputs["email"].setText("eva@zander.example")
    view.save_contact()
    contacts = _detail(services, record_id).contacts
    assert len(contacts) == before + 1
    new = next(c for c in contacts if c.last_name == "Zander")
    assert view.contacts.topLevelItemCount() == before + 1
    assert form.contact_id == new.id
    form.inputs["position"].setText("Einkauf")
    view.save_contact()
    assert next(c for c in _detail(services, record_id).contacts if c.id == new.id).position == (
        "Einkauf"
    )


def test_selecting_a_follow_up_shows_its_source_activity(qtbot, view):
    model = view.timeline.timeline
    row = next(r for r, e in enumerate(model.entries) if e.kind == tl.FOLLOW_UP)
    view.timeline.setCurrentIndex(model.index(row, 0))
    info = view.entry_detail.info
    assert isinstance(info, tl.FollowUpInfo) and info.source is not None
    text = view.entry_detail.toPlainText()
    assert "Source activity" in text and info.source.subject in text
    activity_row = next(r for r, e in enumerate(model.entries) if e.kind == tl.ACTIVITY)
    view.timeline.setCurrentIndex(model.index(activity_row, 0))
    assert isinstance(view.entry_detail.info, tl.ActivityInfo)
    assert view.entry_detail.info.subject in view.entry_detail.toPlainText()


def test_source_activity_button(view):
    fu = view.selected_follow_up()
    assert fu is not None and fu.source_activity_id is not None
    view.show_source_activity()
    assert view.entry_detail.shown == (tl.ACTIVITY, fu.source_activity_id)


def test_timeline_loads_more_pages_on_scroll(qtbot, services):
    with services.db.read() as s:
        rid = s.scalar(
            select(m.Activity.record_id)
            .group_by(m.Activity.record_id)
            .order_by(func.count(m.Activity.id).desc())
            .limit(1)
        )
    store = LookupStore(services)
    widget = RecordView(services, store)
    qtbot.addWidget(widget)
    model = widget.timeline.timeline
    widget.load(rid)
    with services.db.read() as s:
        total = len(tl.timeline_page(s, rid, limit=10_000).entries)
    first = model.rowCount()
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == total
    assert first <= total


def test_complete_opens_activity_dialog_and_save_updates_view(qtbot, view, services, record_id):
    fu = view.selected_follow_up()
    view.follow_ups.setFocus()
    qtbot.keyClick(view.follow_ups, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = view.dialog
    assert isinstance(dialog, ActivityDialog)
    assert dialog.complete_follow_up_id == fu.id and dialog.record_id == record_id
    assert fu.id in dialog.ticked_follow_up_ids()
    rows_before = view.timeline.timeline.rowCount()
    dialog.subject_edit.setText("Erledigt aus der Datensatzansicht")
    assert dialog.can_save(), dialog.problem_texts()
    dialog.save()
    detail = _detail(services, record_id)
    assert fu.id not in {f.id for f in detail.follow_ups}
    assert fu.id not in {
        view.follow_ups.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole + 1)
        for i in range(view.follow_ups.topLevelItemCount())
    }
    titles = [e.title for e in view.timeline.timeline.entries]
    assert "Erledigt aus der Datensatzansicht" in titles
    assert view.timeline.timeline.rowCount() > rows_before


def test_log_activity_button_opens_dialog_without_follow_up(qtbot, view):
    qtbot.mouseClick(view.log_button, Qt.MouseButton.LeftButton)
    assert isinstance(view.dialog, ActivityDialog)
    assert view.dialog.complete_follow_up_id is None
    view.dialog.reject()


def test_dead_record_hint(qtbot, view, services, record_id, clock):
    """Completing the last follow-up without a next one (a role group with the
    policy off) leaves a dead record: the panel says so."""
    assert view.no_follow_up.text() == ""
    with services.db.read() as s:
        office = s.scalar(
            select(m.User.id)
            .join(m.RoleGroup, m.RoleGroup.id == m.User.role_group_id)
            .where(~m.RoleGroup.activity_requires_follow_up)
            .limit(1)
        )
    open_ids = tuple(f.id for f in _detail(services, record_id).follow_ups)
    Controller(services.db, office, clock=clock).log_activity(
        LogActivity(record_id=record_id, subject="Ohne Wiedervorlage", completes=open_ids)
    )
    view.reload()
    assert view.follow_ups.topLevelItemCount() == 0
    assert "dead" in view.no_follow_up.text()
    assert not view.complete_button.isEnabled()


def test_other_records_changes_do_not_reload(qtbot, view, services, record_id):
    calls = []
    view.reload = lambda: calls.append(1)
    with services.db.read() as s:
        other = s.scalar(select(m.Record.id).where(m.Record.id != record_id).limit(1))
        detail = record_detail(s, other)
    data = RecordData(name="Anderer Name", kind=detail.kind, owner_id=detail.owner_id)
    services.change(lambda ctl: ctl.update_record(other, data, expected_version=detail.version))
    assert calls == []


def test_a_failed_read_leaves_the_timeline_ready_for_the_next(
    view, services, record_id, monkeypatch, caplog
):
    """Opening a record reads it and its timeline in one job; should that fail,
    the error is logged and the timeline waits for nothing (the next load works)."""
    from akquise_desktop.ui.record_view import view as module

    def broken(_session, _record_id):
        raise RuntimeError("Verbindung verloren")

    with monkeypatch.context() as patched:
        patched.setattr(module.q, "record_view", broken)
        view.load(record_id)
    assert "Verbindung verloren" in caplog.text
    model = view.timeline.timeline
    assert not model._loading
    view.load(record_id)
    assert model.rowCount() > 0 and not model._loading
