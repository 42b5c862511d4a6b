"""Kampagnen: a read-only overview of the campaigns, their statuses (colour,
progress, final) and how many records are in each status."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop.core.changes import ChangeSummary, Entity
from akquise_desktop.queries import lookups

from . import common
from .services import Services

ShareRole = Qt.ItemDataRole.UserRole + 1  # (fraction 0..1, colour)
CampaignRole = Qt.ItemDataRole.UserRole + 2
StatusRole = Qt.ItemDataRole.UserRole + 3

COL_NAME, COL_COUNT, COL_SHARE, COL_PROGRESS, COL_FINAL = range(5)


class ShareDelegate(QStyledItemDelegate):
    """Paints a bar for a share of records, in the status colour."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().paint(painter, option, index)
        share = index.data(ShareRole)
        if not share:
            return
        rect: QRect = option.rect.adjusted(4, 5, -60, -5)
        if rect.width() <= 0:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#ECEFF1"))
        painter.drawRoundedRect(rect, 3, 3)
        if isinstance(share, list):  # a campaign: all its statuses side by side
            x = rect.left()
            for fraction, color in share:
                width = round(rect.width() * fraction)
                if width > 0:
                    painter.setBrush(QColor(color))
                    painter.drawRect(QRect(x, rect.top(), width, rect.height()))
                    x += width
            painter.restore()
            return
        fraction, color = share
        filled = QRect(rect)
        filled.setWidth(max(1, round(rect.width() * fraction)) if fraction > 0 else 0)
        painter.setBrush(QColor(color))
        if filled.width():
            painter.drawRoundedRect(filled, 3, 3)
        painter.setPen(option.palette.text().color())
        text_rect = QRect(rect.right() + 6, option.rect.top(), 54, option.rect.height())
        painter.drawText(
            text_rect,
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            f"{fraction * 100:.0f} %",
        )
        painter.restore()


class CampaignsView(QWidget):
    """The campaign overview; a status row opens the records in that status."""

    status_requested = Signal(int, int)  # campaign id, status id
    campaign_requested = Signal(int)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("campaigns")
        self.services = services
        self.overview: lookups.CampaignOverview | None = None
        self.hint = QLabel(
            self.tr(
                "Records per campaign status. Press Enter or double-click a status to list "
                "its records."
            ),
            self,
        )
        self.hint.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("campaign_tree")
        self.tree.setHeaderLabels(
            [self.tr("Campaign / status"), self.tr("Records"), self.tr("Share"),
             self.tr("Progress"), self.tr("Final")]
        )  # fmt: skip
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setItemDelegateForColumn(COL_SHARE, ShareDelegate(self.tree))
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_SHARE, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(COL_NAME, 320)
        header.resizeSection(COL_COUNT, 110)
        header.resizeSection(COL_PROGRESS, 110)
        header.resizeSection(COL_FINAL, 80)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.tree, 1)
        self.tree.itemActivated.connect(self._activated)
        self._reload_timer = QTimer(self, singleShot=True, interval=0)
        self._reload_timer.timeout.connect(self.refresh)
        services.bus.changed.connect(self._on_changed)
        self.refresh()

    def refresh(self) -> None:
        self.services.read(lookups.campaign_overview, self._arrived)

    def _on_changed(self, summary: ChangeSummary) -> None:
        if summary.touches(Entity.MEMBERSHIP, Entity.CAMPAIGN, Entity.CAMPAIGN_STATUS) or (
            Entity.RECORD in summary.deleted or summary.unknown(Entity.RECORD)
        ):
            self._reload_timer.start()

    def _arrived(self, overview: lookups.CampaignOverview) -> None:
        self.overview = overview
        expanded = {
            item.data(0, CampaignRole)
            for i in range(self.tree.topLevelItemCount())
            if (item := self.tree.topLevelItem(i)) is not None and item.isExpanded()
        }
        first_load = self.tree.topLevelItemCount() == 0
        current = self.tree.currentItem()
        current_key = (
            (current.data(0, CampaignRole), current.data(0, StatusRole)) if current else None
        )
        self.tree.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for campaign in overview.campaigns:
            total = sum(overview.counts.get(s.id, 0) for s in campaign.statuses)
            weighted = sum(overview.counts.get(s.id, 0) * s.progress for s in campaign.statuses)
            average = round(weighted / total) if total else 0
            name = (
                campaign.name
                if campaign.active
                else self.tr("%1 (inactive)").replace("%1", campaign.name)
            )
            average_text = self.tr("Ø %1 %").replace("%1", str(average))
            top = QTreeWidgetItem([name, common.format_number(total), "", average_text, ""])
            top.setData(0, CampaignRole, campaign.id)
            if total:
                top.setData(
                    COL_SHARE,
                    ShareRole,
                    [(overview.counts.get(st.id, 0) / total, st.color) for st in campaign.statuses],
                )
            top.setTextAlignment(
                COL_PROGRESS, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )
            top.setIcon(
                0, common.icon("mdi6.flag-outline", "#37474F" if campaign.active else "#9E9E9E")
            )
            for col in range(5):
                top.setFont(col, bold)
            top.setTextAlignment(
                COL_COUNT, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )
            top.setToolTip(COL_PROGRESS, self.tr("Average progress of the campaign's records"))
            self.tree.addTopLevelItem(top)
            for status in campaign.statuses:
                count = overview.counts.get(status.id, 0)
                label = (
                    status.name
                    if status.is_active
                    else self.tr("%1 (inactive)").replace("%1", status.name)
                )
                child = QTreeWidgetItem(
                    [label, common.format_number(count), "", f"{status.progress} %",
                     self.tr("final") if status.is_final else ""]
                )  # fmt: skip
                child.setIcon(0, common.status_swatch(status.color))
                child.setData(0, CampaignRole, campaign.id)
                child.setData(0, StatusRole, status.id)
                child.setData(COL_SHARE, ShareRole, (count / total if total else 0.0, status.color))
                child.setTextAlignment(
                    COL_COUNT, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
                child.setTextAlignment(
                    COL_PROGRESS, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
                top.addChild(child)
                if current_key == (campaign.id, status.id):
                    self.tree.setCurrentItem(child)
            top.setExpanded(first_load or campaign.id in expanded)
            if current_key == (campaign.id, None):
                self.tree.setCurrentItem(top)
        first = self.tree.topLevelItem(0)
        if self.tree.currentItem() is None and first is not None:
            self.tree.setCurrentItem(first)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        campaign_id = item.data(0, CampaignRole)
        status_id = item.data(0, StatusRole)
        if status_id is not None:
            self.status_requested.emit(campaign_id, status_id)
        elif campaign_id is not None:
            self.campaign_requested.emit(campaign_id)

    def save_state(self, settings) -> None:
        settings.set_state("campaigns/header", self.tree.header().saveState())

    def restore_state(self, settings) -> None:
        if (state := settings.state("campaigns/header")) is not None:
            self.tree.header().restoreState(state)
