"""The record view's parts, each alone on hand-made data: the follow-up panel,
the contacts and memberships tabs."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from PySide6.QtCore import Qt

from akquise_desktop.queries import records as q
from akquise_desktop.ui.record_view.follow_ups import FollowUpPanel
from akquise_desktop.ui.record_view.tabs import ContactsTab, MembershipsTab
from tests.factories import pinned_clock

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def follow_up(fid: int, days: int, **kw) -> q.OpenFollowUp:
    today = pinned_clock().today()
    values = dict(
        id=fid, version=1, due_date=today + timedelta(days=days), due_time=None, priority=0,
        instruction=f"Aufgabe {fid}", assignee_id=1, assignee="Katrin Becker",
        source_activity_id=100 + fid, source_subject=f"Anlass {fid}", recurrence=None,
    )  # fmt: skip
    return q.OpenFollowUp(**{**values, **kw})


def membership(*, active: bool = True, final: bool = False) -> q.MembershipRow:
    return q.MembershipRow(id=1, campaign_id=1, campaign="Frühjahr", campaign_active=active,
                           status_id=2, status="Angebot", color="#1565C0", progress=40,
                           is_final=final, since=NOW)  # fmt: skip


def detail(follow_ups=(), memberships=(), contacts=()) -> q.RecordDetail:
    return q.RecordDetail(
        id=1, version=1, kind="company", name="Muster GmbH", street=None, postal_code=None,
        city=None, country=None, phone=None, email=None, website=None, industry=None, notes=None,
        owner_id=1, owner="Katrin Becker", created_at=NOW, updated_at=NOW, last_activity_at=None,
        next_follow_up=None, contacts=tuple(contacts), memberships=tuple(memberships),
        follow_ups=tuple(follow_ups),
    )  # fmt: skip


@pytest.fixture
def panel(qtbot):
    widget = FollowUpPanel(pinned_clock())
    qtbot.addWidget(widget)
    return widget


def test_follow_up_panel_lists_the_follow_ups_soonest_current(panel):
    assert panel.selected_follow_up() is None
    assert not panel.complete_button.isEnabled() and not panel.source_button.isEnabled()
    soon = follow_up(1, -2, due_time=time(9, 30), instruction="")
    later = follow_up(2, 5, priority=2, source_activity_id=None, recurrence="FREQ=WEEKLY")
    panel.show_follow_ups(detail([soon, later]))
    tree = panel.follow_ups
    assert tree.topLevelItemCount() == 2
    first, second = tree.topLevelItem(0), tree.topLevelItem(1)
    assert first.text(1) == "(no instruction)" and first.text(2) == "Katrin Becker"
    assert first.text(0).endswith("09:30")
    assert first.foreground(0).color().name() == "#c62828"  # overdue
    assert "Priority: time-critical" in second.toolTip(1)
    assert "Repeats: FREQ=WEEKLY" in second.toolTip(1)
    assert panel.selected_follow_up() == soon  # current, not highlighted
    assert not tree.selectedItems()
    assert panel.complete_button.isEnabled() and panel.source_button.isEnabled()
    assert panel.no_follow_up.text() == ""

    tree.setCurrentItem(second)
    assert panel.selected_follow_up() == later
    assert not panel.source_button.isEnabled()  # no source activity
    panel.show_follow_ups(detail([soon, later]))  # a refresh keeps the current one
    assert panel.selected_follow_up() == later


def test_follow_up_panel_requests_and_signals(qtbot, panel):
    panel.show_follow_ups(detail([follow_up(1, 0)]))
    with qtbot.waitSignal(panel.complete_requested):
        qtbot.mouseClick(panel.complete_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(panel.complete_requested):
        panel.follow_ups.itemActivated.emit(panel.follow_ups.topLevelItem(0), 0)
    with qtbot.waitSignal(panel.source_requested):
        qtbot.mouseClick(panel.source_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(panel.selection_changed):
        panel.show_follow_ups(detail([follow_up(1, 0), follow_up(2, 3)]))
    panel.detail = None  # another record is loading
    assert panel.selected_follow_up() is None


def test_follow_up_panel_says_when_a_record_is_dead(panel):
    panel.show_follow_ups(detail([], [membership()]))
    assert "this customer is dead" in panel.no_follow_up.text()
    assert not panel.complete_button.isEnabled()
    panel.show_follow_ups(detail([], [membership(final=True)]))
    assert panel.no_follow_up.text() == "No open follow-up."
    panel.show_follow_ups(detail([], [membership(active=False)]))
    assert panel.no_follow_up.text() == "No open follow-up."


def contact(cid: int, last_name: str, **kw) -> q.ContactRow:
    values = dict(
        id=cid, version=1, salutation=None, title=None, first_name="Eva", last_name=last_name,
        position="Einkauf", phone=None, mobile=None, email=None, notes=None,
    )  # fmt: skip
    return q.ContactRow(**{**values, **kw})


def test_contacts_tab_edits_the_chosen_contact_and_keeps_unsaved_input(qtbot):
    tab = ContactsTab()
    qtbot.addWidget(tab)
    zander, adler = contact(1, "Zander"), contact(2, "Adler", position=None)
    tab.show_contacts(detail(contacts=[zander, adler]))
    assert tab.contacts.topLevelItemCount() == 2
    assert tab.contacts.topLevelItem(1).text(0) == "Eva Adler"
    assert tab.contact_form.contact_id is None  # nothing chosen yet

    tab.contacts.setCurrentItem(tab.contacts.topLevelItem(0))
    form = tab.contact_form
    assert form.contact_id == 1 and form.inputs["last_name"].text() == "Zander"
    form.inputs["position"].setText("Vertrieb")
    tab.show_contacts(detail(contacts=[contact(1, "Zander", version=2), adler]))  # a refresh
    assert form.inputs["position"].text() == "Vertrieb" and form.dirty
    assert tab.contacts.currentItem().text(0) == "Eva Zander"

    tab.new_contact()
    assert form.contact_id is None and form.inputs["last_name"].text() == ""
    assert tab.contacts.currentItem() is None


def test_memberships_tab(qtbot):
    tab = MembershipsTab()
    qtbot.addWidget(tab)
    tab.show_memberships(detail(memberships=[membership(), membership(active=False, final=True)]))
    live, ended = tab.topLevelItem(0), tab.topLevelItem(1)
    assert [live.text(c) for c in range(3)] == ["Frühjahr", "Angebot", "40 %"]
    assert ended.text(0) == "Frühjahr (inactive)" and ended.text(1) == "Angebot (final)"
    tab.show_memberships(detail())
    assert tab.topLevelItemCount() == 0
