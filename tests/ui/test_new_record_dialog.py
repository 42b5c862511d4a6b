"""The new-record dialog warns of a possible duplicate before the first save."""

from __future__ import annotations

from sqlalchemy import func, select

from akquise_desktop import models as m
from akquise_desktop.ui.new_record_dialog import NewRecordDialog


def count(services, name: str) -> int:
    with services.db.read() as s:
        return s.scalar(select(func.count()).select_from(m.Record).where(m.Record.name == name))


def existing(services) -> m.Record:
    with services.db.read() as s:
        return s.scalars(
            select(m.Record).where(m.Record.phone.is_not(None)).order_by(m.Record.id).limit(1)
        ).one()


def dialog_for(qtbot, services) -> NewRecordDialog:
    dialog = NewRecordDialog(services)
    qtbot.addWidget(dialog)
    return dialog


def test_a_similar_name_is_named_and_saving_anyway_creates(qtbot, services):
    record = existing(services)
    dialog = dialog_for(qtbot, services)
    dialog.name.setText(record.name)
    dialog.save()
    assert not dialog.warning.isHidden()
    assert record.name in dialog.warning.text()
    assert any(d.record_id == record.id for d in dialog.duplicates)
    assert count(services, record.name) == 1 and dialog.created_id is None
    save = dialog.buttons.buttons()[0]
    assert save.text() == "Save &anyway"
    dialog.save()  # the user has seen it
    assert dialog.created_id is not None and count(services, record.name) == 2


def test_the_same_phone_under_another_name_is_named(qtbot, services):
    record = existing(services)
    dialog = dialog_for(qtbot, services)
    dialog.name.setText("Ganz Anders Handelsgesellschaft")
    dialog.phone.setText(record.phone)
    dialog.save()
    assert record.name in dialog.warning.text() and dialog.created_id is None


def test_a_new_name_saves_at_once_and_a_change_asks_again(qtbot, services):
    record = existing(services)
    dialog = dialog_for(qtbot, services)
    dialog.name.setText(record.name)
    dialog.save()
    assert dialog.duplicates
    dialog.name.setText("Zyxwvu Einzigartig GmbH")  # changed: the warning goes
    assert dialog.warning.isHidden() and dialog.buttons.buttons()[0].text() == "&Save"
    dialog.save()
    assert dialog.created_id is not None and count(services, "Zyxwvu Einzigartig GmbH") == 1
