"""The call in the app: an incoming call with 0, 1 and several matching records,
the call in progress and its prefilled *Telefonat*, click-to-dial from the
record view, the contact list and the record list (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox

from akquise_desktop import models as m
from akquise_desktop.controller import ContactData, Controller, NextFollowUp, RecordData
from akquise_desktop.desktop import urls
from akquise_desktop.ui.calls import INCOMING, OUTGOING, CallerChooser
from akquise_desktop.ui.links import LinkOpener
from akquise_desktop.ui.main_window import MainWindow
from akquise_desktop.ui.services import ChangeBus, Services
from akquise_desktop.ui.settings import Settings
from akquise_desktop.ui.worker import SyncWorker
from tests.factories import make_world


class Opener:
    """Stands for the OS's dialler: records the URLs it was given."""

    def __init__(self, answer: bool = True) -> None:
        self.urls: list[str] = []
        self.answer = answer

    def __call__(self, url: QUrl) -> bool:
        self.urls.append(url.toString())
        return self.answer


@pytest.fixture
def world(db, clock):
    return make_world(db, clock)


@pytest.fixture
def data(world):
    """Records of the sales user: one with its own phone, one whose contact
    person has the number (mobile), two sharing a switchboard number — all in
    the campaign (so an activity needs a next follow-up)."""
    w, ctl = world, world.sales

    def record(name: str, city: str, phone: str | None = None) -> int:
        rid = ctl.create_record(RecordData(name=name, city=city, phone=phone)).result_id
        assert rid is not None
        ctl.assign_to_campaign(
            rid, w.campaign_id, next_follow_up=NextFollowUp(w.today + timedelta(days=2))
        )
        return rid

    own = record("Adler KG", "Köln", "0221 3712306")
    contact_rec = record("Berg AG", "Bonn")
    eva = ctl.add_contact(
        contact_rec, ContactData(last_name="Berg", first_name="Eva", mobile="0171 5550101")
    ).result_id
    shared = [record(name, "Essen", "0201 444") for name in ("Zentrale Nord", "Filiale Nord")]
    return {"own": own, "contact_record": contact_rec, "eva": eva, "shared": shared}


@pytest.fixture
def services(qapp, world, clock) -> Services:
    services = Services(
        world.db, Controller(world.db, world.sales_id, clock=clock), SyncWorker(), ChangeBus(),
        world.sales_id, clock=clock,
    )  # fmt: skip
    services.calls.open_url = Opener()
    return services


@pytest.fixture
def window(qtbot, services, tmp_path):
    settings = Settings.at(str(tmp_path / "settings.ini"))
    win = MainWindow(services, settings, db_description="Test", user_name="Sven Sales")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def opener(services, window):
    return LinkOpener(services, lambda: window)


def ring(opener, number: str) -> None:
    opener.handle(urls.call_url(number))


# --- an incoming call ----------------------------------------------------------------------


def test_one_match_opens_the_record_and_starts_the_call(qtbot, opener, window, services, data):
    assert not window.call_bar.isVisible()
    with qtbot.waitSignal(opener.calls.opened) as opened:
        ring(opener, "0221 3712306")
    assert opened.args == [data["own"]]
    assert window.current_page() == "record"
    assert window.record_view.record_id == data["own"]
    call = services.calls.current
    assert call is not None and call.direction == INCOMING
    assert (call.record_id, call.contact_id, call.number) == (data["own"], None, "0221 3712306")
    assert call.started_at == services.clock.now()
    assert window.call_bar.isVisible()
    assert window.call_bar.label.text() == "Call with Adler KG since 10:00"
    assert window.log_call_action.isEnabled()


def test_a_contacts_number_names_the_contact(qtbot, opener, window, services, data):
    with qtbot.waitSignal(opener.calls.opened):
        ring(opener, "0171 5550101")
    call = services.calls.current
    assert call is not None
    assert (call.record_id, call.contact_id, call.contact_name) == (
        data["contact_record"], data["eva"], "Eva Berg",
    )  # fmt: skip
    assert window.call_bar.label.text() == "Call with Berg AG (Eva Berg) since 10:00"


def test_several_matches_offer_a_chooser_enter_opens(qtbot, opener, window, services, data):
    with qtbot.waitSignal(opener.calls.choosing) as choosing:
        ring(opener, "0201 444")
    assert choosing.args == [2]
    chooser = opener.calls.chooser
    assert isinstance(chooser, CallerChooser) and chooser.isVisible()
    rows = [
        [chooser.tree.topLevelItem(n).text(c) for c in range(4)]
        for n in range(chooser.tree.topLevelItemCount())
    ]
    assert rows == [
        ["Filiale Nord", "Essen", "0201 444", ""],
        ["Zentrale Nord", "Essen", "0201 444", ""],
    ]
    assert services.calls.current is None  # not before a record is chosen
    chooser.tree.setCurrentItem(chooser.tree.topLevelItem(1))
    with qtbot.waitSignal(opener.calls.opened) as opened:
        qtbot.keyClick(chooser.tree, Qt.Key.Key_Return)
    assert opened.args == [data["shared"][0]]
    assert window.record_view.record_id == data["shared"][0]
    assert services.calls.current is not None
    assert services.calls.current.record_name == "Zentrale Nord"


def test_escape_in_the_chooser_opens_nothing(qtbot, opener, window, services, data):
    with qtbot.waitSignal(opener.calls.choosing):
        ring(opener, "0201 444")
    chooser = opener.calls.chooser
    assert chooser is not None
    qtbot.keyClick(chooser.tree, Qt.Key.Key_Escape)
    assert not chooser.isVisible()
    assert services.calls.current is None
    assert window.current_page() != "record"


def test_no_match_opens_a_new_record_with_the_number(qtbot, opener, window, services, data):
    with qtbot.waitSignal(opener.calls.unknown):
        ring(opener, "+49 30 1234567")
    dialog = window.new_record_dialog
    assert dialog.isVisible()
    assert dialog.phone.text() == "+49 30 1234567"
    assert services.calls.current is None
    dialog.name.setText("Neukunde Berlin")
    with qtbot.waitSignal(dialog.accepted):
        dialog.save()
    created = dialog.created_id
    assert created is not None
    assert window.record_view.record_id == created
    call = services.calls.current
    assert call is not None and (call.record_id, call.record_name) == (created, "Neukunde Berlin")
    with services.db.read() as s:
        assert s.get(m.Record, created).phone == "+49 30 1234567"


def test_a_bad_number_in_the_message_is_refused(qtbot, opener, services, data):
    with qtbot.waitSignal(opener.refused) as refused:
        opener.handle("akquise://call/abc")
    assert "Not a phone number" in refused.args[0] or "Keine Rufnummer" in refused.args[0]
    assert services.calls.current is None


# --- the call in progress: the prefilled Telefonat ---------------------------------------------


def test_log_call_prefills_telefonat_contact_and_duration(
    qtbot, opener, window, services, data, world, clock
):
    with qtbot.waitSignal(opener.calls.opened):
        ring(opener, "0171 5550101")
    call = services.calls.current
    assert call is not None
    clock.advance(minutes=7, seconds=20)  # the call took 7 min 20 s
    window.show_view("follow_ups")  # the user went elsewhere meanwhile
    dialog = window.log_call()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert window.record_view.record_id == data["contact_record"]
    assert dialog.activity_box.type_combo.currentText() == "Telefonat"
    assert dialog.activity_box.type_id() == world.types["Telefonat"]
    assert dialog.contact_combo.currentData() == data["eva"]
    assert dialog.duration_spin.value() == 7
    when = dialog.when_edit.dateTime()
    assert (when.time().hour(), when.time().minute()) == (10, 0)  # when the call began
    assert dialog.subject_edit.text() == "Incoming call"
    assert dialog.subject_edit.selectedText() == "Incoming call"  # typing replaces it
    assert not dialog.has_input()  # closing it asks nothing

    # The chain goes on: the next follow-up is demanded as always.
    dialog.next_box.setChecked(False)
    assert not dialog.can_save()
    dialog.next_box.setChecked(True)
    dialog.subject_edit.setText("Rückruf wegen Angebot")
    assert dialog.can_save(), dialog.problem_texts()
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.save()
    with services.db.read() as s:
        activity = s.get(m.Activity, saved.args[0].result_id)
        assert activity.type_id == world.types["Telefonat"]
        assert activity.contact_id == data["eva"]
        assert activity.duration_minutes == 7
        assert activity.occurred_at == call.started_at
    assert services.calls.current is None  # logged: the call is over
    assert not window.call_bar.isVisible()
    assert not window.log_call_action.isEnabled()


@pytest.mark.parametrize(("seconds", "minutes"), [(0, 1), (29, 1), (91, 2), (3600 * 30, 1440)])
def test_duration_rounded_at_least_a_minute(services, data, clock, seconds, minutes):
    call = services.calls.start(data["own"], "Adler KG", "0221 3712306")
    assert call.duration_minutes(clock.now() + timedelta(seconds=seconds)) == minutes


def test_log_call_without_a_call_does_nothing(qtbot, window, services, data):
    assert window.log_call() is None
    assert "No call in progress" in window.statusBar().currentMessage()


def test_dismissing_the_bar_forgets_the_call(qtbot, window, services, data):
    services.calls.start(data["own"], "Adler KG", "0221 3712306")
    assert window.call_bar.isVisible()
    qtbot.mouseClick(window.call_bar.dismiss_button, Qt.MouseButton.LeftButton)
    assert services.calls.current is None
    assert not window.call_bar.isVisible()


def test_the_key_logs_the_call(qtbot, window, services, data):
    services.calls.start(data["own"], "Adler KG", "0221 3712306", direction=OUTGOING)
    assert window.log_call_action.shortcut().toString() == "Ctrl+T"
    window.log_call_action.trigger()
    dialog = window.record_view.dialog
    assert dialog is not None and dialog.call == services.calls.current
    qtbot.addWidget(dialog)
    assert dialog.subject_edit.text() == "Outgoing call"
    assert window.call_bar.label.text() == "Call to Adler KG since 10:00"


# --- click-to-dial ---------------------------------------------------------------------------


def _record_view(qtbot, window, record_id: int):
    window.open_record(record_id)
    view = window.record_view
    qtbot.waitUntil(lambda: view.detail is not None and view.detail.id == record_id)
    return view


def test_the_record_views_call_button_dials_and_starts_the_call(
    qtbot, window, services, data, clock
):
    view = _record_view(qtbot, window, data["own"])
    assert view.call_button.isEnabled()
    assert "tel:+" not in view.facts.text() and "href='tel:02213712306'" in view.facts.text()
    qtbot.mouseClick(view.call_button, Qt.MouseButton.LeftButton)
    assert services.calls.open_url.urls == ["tel:02213712306"]
    call = services.calls.current
    assert call is not None and call.direction == OUTGOING
    assert (call.record_id, call.number, call.started_at) == (
        data["own"], "0221 3712306", clock.now(),
    )  # fmt: skip
    # the header's link and the phone field's button dial the same
    view.facts.linkActivated.emit("tel:02213712306")
    action = view.master.call_action
    assert action.isVisible()
    action.trigger()
    assert services.calls.open_url.urls == ["tel:02213712306"] * 3


def test_the_call_menu_lists_the_contacts_numbers(qtbot, window, services, data):
    view = _record_view(qtbot, window, data["contact_record"])
    texts = [a.text() for a in view.call_menu.actions()]
    assert texts == ["Eva Berg (mobile): 0171 5550101"]
    view.call_menu.actions()[0].trigger()
    assert services.calls.open_url.urls == ["tel:01715550101"]
    call = services.calls.current
    assert call is not None and call.contact_id == data["eva"]


def test_a_record_without_numbers_has_nothing_to_dial(qtbot, window, services, world):
    rid = world.record("Ohne Telefon")
    view = _record_view(qtbot, window, rid)
    assert not view.call_button.isEnabled()
    assert not view.master.call_action.isVisible()


def test_the_contact_list_dials_by_link_and_context_menu(qtbot, window, services, data):
    view = _record_view(qtbot, window, data["contact_record"])
    tab = view.contacts_tab
    item = tab.contacts.topLevelItem(0)
    assert item.text(2) == "0171 5550101"
    assert item.font(2).underline()
    view.tabs.setCurrentIndex(1)
    qtbot.waitUntil(tab.contacts.isVisible)
    rect = tab.contacts.visualItemRect(item)
    column_left = tab.contacts.header().sectionViewportPosition(2)
    on_number = QPoint(column_left + 10, rect.center().y())
    qtbot.mouseClick(tab.contacts.viewport(), Qt.MouseButton.LeftButton, pos=on_number)
    assert services.calls.open_url.urls == ["tel:01715550101"]
    # a click beside the number only selects
    beside = QPoint(column_left + tab.contacts.header().sectionSize(2) - 2, rect.center().y())
    if tab.phone_links.link_at(beside) is None:
        qtbot.mouseClick(tab.contacts.viewport(), Qt.MouseButton.LeftButton, pos=beside)
        assert len(services.calls.open_url.urls) == 1
    # the context menu: Anrufen for each number
    tab._context_menu(rect.center())
    assert tab.menu is not None
    actions = tab.menu.actions()
    assert [a.text() for a in actions] == ["Call 0171 5550101 (mobile)"]
    actions[0].trigger()
    assert services.calls.open_url.urls == ["tel:01715550101"] * 2
    assert services.calls.current is not None
    assert services.calls.current.contact_name == "Eva Berg"
    tab.menu.close()
    # the contact form's phone buttons dial too
    tab.contacts.setCurrentItem(item)
    phone_action, mobile_action = tab.contact_form.call_actions
    assert not phone_action.isVisible() and mobile_action.isVisible()
    mobile_action.trigger()
    assert services.calls.open_url.urls == ["tel:01715550101"] * 3


def test_the_record_list_dials_by_link_and_context_action(qtbot, window, services, data):
    window.show_view("records")
    records = window.record_list
    qtbot.waitUntil(lambda: records.model.rowCount() >= 4)
    row = records.model.find(lambda r: r.id == data["own"])
    index = records.model.index(row, records.model.COLUMNS.index("phone"))
    assert records.model.data(index, Qt.ItemDataRole.FontRole).underline()
    records.table.setCurrentIndex(index)
    assert records.call_action.isEnabled()
    assert records.call_action in records.table.actions()
    records.call_action.trigger()
    assert services.calls.open_url.urls == ["tel:02213712306"]
    records.table.scrollTo(index)
    rect = records.table.visualRect(index)
    qtbot.mouseClick(
        records.table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(rect.left() + 8, rect.center().y()),
    )
    assert services.calls.open_url.urls == ["tel:02213712306"] * 2
    call = services.calls.current
    assert call is not None and (call.record_id, call.direction) == (data["own"], OUTGOING)
    # a row without a phone: nothing to dial
    no_phone = records.model.find(lambda r: not r.phone)
    if no_phone >= 0:
        records.table.setCurrentIndex(records.model.index(no_phone, 0))
        assert not records.call_action.isEnabled()


def test_no_dialler_says_so_and_starts_no_call(qtbot, window, services, data, monkeypatch):
    services.calls.open_url = Opener(answer=False)
    view = _record_view(qtbot, window, data["own"])
    view.dial("0221 3712306")
    assert services.calls.current is None
    box = services.calls.message_box
    assert isinstance(box, QMessageBox) and "tel:" in box.text()
    box.close()
    QApplication.processEvents()


def test_the_phone_field_button_follows_the_text(qtbot, window, data):
    view = _record_view(qtbot, window, data["own"])
    edit = view.master.inputs["phone"]
    assert isinstance(edit, QLineEdit)
    edit.setText("")
    assert not view.master.call_action.isVisible()
    edit.setText("0228 12345")
    assert view.master.call_action.isVisible()
