"""Verwaltung › Kampagnen, Aktivitätsarten, Systemeinstellungen through their
widgets, on SQLite and PostgreSQL: campaigns and statuses are made, ordered,
duplicated and merged as the database then shows; reactivating a campaign
says how many records become dead; an activity type gets an icon from the
chooser; the settings are saved with the version shown, and a stale save is
refused with the input kept."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import func, select

from akquise_desktop import models as m
from akquise_desktop.controller import LogActivity, NextFollowUp, SettingsData
from akquise_desktop.queries import admin as qa
from akquise_desktop.ui.admin.activity_types_page import ActivityTypesPage, IconChooser
from akquise_desktop.ui.admin.campaigns.dialogs import (
    CampaignDialog,
    MergeDialog,
    StatusDialog,
)
from akquise_desktop.ui.admin.campaigns_page import CampaignsPage
from akquise_desktop.ui.admin.page import AdminPage
from akquise_desktop.ui.admin.settings_page import SettingsPage
from akquise_desktop.ui.services import ChangeBus, Services
from akquise_desktop.ui.worker import SyncWorker
from tests.factories import World, make_world


@pytest.fixture
def world(db, clock) -> World:
    return make_world(db, clock)


@pytest.fixture
def services(qapp, world, clock) -> Services:
    """Acting as the world's administrator, synchronous worker."""
    return Services(
        world.db,
        world.controller(world.admin_id),
        SyncWorker(),
        ChangeBus(),
        world.admin_id,
        clock=clock,
    )


@pytest.fixture
def page(qtbot, services) -> CampaignsPage:
    widget = CampaignsPage(services)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _campaigns(db) -> dict[str, qa.CampaignRow]:
    with db.read() as s:
        return {c.name: c for c in qa.campaigns(s)}


def _by_name(campaign: qa.CampaignRow) -> dict[str, qa.StatusRow]:
    return {st.name: st for st in campaign.statuses}


def _filling(fill: Callable[[QDialog], None], seen: list[QDialog] | None = None):
    """A ``run_dialog`` that fills the dialog and presses OK, as a user would."""

    def run(dialog: QDialog) -> int:
        if seen is not None:
            seen.append(dialog)
        fill(dialog)
        dialog.ok_button.click()  # type: ignore[attr-defined]
        return dialog.result()

    return run


def _select(page: CampaignsPage, campaign: str, status: str | None = None) -> None:
    rows = _campaigns(page.services.db)
    row = rows[campaign]
    page.select_campaign(row.id, _by_name(row)[status].id if status else None)
    assert page.campaign_id() == row.id


# --- campaigns and statuses -----------------------------------------------------------------


def test_the_pages_are_admin_pages(services, qtbot):
    for cls in (CampaignsPage, ActivityTypesPage, SettingsPage):
        widget = cls(services)
        qtbot.addWidget(widget)
        assert isinstance(widget, AdminPage)


def test_the_list_shows_campaigns_with_their_counts(page, world):
    world.in_campaign("Firma A")
    page.reload()
    table = page.campaign_table
    names = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert names == ["Neukunden"]
    assert table.item(0, 2).text() == "5" and table.item(0, 3).text() == "1"
    assert page.status_table.rowCount() == 5


def test_create_a_campaign_add_statuses_and_order_the_next_statuses(page, world, qtbot):
    def new(dialog: CampaignDialog) -> None:
        dialog.name_edit.setText("Messe 2030")
        dialog.description_edit.setPlainText("Besucher des Messestands")
        dialog.start_edit.setText("Besucher")

    page.run_dialog = _filling(new)
    page.new_button.click()
    camp = _campaigns(world.db)["Messe 2030"]
    assert [(s.name, s.is_start) for s in camp.statuses] == [("Besucher", True)]
    assert page.campaign_id() == camp.id  # the new campaign is selected

    for name, color, progress, final in [
        ("Termin", "#1565c0", 40, False),
        ("Auftrag", "#2E7D32", 100, True),
    ]:

        def add(dialog: StatusDialog, name=name, color=color, progress=progress, final=final):
            dialog.name_edit.setText(name)
            dialog.color_button.set_color(color)
            dialog.progress_spin.setValue(progress)
            dialog.final_check.setChecked(final)

        page.run_dialog = _filling(add)
        page.add_status_button.click()
    camp = _campaigns(world.db)["Messe 2030"]
    statuses = _by_name(camp)
    assert [(s.name, s.color.upper(), s.progress, s.is_final) for s in camp.statuses] == [
        ("Besucher", "#808080", 0, False),
        ("Termin", "#1565C0", 40, False),
        ("Auftrag", "#2E7D32", 100, True),
    ]
    assert page.status_id() == statuses["Auftrag"].id  # the added status is selected

    # Allowed next statuses of "Besucher": Auftrag first (the default), then Termin.
    page.select_status(statuses["Besucher"].id)
    editor = page.next_editor
    termin, auftrag = statuses["Termin"].id, statuses["Auftrag"].id
    assert editor.status_id == statuses["Besucher"].id and not editor.save_button.isEnabled()
    editor.set_checked(auftrag, True)
    editor.set_checked(termin, True)
    assert editor.checked_ids() == [termin, auftrag]  # the campaign's order at first
    editor.select(auftrag)
    editor.up_button.click()
    assert editor.checked_ids() == [auftrag, termin]
    editor.up_button.click()  # (already first: stays)
    editor.down_button.click()
    assert editor.checked_ids() == [termin, auftrag]
    assert editor.list.item(0).text() == "Termin (default)"
    editor.select(termin)
    editor.down_button.click()
    assert editor.checked_ids() == [auftrag, termin]
    assert editor.list.item(0).text() == "Auftrag (default)"
    assert editor.list.item(0).font().bold() and not editor.list.item(1).font().bold()
    assert editor.save_button.isEnabled()
    editor.save_button.click()
    after = _by_name(_campaigns(world.db)["Messe 2030"])["Besucher"]
    assert after.next_ids == (auftrag, termin) and after.default_next_id == auftrag
    qtbot.waitUntil(lambda: not editor.save_button.isEnabled())
    assert editor.checked_ids() == [auftrag, termin]

    # Move "Auftrag" up: it is second now.
    page.select_status(statuses["Auftrag"].id)
    page.up_button.click()
    qtbot.waitUntil(lambda: page.status_table.item(1, 0).text() == "Auftrag")
    names = [s.name for s in _campaigns(world.db)["Messe 2030"].statuses]
    assert names == ["Besucher", "Auftrag", "Termin"]


def test_edit_a_status_and_a_campaign(page, world, qtbot):
    _select(page, "Neukunden", "Angebot")

    def edit(dialog: StatusDialog) -> None:
        assert dialog.name_edit.text() == "Angebot"
        dialog.name_edit.setText("Angebot versandt")
        dialog.active_check.setChecked(False)

    page.run_dialog = _filling(edit)
    page.edit_status_button.click()
    status = _by_name(_campaigns(world.db)["Neukunden"])["Angebot versandt"]
    assert not status.is_active

    page.run_dialog = _filling(lambda d: d.name_edit.setText("Neukunden Nord"))
    page.edit_button.click()
    assert "Neukunden Nord" in _campaigns(world.db)
    qtbot.waitUntil(lambda: page.campaign_table.item(0, 0).text() == "Neukunden Nord")


def test_a_refused_campaign_keeps_the_dialog_and_its_input(page, world):
    seen: list[QDialog] = []

    def new(dialog: CampaignDialog) -> None:
        dialog.name_edit.setText("Neukunden")  # taken
        dialog.set_template("customer_care")

    page.run_dialog = _filling(new, seen)
    page.new_button.click()
    (dialog,) = seen
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert not dialog.message.isHidden()
    assert "Neukunden" in dialog.message.text()
    assert dialog.name_edit.text() == "Neukunden" and dialog.template_key() == "customer_care"
    assert list(_campaigns(world.db)) == ["Neukunden"]
    # Corrected, the same dialog saves: a campaign with the template's statuses.
    dialog.name_edit.setText("Pflege")
    dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert [s.name for s in _campaigns(world.db)["Pflege"].statuses] == [
        "Aktiv", "Cross-Selling", "Gefährdet", "Verloren",
    ]  # fmt: skip


def test_duplicate_copies_statuses_and_workflow(page, world):
    world.in_campaign()
    _select(page, "Neukunden")
    page.run_dialog = _filling(lambda d: d.name_edit.setText("Neukunden 2031"))
    page.duplicate_button.click()
    rows = _campaigns(world.db)
    source, copy = rows["Neukunden"], rows["Neukunden 2031"]
    assert page.campaign_id() == copy.id
    assert [(s.name, s.color, s.progress, s.is_final, s.is_start) for s in copy.statuses] == [
        (s.name, s.color, s.progress, s.is_final, s.is_start) for s in source.statuses
    ]
    names = {st.id: st.name for st in (*source.statuses, *copy.statuses)}
    assert [[names[i] for i in st.next_ids] for st in copy.statuses] == [
        [names[i] for i in st.next_ids] for st in source.statuses
    ]
    assert {i for st in copy.statuses for i in st.next_ids} <= {st.id for st in copy.statuses}
    assert copy.records == 0 and source.records == 1


def test_merging_a_status_moves_memberships_and_history(page, world, qtbot):
    nf = NextFollowUp(world.today + timedelta(days=3))
    records = [world.in_campaign(f"Firma {i}") for i in range(3)]
    for rid in records[:2]:
        world.sales.log_activity(
            LogActivity(record_id=rid, subject="Kontakt", next_follow_up=nf,
                        status_changes={world.campaign_id: world.status["Kontaktiert"]})
        )  # fmt: skip
    merged, into = world.status["Kontaktiert"], world.status["Angebot"]
    page.reload()
    _select(page, "Neukunden", "Kontaktiert")
    seen: list[QDialog] = []

    def merge(dialog: MergeDialog) -> None:
        assert dialog.into_combo.count() == 4  # the campaign's other statuses
        dialog.set_into(into)

    page.run_dialog = _filling(merge, seen)
    page.merge_button.click()
    (dialog,) = seen
    text = dialog.counts_label.text()
    assert "records in this status: 2," in text and "status history: 2." in text
    assert dialog.result() == QDialog.DialogCode.Accepted
    with world.db.read() as s:
        cm, sc = m.CampaignMembership, m.StatusChange
        statuses = dict(s.execute(select(cm.record_id, cm.status_id)).all())
        assert [statuses[r] for r in records] == [into, into, world.status["Lead"]]
        assert not s.scalar(
            select(func.count()).where((sc.to_status_id == merged) | (sc.from_status_id == merged))
        )
        assert s.scalar(select(func.count()).where(sc.to_status_id == into)) == 2
        assert s.get(m.CampaignStatus, merged) is None
        assert qa.merge_counts(s, into) == qa.MergeCounts(memberships=2, history=2)
    camp = _campaigns(world.db)["Neukunden"]
    assert "Kontaktiert" not in _by_name(camp)
    assert _by_name(camp)["Lead"].next_ids == (into, world.status["Kein Interesse"])
    qtbot.waitUntil(lambda: page.status_table.rowCount() == 4)  # reloaded on the summary


def test_reactivation_warns_how_many_records_become_dead(page, world, qtbot):
    world.in_campaign("Lebendig")
    dead = world.in_campaign("Bald tot")
    with world.db.read() as s:
        fu = s.scalar(select(m.FollowUp.id).where(m.FollowUp.record_id == dead))
    world.lax.cancel_follow_up(fu, expected_version=1)
    _select(page, "Neukunden")
    asked: list[str] = []
    page.confirm = lambda _title, text: asked.append(text) or False
    page.active_button.click()  # deactivate: no question
    assert asked == [] and not _campaigns(world.db)["Neukunden"].active
    qtbot.waitUntil(lambda: page.campaign_table.item(0, 1).text() == "no")
    assert page.active_button.text() == "&Activate …"

    page.active_button.click()  # asked, and "No"
    assert len(asked) == 1 and "makes 1 of its records dead" in asked[0]
    assert not _campaigns(world.db)["Neukunden"].active
    page.confirm = lambda _title, text: asked.append(text) or True
    page.active_button.click()
    assert _campaigns(world.db)["Neukunden"].active


# --- activity types ----------------------------------------------------------------------


def test_icon_chooser_offers_a_selection_and_searches_the_set(qtbot, qapp):
    chooser = IconChooser("mdi6.phone")
    qtbot.addWidget(chooser)
    assert chooser.icon() == "mdi6.phone"
    assert chooser.grid.count() > 20
    chooser.search.setText("store")
    found = [
        chooser.grid.item(i).data(Qt.ItemDataRole.UserRole + 1) for i in range(chooser.grid.count())
    ]
    assert "mdi6.store-outline" in found and all("store" in n for n in found)
    chooser.search.setText("zzzz-no-such-icon")
    assert chooser.grid.count() == 0 and not chooser.ok_button.isEnabled()


def test_create_an_activity_type_with_an_icon_and_move_it(qtbot, services, world):
    page = ActivityTypesPage(services)
    qtbot.addWidget(page)
    before = page.table.rowCount()

    def new(dialog) -> None:
        dialog.name_edit.setText("Messe")

        def choose(chooser: IconChooser) -> bool:
            chooser.search.setText("store outline")
            chooser.set_icon("mdi6.store-outline")
            return True

        dialog.icon_button.run_chooser = choose
        dialog.icon_button.click()
        assert dialog.icon_button.icon_name() == "mdi6.store-outline"

    page.run_dialog = _filling(new)
    page.new_button.click()
    with world.db.read() as s:
        types = qa.activity_types(s)
    assert (types[-1].name, types[-1].icon, types[-1].active) == (
        "Messe",
        "mdi6.store-outline",
        True,
    )
    assert page.table.rowCount() == before + 1 and page.current().name == "Messe"
    page.up_button.click()
    with world.db.read() as s:
        names = [t.name for t in qa.activity_types(s)]
    assert names[-2:] == ["Messe", types[-2].name]
    assert page.current().name == "Messe"

    # Deactivating the last active type is refused in the dialog.
    def off(dialog) -> None:
        dialog.active_check.setChecked(False)

    seen: list[QDialog] = []
    for row in list(page.rows):
        page.select(row.id)
        page.run_dialog = _filling(off, seen)
        page.edit_button.click()
    assert seen[-1].message.text() == "At least one activity type must stay active."
    assert [d.result() == QDialog.DialogCode.Accepted for d in seen] == [True] * (len(seen) - 1) + [
        False
    ]
    assert not seen[-1].active_check.isChecked()  # the input stays
    with world.db.read() as s:
        assert sum(t.active for t in qa.activity_types(s)) == 1


# --- system settings -------------------------------------------------------------------


@pytest.fixture
def settings_page(qtbot, services) -> SettingsPage:
    widget = SettingsPage(services)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _settings(db) -> qa.SettingsRow:
    with db.read() as s:
        return qa.system_settings(s)


def test_settings_are_saved(settings_page, world, qtbot):
    page = settings_page
    assert page.day_checks[5].isChecked() and not page.day_checks[6].isChecked()
    assert not page.save_button.isEnabled()
    page.company_edit.setText("Muster GmbH")
    page.company_edit.textEdited.emit("Muster GmbH")
    page.days_spin.setValue(10)
    page.recurring_check.setChecked(False)
    page.day_checks[5].setChecked(False)  # Friday off
    page.day_checks[6].setChecked(True)  # Saturday on
    page.region_combo.set_region("DE-BY")
    page.language_combo.setCurrentIndex(page.language_combo.findData("en"))
    page.phone_region_combo.setCurrentIndex(page.phone_region_combo.findData("CH"))
    assert page.save_button.isEnabled()
    page.save_button.click()
    row = _settings(world.db)
    assert (row.company_name, row.default_follow_up_days, row.recurring_follow_ups) == (
        "Muster GmbH", 10, False,
    )  # fmt: skip
    assert row.working_days == frozenset({0, 1, 2, 3, 5})
    assert (row.holiday_region, row.default_language) == ("DE-BY", "en")
    assert row.phone_region == "CH"
    assert page.version == row.version and not page.save_button.isEnabled()
    assert "saved" in page.message.text()


def test_a_stale_save_is_refused_and_keeps_the_input(settings_page, world, qtbot):
    page = settings_page
    shown = _settings(world.db)
    # Someone else changes the settings after the page read them.
    world.admin.update_system_settings(
        SettingsData(company_name="Andere AG", default_follow_up_days=3),
        expected_version=shown.version,
    )
    page.company_edit.setText("Meine GmbH")
    page.days_spin.setValue(14)
    page.save_button.click()
    assert "changed by someone else" in page.message.text()
    assert page.company_edit.text() == "Meine GmbH" and page.days_spin.value() == 14
    assert page.reload_button.isVisible()
    stored = _settings(world.db)
    assert (stored.company_name, stored.default_follow_up_days) == ("Andere AG", 3)
    page.reload_button.click()
    assert page.company_edit.text() == "Andere AG" and page.days_spin.value() == 3
    assert page.version == stored.version and not page.reload_button.isVisible()
    page.days_spin.setValue(5)
    page.save_button.click()
    assert _settings(world.db).default_follow_up_days == 5


def test_an_invalid_setting_is_refused_with_the_input_kept(settings_page, world):
    page = settings_page
    for check in page.day_checks.values():
        check.setChecked(False)
    page.company_edit.setText("Ohne Arbeitstage")
    page.save_button.click()
    assert page.message.isVisible() and page.message.text()
    assert page.company_edit.text() == "Ohne Arbeitstage"
    assert not any(c.isChecked() for c in page.day_checks.values())
    assert _settings(world.db).company_name is None


def test_a_change_elsewhere_does_not_overwrite_unsaved_input(settings_page, services, world, qtbot):
    page = settings_page
    page.company_edit.setText("Entwurf")
    page.company_edit.textEdited.emit("Entwurf")
    services.change(
        lambda c: c.update_system_settings(
            SettingsData(company_name="Zentrale"), expected_version=page.version
        )
    )
    qtbot.waitUntil(lambda: page.reload_button.isVisible())
    assert page.company_edit.text() == "Entwurf"
    assert "changed elsewhere" in page.message.text()
