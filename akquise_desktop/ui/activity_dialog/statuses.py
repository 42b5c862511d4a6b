"""The activity dialog's campaign statuses: per active campaign of the record
its current status and a button for each allowed next status (Folgestatus:
the default one first and in bold, final ones marked). One status per
campaign; clicking the chosen one again unchooses it."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop.queries.activity_form import ActivityForm, MembershipForm, StatusOption

from ..common import status_swatch
from .shared import escape_html


@dataclass
class _StatusRow:
    membership: MembershipForm
    buttons: list[tuple[QPushButton, StatusOption]]

    def chosen(self) -> StatusOption | None:
        return next((opt for b, opt in self.buttons if b.isChecked()), None)


class StatusChooser(QGroupBox):
    """The campaign status changes the activity carries."""

    changed = Signal()  # a status chosen or unchosen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Campaign status"))
        self._status_rows: list[_StatusRow] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.status_scroll = QScrollArea()
        self.status_scroll.setWidgetResizable(True)
        self.status_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.status_area = QWidget()
        self.status_area.setStyleSheet(
            "QPushButton:checked { background-color: #BBDEFB; border: 2px solid #1565C0;"
            " border-radius: 4px; padding: 4px 8px; font-weight: bold; }"
        )
        self.status_layout = QVBoxLayout(self.status_area)
        self.status_layout.setContentsMargins(2, 2, 2, 2)
        self.status_scroll.setWidget(self.status_area)
        layout.addWidget(self.status_scroll)

    def fill(self, form: ActivityForm, keep: dict[int, int]) -> None:
        """A row per campaign of ``form``; ``keep``: campaign id -> status id chosen."""
        while self.status_layout.count():
            item = self.status_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self._status_rows = []
        if not form.memberships:
            label = QLabel(self.tr("The record is in no active campaign."))
            label.setWordWrap(True)
            label.setStyleSheet("color: palette(mid);")
            self.status_layout.addWidget(label)
        for membership in form.memberships:
            self.status_layout.addWidget(self._status_row(membership, keep))
        self.status_layout.addStretch(1)

    def _status_row(self, mem: MembershipForm, keep: dict[int, int]) -> QWidget:
        widget = QWidget()
        layout = QVBoxLayout(widget)
        layout.setContentsMargins(0, 0, 0, 6)
        current = QLabel()
        current.setTextFormat(Qt.TextFormat.RichText)
        current.setText(
            self.tr("<b>{campaign}</b>: now <span style='color:{color}'>■</span> {status}").format(
                campaign=escape_html(mem.campaign_name),
                color=mem.status_color,
                status=escape_html(mem.status_name),
            )
        )
        current.setWordWrap(True)
        layout.addWidget(current)
        buttons_row = QHBoxLayout()
        buttons_row.setSpacing(4)
        row = _StatusRow(mem, [])
        for option in mem.next_statuses:
            text = option.name
            if option.is_final:
                text = self.tr("{status} (final)").format(status=option.name)
            button = QPushButton(status_swatch(option.color), text)
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setObjectName(f"status_{mem.campaign_id}_{option.id}")
            tips = [self.tr("Set the status to “{status}”").format(status=option.name)]
            if option.is_default:
                font = QFont(button.font())
                font.setBold(True)
                button.setFont(font)
                tips.append(self.tr("the default next status"))
            if option.is_final:
                tips.append(self.tr("final: no further follow-up needed"))
            button.setToolTip(" — ".join(tips))
            button.setChecked(keep.get(mem.campaign_id) == option.id)
            button.toggled.connect(
                lambda checked, r=row, b=button: self._status_toggled(r, b, checked)
            )
            row.buttons.append((button, option))
            buttons_row.addWidget(button)
        if not mem.next_statuses:
            none = QLabel(self.tr("No next status allowed."))
            none.setStyleSheet("color: palette(mid);")
            buttons_row.addWidget(none)
        buttons_row.addStretch(1)
        layout.addLayout(buttons_row)
        self._status_rows.append(row)
        return widget

    def _status_toggled(self, row: _StatusRow, button: QAbstractButton, checked: bool) -> None:
        if checked:  # one status per campaign; clicking the chosen one again unchooses it
            for other, _ in row.buttons:
                if other is not button and other.isChecked():
                    other.blockSignals(True)
                    other.setChecked(False)
                    other.blockSignals(False)
        self.changed.emit()

    def chosen_statuses(self) -> dict[int, int]:
        """campaign id -> chosen next status id."""
        result = {}
        for row in self._status_rows:
            chosen = row.chosen()
            if chosen is not None:
                result[row.membership.campaign_id] = chosen.id
        return result

    def status_button(self, campaign_id: int, status_name: str) -> QPushButton:
        """The button that sets ``status_name`` in ``campaign_id`` (for tests and shortcuts)."""
        for row in self._status_rows:
            if row.membership.campaign_id == campaign_id:
                for button, option in row.buttons:
                    if option.name == status_name:
                        return button
        raise KeyError((campaign_id, status_name))

    def chosen_options(self) -> dict[int, StatusOption]:
        """campaign id -> the chosen next status (campaigns without a choice left out)."""
        return {
            row.membership.campaign_id: option
            for row in self._status_rows
            if (option := row.chosen()) is not None
        }

    def focus_chain(self) -> list[QWidget]:
        """The status buttons, in tab order."""
        return [b for row in self._status_rows for b, _ in row.buttons]
