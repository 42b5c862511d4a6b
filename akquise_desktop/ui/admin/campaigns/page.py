"""Verwaltung › Kampagnen: the campaigns (name, active, statuses, records) —
new, edit, duplicate (with statuses and workflow), switch on or off — and the
selected campaign's statuses: order, name, colour, progress, active, final,
start; the allowed next statuses of the selected status; deleting a status by
merging it into another.

Switching a campaign back on first reads how many of its records would become
dead (:func:`akquise_desktop.queries.admin.dead_if_active`) and asks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop.controller.commands import StatusSpec
from akquise_desktop.core.changes import ChangeSummary, Entity
from akquise_desktop.queries import admin as qa

from ...common import format_number, icon, status_swatch
from ...services import Services
from ..page import AdminPage
from .dialogs import (
    CENTER,
    RIGHT,
    CampaignDialog,
    FormDialog,
    IdRole,
    MergeDialog,
    StatusDialog,
    make_table,
    row_with_buttons,
    table_item,
)
from .next_statuses import NextStatusesEditor


def _ask(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


class CampaignsPage(AdminPage):
    """Campaigns, their statuses and workflow."""

    WATCHED = (Entity.CAMPAIGN, Entity.CAMPAIGN_STATUS, Entity.MEMBERSHIP)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.setObjectName("adminCampaigns")
        self.rows: tuple[qa.CampaignRow, ...] = ()
        self._pending: tuple[int | None, int | None] = (None, None)
        #: Runs a dialog modally (tests replace it to fill and press OK).
        self.run_dialog: Callable[[QDialog], object] = lambda dialog: dialog.exec()
        #: Asks a yes/no question (tests replace it).
        self.confirm: Callable[[str, str], bool] = lambda title, text: _ask(self, title, text)

        # --- campaigns ---
        self.campaign_table = make_table(
            [self.tr("Campaign"), self.tr("Active"), self.tr("Statuses"), self.tr("Records")],
            "campaignTable",
        )
        self.new_button = QPushButton(icon("mdi6.plus"), self.tr("&New campaign …"))
        self.edit_button = QPushButton(icon("mdi6.pencil-outline"), self.tr("&Edit …"))
        self.duplicate_button = QPushButton(icon("mdi6.content-copy"), self.tr("D&uplicate …"))
        self.active_button = QPushButton(self.tr("Deactivate"))
        campaigns_box = QGroupBox(self.tr("Campaigns"))
        box = QVBoxLayout(campaigns_box)
        box.addWidget(self.campaign_table, 1)
        box.addLayout(
            row_with_buttons(
                self.new_button, self.edit_button, self.duplicate_button, self.active_button
            )
        )

        # --- statuses ---
        self.status_table = make_table(
            [self.tr("Status"), self.tr("Progress"), self.tr("Active"), self.tr("Final"),
             self.tr("Start"), self.tr("Records")],
            "statusTable",
        )  # fmt: skip
        self.add_status_button = QPushButton(icon("mdi6.plus"), self.tr("&Add status …"))
        self.edit_status_button = QPushButton(
            icon("mdi6.pencil-outline"), self.tr("Edit s&tatus …")
        )
        self.up_button = QPushButton(icon("mdi6.arrow-up"), "")
        self.up_button.setToolTip(self.tr("Move the status up"))
        self.down_button = QPushButton(icon("mdi6.arrow-down"), "")
        self.down_button.setToolTip(self.tr("Move the status down"))
        self.merge_button = QPushButton(icon("mdi6.call-merge"), self.tr("&Delete (merge into) …"))
        self.status_box = QGroupBox(self.tr("Statuses"))
        status_layout = QVBoxLayout(self.status_box)
        status_layout.addWidget(self.status_table, 1)
        status_layout.addLayout(
            row_with_buttons(
                self.add_status_button, self.edit_status_button, self.up_button,
                self.down_button, self.merge_button,
            )
        )  # fmt: skip
        self.next_editor = NextStatusesEditor()

        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.status_box)
        lower.addWidget(self.next_editor)
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 2)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(campaigns_box)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)

        self.campaign_table.itemSelectionChanged.connect(self._campaign_selected)
        self.campaign_table.itemDoubleClicked.connect(lambda _item: self.edit_campaign())
        self.status_table.itemSelectionChanged.connect(self._status_selected)
        self.status_table.itemDoubleClicked.connect(lambda _item: self.edit_status())
        self.new_button.clicked.connect(self.new_campaign)
        self.edit_button.clicked.connect(self.edit_campaign)
        self.duplicate_button.clicked.connect(self.duplicate_campaign)
        self.active_button.clicked.connect(self.toggle_active)
        self.add_status_button.clicked.connect(self.add_status)
        self.edit_status_button.clicked.connect(self.edit_status)
        self.up_button.clicked.connect(lambda: self.move_status(-1))
        self.down_button.clicked.connect(lambda: self.move_status(1))
        self.merge_button.clicked.connect(self.merge_status)
        self.next_editor.save_requested.connect(self._save_next)
        self._update_buttons()
        self.reload()

    # --- reading ---------------------------------------------------------------------

    def reload(self) -> None:
        self.read(qa.campaigns, self._arrived)

    def _arrived(self, rows: tuple[qa.CampaignRow, ...]) -> None:
        campaign_id = self.campaign_id()
        status_id = self.status_id()
        self.rows = rows
        table = self.campaign_table
        table.blockSignals(True)
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            name = table_item(row.name, row.id)
            name.setIcon(icon("mdi6.flag-outline", "#37474F" if row.active else "#9E9E9E"))
            if row.description:
                name.setToolTip(row.description)
            if not row.active:
                name.setForeground(self.palette().placeholderText())
            table.setItem(r, 0, name)
            active = self.tr("yes") if row.active else self.tr("no")
            table.setItem(r, 1, table_item(active, align=CENTER))
            table.setItem(r, 2, table_item(format_number(len(row.statuses)), align=RIGHT))
            table.setItem(r, 3, table_item(format_number(row.records), align=RIGHT))
        table.blockSignals(False)
        self.select_campaign(campaign_id if campaign_id is not None else None, status_id)

    # --- selection -------------------------------------------------------------------

    def campaign_id(self) -> int | None:
        row = self.campaign_table.currentRow()
        item = self.campaign_table.item(row, 0) if row >= 0 else None
        return item.data(IdRole) if item is not None else None

    def campaign(self) -> qa.CampaignRow | None:
        campaign_id = self.campaign_id()
        return next((c for c in self.rows if c.id == campaign_id), None)

    def status_id(self) -> int | None:
        row = self.status_table.currentRow()
        item = self.status_table.item(row, 0) if row >= 0 else None
        return item.data(IdRole) if item is not None else None

    def status(self) -> qa.StatusRow | None:
        campaign = self.campaign()
        status_id = self.status_id()
        return campaign.status(status_id) if campaign and status_id is not None else None

    def select_campaign(self, campaign_id: int | None, status_id: int | None = None) -> None:
        """Select a campaign (default: the first) and one of its statuses."""
        index = next((i for i, c in enumerate(self.rows) if c.id == campaign_id), 0)
        if self.rows:
            self.campaign_table.selectRow(index)
            self.campaign_table.setCurrentCell(index, 0)
        self._fill_statuses(status_id)

    def select_status(self, status_id: int) -> None:
        for r in range(self.status_table.rowCount()):
            item = self.status_table.item(r, 0)
            if item is not None and item.data(IdRole) == status_id:
                self.status_table.setCurrentCell(r, 0)
                self.status_table.selectRow(r)

    def _campaign_selected(self) -> None:
        self._fill_statuses(None)

    def _fill_statuses(self, status_id: int | None) -> None:
        campaign = self.campaign()
        statuses = campaign.statuses if campaign else ()
        self.status_box.setTitle(
            self.tr("Statuses of “{name}”").format(name=campaign.name)
            if campaign
            else self.tr("Statuses")
        )
        table = self.status_table
        table.blockSignals(True)
        table.setRowCount(len(statuses))
        bold = QFont(table.font())
        bold.setBold(True)
        for r, st in enumerate(statuses):
            name = table_item(st.name, st.id)
            name.setIcon(status_swatch(st.color))
            name.setToolTip(st.color)
            if st.is_start:
                name.setFont(bold)
            table.setItem(r, 0, name)
            table.setItem(r, 1, table_item(f"{st.progress} %", align=RIGHT))
            active = self.tr("yes") if st.is_active else self.tr("no")
            table.setItem(r, 2, table_item(active, align=CENTER))
            table.setItem(r, 3, table_item(self.tr("final") if st.is_final else "", align=CENTER))
            table.setItem(r, 4, table_item(self.tr("start") if st.is_start else "", align=CENTER))
            table.setItem(r, 5, table_item(format_number(st.records), align=RIGHT))
        index = next((i for i, st in enumerate(statuses) if st.id == status_id), 0)
        if statuses:
            table.setCurrentCell(index, 0)
            table.selectRow(index)
        table.blockSignals(False)
        self._status_selected()

    def _status_selected(self) -> None:
        campaign = self.campaign()
        self.next_editor.set_status(self.status(), campaign.statuses if campaign else ())
        self._update_buttons()

    def _update_buttons(self) -> None:
        campaign = self.campaign()
        status = self.status()
        for button in (self.edit_button, self.duplicate_button, self.active_button):
            button.setEnabled(campaign is not None)
        self.add_status_button.setEnabled(campaign is not None)
        if campaign is not None and not campaign.active:
            self.active_button.setText(self.tr("&Activate …"))
            self.active_button.setIcon(icon("mdi6.play-circle-outline"))
        else:
            self.active_button.setText(self.tr("Deacti&vate"))
            self.active_button.setIcon(icon("mdi6.pause-circle-outline"))
        row = self.status_table.currentRow()
        count = self.status_table.rowCount()
        self.edit_status_button.setEnabled(status is not None)
        self.up_button.setEnabled(status is not None and row > 0)
        self.down_button.setEnabled(status is not None and row < count - 1)
        self.merge_button.setEnabled(status is not None and count > 1)

    # --- campaigns ---------------------------------------------------------------------

    def _submit(
        self,
        dialog: FormDialog,
        call: Callable[[Any], ChangeSummary],
        then: Callable[[ChangeSummary], None] | None = None,
    ) -> None:
        """OK of ``dialog``: run ``call(controller)``; success closes the dialog."""

        def done(summary: ChangeSummary) -> None:
            dialog.saved(summary)
            if then is not None:
                then(summary)

        self.hide_message()
        self.services.change(call, done, dialog.refused)

    def _select_result(self, summary: ChangeSummary) -> None:
        """Select the campaign a change made (read again at once)."""
        self._pending = (summary.result_id, None)
        self.read(qa.campaigns, self._arrived_selecting)

    def _arrived_selecting(self, rows: tuple[qa.CampaignRow, ...]) -> None:
        self._arrived(rows)
        self.select_campaign(*self._pending)

    def new_campaign(self) -> None:
        dialog = CampaignDialog(self.tr("New campaign"), new=True, parent=self)

        def submit() -> None:
            template = dialog.template()
            statuses = (
                template.statuses
                if template is not None
                else (StatusSpec(dialog.start_name(), is_start=True),)
            )
            name, description = dialog.name(), dialog.description()
            self._submit(
                dialog,
                lambda c: c.create_campaign(name, statuses, description=description),
                self._select_result,
            )

        dialog.submit = submit
        self.run_dialog(dialog)

    def edit_campaign(self) -> None:
        campaign = self.campaign()
        if campaign is None:
            return
        dialog = CampaignDialog(
            self.tr("Edit campaign"),
            name=campaign.name,
            description=campaign.description,
            parent=self,
        )

        def submit() -> None:
            name, description = dialog.name(), dialog.description()
            self._submit(
                dialog, lambda c: c.update_campaign(campaign.id, name, description=description)
            )

        dialog.submit = submit
        self.run_dialog(dialog)

    def duplicate_campaign(self) -> None:
        campaign = self.campaign()
        if campaign is None:
            return
        dialog = CampaignDialog(
            self.tr("Duplicate campaign “{name}”").format(name=campaign.name),
            name=self.tr("{name} (copy)").format(name=campaign.name),
            description=campaign.description,
            parent=self,
        )
        dialog.description_edit.setEnabled(False)
        dialog.description_edit.setToolTip(self.tr("The copy gets the original's description"))

        def submit() -> None:
            name = dialog.name()
            self._submit(
                dialog, lambda c: c.duplicate_campaign(campaign.id, name), self._select_result
            )

        dialog.submit = submit
        self.run_dialog(dialog)

    def toggle_active(self) -> None:
        campaign = self.campaign()
        if campaign is None:
            return
        if campaign.active:
            self.change(lambda c: c.set_campaign_active(campaign.id, False))
            return
        self.read(
            lambda s: qa.dead_if_active(s, campaign.id),
            lambda dead: self._confirm_activation(campaign, dead),
        )

    def reactivation_text(self, name: str, dead: int) -> str:
        if dead:
            return self.tr(
                "Activating “{name}” again makes {count} of its records dead records: they "
                "have a status that is not final and no open follow-up. They will show in "
                "“Dead records”.\n\nActivate the campaign?"
            ).format(name=name, count=format_number(dead))
        return self.tr(
            "Activating “{name}” again makes no record dead: each of its records with a "
            "status that is not final has an open follow-up.\n\nActivate the campaign?"
        ).format(name=name)

    def _confirm_activation(self, campaign: qa.CampaignRow, dead: int) -> None:
        if self.confirm(self.tr("Activate campaign"), self.reactivation_text(campaign.name, dead)):
            self.change(lambda c: c.set_campaign_active(campaign.id, True))

    # --- statuses ----------------------------------------------------------------------

    def add_status(self) -> None:
        campaign = self.campaign()
        if campaign is None:
            return
        dialog = StatusDialog(
            self.tr("New status of “{name}”").format(name=campaign.name), parent=self
        )

        def submit() -> None:
            data = dialog.data()
            self._submit(
                dialog,
                lambda c: c.add_status(campaign.id, data),
                lambda summary: self._select_status_after(campaign.id, summary.result_id),
            )

        dialog.submit = submit
        self.run_dialog(dialog)

    def _select_status_after(self, campaign_id: int, status_id: int | None) -> None:
        self._pending = (campaign_id, status_id)
        self.read(qa.campaigns, self._arrived_selecting)

    def edit_status(self) -> None:
        status = self.status()
        if status is None:
            return
        dialog = StatusDialog(
            self.tr("Edit status “{name}”").format(name=status.name), status, parent=self
        )

        def submit() -> None:
            data = dialog.data()
            self._submit(dialog, lambda c: c.update_status(status.id, data))

        dialog.submit = submit
        self.run_dialog(dialog)

    def move_status(self, step: int) -> None:
        status = self.status()
        if status is None:
            return
        target = self.status_table.currentRow() + step
        if not 0 <= target < self.status_table.rowCount():
            return
        self.change(lambda c: c.move_status(status.id, target))

    def merge_status(self) -> None:
        status = self.status()
        campaign = self.campaign()
        if status is None or campaign is None:
            return
        others = [s for s in campaign.statuses if s.id != status.id]
        self.read(
            lambda s: qa.merge_counts(s, status.id),
            lambda counts: self._merge_dialog(status, others, counts),
        )

    def _merge_dialog(self, status: qa.StatusRow, others, counts: qa.MergeCounts) -> None:
        dialog = MergeDialog(status, others, counts, parent=self)

        def submit() -> None:
            into = dialog.into_id()
            if into is not None:
                self._submit(dialog, lambda c: c.merge_status(status.id, into))

        dialog.submit = submit
        self.run_dialog(dialog)

    def _save_next(self, status_id: int, next_ids: list[int]) -> None:
        self.change(lambda c: c.set_next_statuses(status_id, next_ids))
