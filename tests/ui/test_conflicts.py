"""Two people, one record, as the user sees it: a version conflict names who
changed what and shows yours / stored, the input stays; completing a follow-up
that changed meanwhile is refused; a save whose answer was lost is checked by
its key and reported as saved or not saved, never written twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from akquise_desktop import models as m
from akquise_desktop.controller import ContactData, Controller, RecordData
from akquise_desktop.queries.records import record_detail
from akquise_desktop.ui.activity_dialog import ActivityDialog
from akquise_desktop.ui.lookup_store import LookupStore
from akquise_desktop.ui.record_view import RecordView
from akquise_desktop.ui.services import ChangeBus, Services
from akquise_desktop.ui.worker import SyncWorker


def _record_with_contact_and_follow_up(db) -> int:
    with db.read() as s:
        return s.scalar(
            select(m.Record.id)
            .where(
                m.Record.next_follow_up_date.is_not(None),
                select(m.Contact.id).where(m.Contact.record_id == m.Record.id).exists(),
            )
            .order_by(m.Record.id)
            .limit(1)
        )


@pytest.fixture
def record_id(services) -> int:
    return _record_with_contact_and_follow_up(services.db)


@pytest.fixture
def view(qtbot, services, record_id):
    store = LookupStore(services)
    store.refresh()
    widget = RecordView(services, store)
    qtbot.addWidget(widget)
    widget.show()
    widget.load(record_id)
    return widget


def _detail(db, record_id):
    with db.read() as s:
        return record_detail(s, record_id)


def test_a_master_data_conflict_names_the_change_and_shows_yours_and_stored(
    view, services, record_id, clock
):
    detail = _detail(services.db, record_id)
    view.master.inputs["city"].setText("Meine Stadt")
    view.master.inputs["phone"].setText("0221 999")  # only we change this one
    clock.advance(minutes=3)
    colleague = Controller(services.db, 1, clock=clock)
    colleague.update_record(
        record_id,
        RecordData(
            **{**{f: getattr(detail, f) for f in RecordData.__dataclass_fields__}, "city": "Bonn"}
        ),
        expected_version=detail.version,
    )
    view.save_master_data()
    text = view.master.message.text()
    assert "Changed by" in text and clock.local_now().strftime("%H:%M") in text
    assert "“Meine Stadt”" in text and "“Bonn”" in text
    assert "0221 999" not in text  # no conflict where only we changed a field
    assert view.master.inputs["city"].text() == "Meine Stadt"  # the input is kept
    assert view.master.reload_button.isVisible()
    assert _detail(services.db, record_id).city == "Bonn"


def test_a_contact_conflict_keeps_the_input_and_shows_both_values(view, services, record_id, clock):
    contact = _detail(services.db, record_id).contacts[0]
    view.tabs.setCurrentIndex(1)
    view.contact_form.edit(contact)
    view.contact_form.inputs["position"].setText("Einkauf (neu)")
    colleague = Controller(services.db, 1, clock=clock)
    data = {f: getattr(contact, f) for f in ContactData.__dataclass_fields__}
    colleague.update_contact(
        contact.id, ContactData(**{**data, "position": "Geschäftsführung"}),
        expected_version=contact.version,
    )  # fmt: skip
    view.save_contact()
    text = view.contact_form.message.text()
    assert "“Einkauf (neu)”" in text and "“Geschäftsführung”" in text
    assert view.contact_form.inputs["position"].text() == "Einkauf (neu)"


def test_completing_a_follow_up_rescheduled_meanwhile_is_refused(qtbot, services, record_id, clock):
    detail = _detail(services.db, record_id)
    fu = detail.follow_ups[0]
    dialog = ActivityDialog(services, record_id, complete_follow_up_id=fu.id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.subject_edit.setText("Telefonat")
    dialog.due_edit.setDate(dialog.due_edit.date().addDays(7))
    # Meanwhile a colleague moves the follow-up to another day.
    Controller(services.db, 1, clock=clock).update_follow_up(
        fu.id, expected_version=fu.version, due_date=clock.today() + timedelta(days=30)
    )
    with qtbot.assertNotEmitted(dialog.saved):
        dialog.save()
    assert dialog.error_frame.isVisible()
    text = dialog.error_label.text()
    assert "changed by someone else" in text and "Changed by" in text and "due date" in text
    assert dialog.subject_edit.text() == "Telefonat"


class _LosesAnswers(Controller):
    """A controller whose connection breaks off during the next ``log_activity``:
    after the commit (``after=True``: the answer is lost) or before it."""

    def __init__(self, *args, after: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.after = after
        self.breaks = 1
        self.saves = 0

    def log_activity(self, cmd):
        if self.breaks:
            self.breaks -= 1
            if self.after:
                super().log_activity(cmd)
            raise OperationalError("COMMIT", {}, Exception("server closed the connection"))
        self.saves += 1
        return super().log_activity(cmd)


def _activities(db, subject: str) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).where(m.Activity.subject == subject))


@pytest.mark.parametrize("after", [True, False], ids=["answer-lost", "never-arrived"])
def test_a_save_whose_connection_broke_off_is_checked_by_its_key(qtbot, demo_db, clock, after):
    controller = _LosesAnswers(demo_db, 1, clock=clock, after=after)
    services = Services(demo_db, controller, SyncWorker(), ChangeBus(), 1, clock=clock)
    record_id = _record_with_contact_and_follow_up(demo_db)
    fu = _detail(demo_db, record_id).follow_ups[0]
    dialog = ActivityDialog(services, record_id, complete_follow_up_id=fu.id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.subject_edit.setText("Verbindung weg")
    dialog.due_edit.setDate(dialog.due_edit.date().addDays(7))
    if after:
        # Saved after all: the dialog checks, repeats the save by its key
        # (nothing written again) and closes as saved.
        with qtbot.waitSignal(dialog.saved):
            dialog.save()
        assert controller.saves == 1
    else:
        dialog.save()
        text = dialog.error_label.text()
        assert "was not saved" in text and "input is kept" in text
        assert dialog.subject_edit.text() == "Verbindung weg"
        assert _activities(demo_db, "Verbindung weg") == 0
        with qtbot.waitSignal(dialog.saved):
            dialog.save()
    assert _activities(demo_db, "Verbindung weg") == 1
