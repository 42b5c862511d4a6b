"""Empty states: what a list shows instead of an empty table.

:class:`EmptyState` is a centred panel (icon, title, text, buttons) laid over
the viewport of a list's table, following its size. The record list and the
follow-up list each say why they are empty: nothing there yet (and how
something comes) or nothing matching the filter (and how to clear it).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop.queries.follow_ups import Bucket

from .common import icon

ICON_SIZE = 48
MUTED = "#546E7A"


class EmptyState(QWidget):
    """A panel over ``host``'s viewport (hidden until :meth:`show_content`)."""

    def __init__(self, host: QAbstractScrollArea, object_name: str = "emptyState") -> None:
        super().__init__(host)
        self.setObjectName(object_name)
        self.host = host
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)  # as the table it covers
        self.icon_label = QLabel(self)
        self.icon_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel(self)
        self.title.setObjectName("emptyTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.text = QLabel(self)
        self.text.setObjectName("emptyText")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        self.text.setStyleSheet(f"color: {MUTED};")
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(12)
        column = QVBoxLayout()
        column.setSpacing(10)
        column.addStretch(1)
        column.addWidget(self.icon_label)
        column.addWidget(self.title)
        column.addWidget(self.text)
        column.addSpacing(6)
        column.addLayout(self.buttons)
        column.addStretch(2)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(column, 4)
        outer.addStretch(1)
        self._buttons: dict[str, QPushButton] = {}
        host.viewport().installEventFilter(self)
        self.hide()

    def show_content(
        self,
        icon_name: str,
        title: str,
        text: str,
        actions: tuple[tuple[str, str, str, Callable[[], None]], ...] = (),
    ) -> None:
        """Show ``title`` and ``text``, with a button per (key, text, icon, slot)."""
        self.icon_label.setPixmap(icon(icon_name, MUTED).pixmap(ICON_SIZE, ICON_SIZE))
        self.title.setText(title)
        self.text.setText(text)
        self.text.setVisible(bool(text))
        while self.buttons.count():
            item = self.buttons.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.hide()  # (gone now; deleted when the event loop comes round)
                widget.deleteLater()
        self._buttons = {}
        self.buttons.addStretch(1)
        for key, label, icon_name_, slot in actions:
            button = QPushButton(icon(icon_name_), label, self)
            button.setObjectName(f"empty_{key}")
            button.clicked.connect(slot)
            self.buttons.addWidget(button)
            self._buttons[key] = button
        self.buttons.addStretch(1)
        self._follow()
        self.show()
        self.raise_()

    def button(self, key: str) -> QPushButton | None:
        return self._buttons.get(key)

    def button_keys(self) -> list[str]:
        return list(self._buttons)

    def _follow(self) -> None:
        self.setGeometry(self.host.viewport().geometry())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self._follow()
        return False


class RecordListEmptyState(EmptyState):
    """No records at all (new, demo data) or none matching the filter (clear it)."""

    new_record_requested = Signal()
    demo_requested = Signal()
    clear_filter_requested = Signal()
    import_requested = Signal()

    NONE, NO_MATCH = "none", "no_match"

    def __init__(self, host: QAbstractScrollArea) -> None:
        super().__init__(host, "recordListEmpty")
        self.mode: str | None = None
        self.may_import = False  # set by the data tools (the import/export right)
        self._last: tuple[int | None, bool] = (None, False)

    def set_may_import(self, allowed: bool) -> None:
        """Offer "Import" (with the right) and show the state again."""
        self.may_import = allowed
        if self.mode is not None:
            self.update_for(*self._last)

    def update_for(self, count: int | None, filtered: bool) -> None:
        """Show the state for a result of ``count`` records (None: still counting)."""
        self._last = (count, filtered)
        if count is None or count > 0:
            self.mode = None
            self.hide()
        elif filtered:
            self.mode = self.NO_MATCH
            self.show_content(
                "mdi6.filter-remove-outline",
                self.tr("No record matches the filter"),
                self.tr("Change the search or the filters, or clear them to see all records."),
                (
                    (
                        "clear_filter",
                        self.tr("&Clear filter"),
                        "mdi6.filter-off-outline",
                        self.clear_filter_requested.emit,
                    ),
                ),
            )
        else:
            self.mode = self.NONE
            actions: list[tuple[str, str, str, Callable[[], None]]] = [
                (
                    "new_record",
                    self.tr("&New record"),
                    "mdi6.domain-plus",
                    self.new_record_requested.emit,
                ),
            ]
            if self.may_import:
                actions.append(
                    (
                        "import",
                        self.tr("&Import …"),
                        "mdi6.table-arrow-left",
                        self.import_requested.emit,
                    )
                )
            actions.append(
                (
                    "demo",
                    self.tr("Load &demo data"),
                    "mdi6.database-arrow-down-outline",
                    self.demo_requested.emit,
                )
            )
            self.show_content(
                "mdi6.card-account-details-outline",
                self.tr("No records yet"),
                self.tr(
                    "Create your first record, import records from a file, "
                    "or load demo data to try everything out."
                )
                if self.may_import
                else self.tr("Create your first record, or load demo data to try everything out."),
                tuple(actions),
            )


class FollowUpListEmptyState(EmptyState):
    """No open follow-ups for whom the list shows, or none in the chosen period."""

    show_all_requested = Signal()

    NONE, NO_MATCH = "none", "no_match"

    def __init__(self, host: QAbstractScrollArea) -> None:
        super().__init__(host, "followUpListEmpty")
        self.mode: str | None = None
        self.bucket_names = {
            Bucket.OVERDUE: self.tr("Overdue"),
            Bucket.TODAY: self.tr("Today"),
            Bucket.WEEK: self.tr("This week"),
            Bucket.LATER: self.tr("Later"),
        }

    def update_for(self, counts: dict[Bucket, int], bucket: Bucket, whose: str = "") -> None:
        """``counts`` per bucket (empty: not known yet); ``whose`` names the
        list's owner, a team or another user ("" for the user's own list)."""
        total, here = counts.get(Bucket.ALL), counts.get(bucket)
        if total is None or here is None or here > 0:
            self.mode = None
            self.hide()
            return
        explain = self.tr("Follow-ups appear here as soon as an activity sets a next follow-up.")
        if total == 0:
            self.mode = self.NONE
            title = (
                self.tr("No open follow-ups")
                if not whose
                else self.tr("No open follow-ups for {whose}").format(whose=whose)
            )
            self.show_content("mdi6.calendar-check-outline", title, explain)
            return
        self.mode = self.NO_MATCH
        self.show_content(
            "mdi6.calendar-search",
            self.tr("No follow-ups in “{bucket}”").format(bucket=self.bucket_names.get(bucket, "")),
            self.tr("%n open follow-up(s) in other periods.", "", total),
            (
                (
                    "show_all",
                    self.tr("Show &all"),
                    "mdi6.filter-off-outline",
                    self.show_all_requested.emit,
                ),
            ),
        )
