"""The import wizard: a German Excel CSV through all pages (preview, mapping
guesses and a change, settings, a duplicate decision, bad rows), the run with
campaign/status/follow-up on the new records, undo; a file that is no table;
a refusal; the Extras action and its right; the empty record list's button."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard
from sqlalchemy import func, select

from akquise_desktop import models as m
from akquise_desktop.controller import Controller, RecordData
from akquise_desktop.core.changes import Entity
from akquise_desktop.ui.import_wizard import ImportWizard
from akquise_desktop.ui.services import ChangeBus, Services
from akquise_desktop.ui.worker import SyncWorker
from tests.factories import make_world

CSV = (
    "Firma;Straße;PLZ;Ort;Telefon;E-Mail;Vorname;Nachname;Bemerkung\r\n"
    "Bäckerei Groß GmbH;Hauptstraße 1;50667;Köln;0221 1234567;info@baeckerei-gross.de;"
    "Jürgen;Groß;Stammkunde\r\n"
    "Schreinerei Özdemir;Am Weiher 3;80331;München;089/765432;;Aylin;Özdemir;\r\n"
    ";Ohne Name 1;10115;Berlin;;;;;\r\n"
    "Altbau Müller KG;Weg 5;10115;Berlin;+49 30 5550001;;;;\r\n"
)


@pytest.fixture
def world(db, clock):
    return make_world(db, clock)


def _services(world, user_id: int) -> Services:
    ctl = Controller(world.db, user_id, clock=world.clock)
    return Services(world.db, ctl, SyncWorker(), ChangeBus(), user_id, clock=world.clock)


def _csv(tmp_path, text: str = CSV, encoding: str = "cp1252"):
    path = tmp_path / "kunden.csv"
    path.write_bytes(text.encode(encoding))
    return path


def _existing(world) -> int:
    """A record the CSV's last row duplicates (same phone, no city)."""
    rid = world.admin.create_record(RecordData(name="Müller und Söhne", phone="030 5550001"))
    assert rid.result_id is not None
    return rid.result_id


def _wizard(qtbot, services: Services) -> ImportWizard:
    wizard = ImportWizard(services)
    qtbot.addWidget(wizard)
    wizard.resize(wizard.sizeHint())
    wizard.show()  # (a wizard starts when shown)
    return wizard


def _to_duplicates(qtbot, wizard: ImportWizard, path) -> None:
    wizard.open_file(str(path))
    assert wizard.file_page.isComplete()
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    wizard.next()
    assert wizard.currentPage() is wizard.settings_page
    assert wizard.settings_page.isComplete()
    wizard.next()
    assert wizard.currentPage() is wizard.duplicates_page


def test_wizard_imports_a_german_csv_and_undoes_it(qtbot, world, tmp_path):
    existing = _existing(world)
    services = _services(world, world.admin_id)
    heard = []
    services.bus.changed.connect(heard.append)
    wizard = _wizard(qtbot, services)
    wizard.open_file(str(_csv(tmp_path)))
    page = wizard.file_page
    assert "cp1252" in page.info.text().lower() or "1252" in page.info.text()
    assert page.preview.rowCount() == 4
    assert page.preview.horizontalHeaderItem(1).text() == "Straße"
    assert page.preview.item(0, 0).text() == "Bäckerei Groß GmbH"
    assert page.delimiter.isEnabled()
    wizard.next()

    mapping = wizard.mapping_page
    assert mapping.mapping()[0] == "name"
    assert mapping.mapping()[2] == "postal_code"
    assert mapping.mapping()[7] == "contact_last_name"
    mapping.set_field(8, "notes")
    mapping.set_field(3, "postal_code")  # twice: refused until fixed
    assert not mapping.isComplete()
    assert mapping.problem.text()
    mapping.set_field(3, "city")
    assert mapping.isComplete()
    wizard.next()

    settings = wizard.settings_page
    settings.campaign.setCurrentIndex(settings.campaign.findData(world.campaign_id))
    contacted = world.status["Kontaktiert"]
    assert settings.status.findData(world.status["Kunde"]) < 0  # final: not offered
    settings.status.setCurrentIndex(settings.status.findData(contacted))
    settings.owner.setCurrentIndex(settings.owner.findData(world.sales_id))
    settings.days.setValue(5)
    settings.instruction.setText("Anrufen und vorstellen")
    due = world.clock.today() + timedelta(days=5)
    assert str(due.day) in settings.due_label.text()
    wizard.next()

    dups = wizard.duplicates_page
    plan = dups.plan
    assert plan is not None
    assert len(plan.candidates) == 3
    assert [b.row for b in plan.bad_rows] == [4]
    assert dups.bad.item(0, 0).text() == "4"
    assert dups.bad.item(0, 1).text()
    assert len(dups.decisions) == 1
    position = next(iter(dups.decisions))
    assert dups.decisions[position].currentData() == "skip"  # the default
    dups.set_decision(position, "merge")
    wizard.next()  # the commit: runs

    run = wizard.run_page
    assert wizard.currentPage() is run
    assert run.result is not None, run.label.text()
    assert len(run.result.created) == 2
    assert run.result.merged == (existing,)
    assert run.isComplete()
    assert not run.undo_button.isHidden()
    assert any(summary.touches(Entity.RECORD) for summary in heard)  # views refresh
    with world.db.read() as s:
        records = {
            r.name: r
            for r in s.scalars(select(m.Record).where(m.Record.id.in_(run.result.created)))
        }
        assert set(records) == {"Bäckerei Groß GmbH", "Schreinerei Özdemir"}
        baeckerei = records["Bäckerei Groß GmbH"]
        assert baeckerei.owner_id == world.sales_id
        assert baeckerei.city == "Köln"
        assert baeckerei.notes == "Stammkunde"
        membership = s.scalar(
            select(m.CampaignMembership).where(m.CampaignMembership.record_id == baeckerei.id)
        )
        assert membership.campaign_id == world.campaign_id
        assert membership.status_id == contacted
        fu = s.scalar(select(m.FollowUp).where(m.FollowUp.record_id == baeckerei.id))
        assert fu.due_date == due
        assert fu.instruction == "Anrufen und vorstellen"
        merged = s.get(m.Record, existing)
        assert merged.city == "Berlin"  # its empty field filled

    run.undo_button.click()
    assert run.undone is not None
    with world.db.read() as s:
        left = s.scalar(
            select(func.count()).select_from(m.Record).where(m.Record.id.in_(run.result.created))
        )
        assert left == 0
        assert s.get(m.Record, existing).city is None
    assert "undo" in run.label.text().lower() or "rückgängig" in run.label.text().lower()


def test_skip_is_the_default_and_back_keeps_the_mapping(qtbot, world, tmp_path):
    _existing(world)
    wizard = _wizard(qtbot, _services(world, world.admin_id))
    _to_duplicates(qtbot, wizard, _csv(tmp_path))
    wizard.back()
    wizard.back()
    wizard.mapping_page.set_field(8, "notes")
    wizard.next()
    wizard.next()
    wizard.next()
    run = wizard.run_page
    assert len(run.result.created) == 2
    assert len(run.result.skipped) == 1
    assert run.result.merged == ()


def test_not_a_table_is_refused_and_nothing_goes_on(qtbot, world, tmp_path):
    wizard = _wizard(qtbot, _services(world, world.admin_id))
    path = tmp_path / "bild.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    wizard.open_file(str(path))
    assert not wizard.file_page.isComplete()
    assert wizard.file_page.info.text()
    assert wizard.file_page.preview.rowCount() == 0


def test_a_refusal_is_shown_and_nothing_written(qtbot, world, tmp_path):
    # "sales" has no import right in the test world's sales group
    with world.db.read() as s:
        user = s.get(m.User, world.sales_id)
        scope = user.role_group.scope(m.Module.IMPORT_EXPORT)
    if scope is not m.Scope.NONE:
        pytest.skip("the sales group may import here")
    wizard = _wizard(qtbot, _services(world, world.sales_id))
    _to_duplicates(qtbot, wizard, _csv(tmp_path))
    with world.db.read() as s:
        before = s.scalar(select(func.count()).select_from(m.Record))
    wizard.next()
    run = wizard.run_page
    assert run.failed and run.result is None
    assert run.label.text()
    with world.db.read() as s:
        assert s.scalar(select(func.count()).select_from(m.Record)) == before


def test_render_pages(qtbot, world, tmp_path):
    """Renders each page to PNG (for looking at them)."""
    _existing(world)
    wizard = _wizard(qtbot, _services(world, world.admin_id))
    folder = Path(os.environ.get("IMPORT_PNG") or tmp_path)
    wizard.open_file(str(_csv(tmp_path)))
    wizard.grab().save(str(folder / "import_1_file.png"))
    for n in range(2, 6):
        wizard.next()
        wizard.grab().save(str(folder / f"import_{n}.png"))
    assert wizard.currentPage() is wizard.run_page
    assert wizard.button(QWizard.WizardButton.FinishButton).isVisible()


@pytest.fixture
def window_for(qtbot, tmp_path):
    from akquise_desktop.ui.main_window import MainWindow
    from akquise_desktop.ui.settings import Settings

    def make(svc: Services) -> MainWindow:
        win = MainWindow(
            svc, Settings.at(str(tmp_path / "s.ini")), db_description="Test", user_name="Test"
        )
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        return win

    return make


def test_extras_action_opens_the_wizard_with_the_right(qtbot, services, window_for):
    window = window_for(services)
    tools = window.data_tools
    assert tools.import_action in window.power_tools.menu.actions()
    assert tools.import_action.isEnabled()
    tools.import_action.trigger()
    wizard = tools.import_wizard
    assert isinstance(wizard, ImportWizard) and wizard.isVisible()
    tools.import_action.trigger()  # a second time: the same wizard
    assert tools.import_wizard is wizard
    wizard.close()


def test_without_the_right_the_action_is_disabled(qtbot, demo_db, clock, window_for):
    with demo_db.read() as s:
        user_id = s.scalar(
            select(m.User.id)
            .join(m.RoleGroup, m.RoleGroup.id == m.User.role_group_id)
            .where(m.RoleGroup.name == "Vertrieb", m.User.active)
            .order_by(m.User.id)
        )
        group = s.get(m.User, user_id).role_group
        assert group.scope(m.Module.IMPORT_EXPORT) is m.Scope.NONE
    svc = Services(
        demo_db, Controller(demo_db, user_id, clock=clock), SyncWorker(), ChangeBus(), user_id,
        clock=clock,
    )  # fmt: skip
    window = window_for(svc)
    tools = window.data_tools
    assert not tools.import_action.isEnabled()
    assert "no right for CSV import/export" in tools.import_action.toolTip()
    tools.open_import()
    assert tools.import_wizard is None


def test_empty_record_list_offers_import_with_the_right(qtbot, services, window_for):
    from akquise_desktop.ui.empty_state import RecordListEmptyState

    window = window_for(services)
    empty = window.record_list.empty_state
    assert isinstance(empty, RecordListEmptyState)
    assert empty.may_import  # the admin has the right
    empty.update_for(0, False)
    assert empty.button_keys() == ["new_record", "import", "demo"]
    empty.button("import").click()
    assert isinstance(window.data_tools.import_wizard, ImportWizard)
    window.data_tools.import_wizard.close()
    empty.set_may_import(False)
    assert empty.button_keys() == ["new_record", "demo"]


def test_stop_before_the_first_chunk_writes_nothing(qtbot, world, tmp_path):
    wizard = _wizard(qtbot, _services(world, world.admin_id))
    _to_duplicates(qtbot, wizard, _csv(tmp_path))
    run = wizard.run_page
    run._relay.progressed.connect(lambda done, _total: run.cancel() if done == 0 else None)
    with world.db.read() as s:
        before = s.scalar(select(func.count()).select_from(m.Record))
    wizard.next()
    assert run.result is not None and run.result.cancelled
    assert run.result.created == ()
    assert run.result.not_reached == 3
    assert "3" in run.label.text()
    with world.db.read() as s:
        assert s.scalar(select(func.count()).select_from(m.Record)) == before
