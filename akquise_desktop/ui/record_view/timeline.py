"""The record view's timeline panel: the record's history, page by page, and
the detail pane of the chosen entry."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QSplitter, QVBoxLayout, QWidget

from ..services import Services
from ..timeline_view import EntryDetail, TimelineView


class TimelinePanel(QGroupBox):
    """The timeline above, the chosen entry's details below."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Timeline"))
        self.timeline = TimelineView(services, self)
        self.entry_detail = EntryDetail(services, self)
        self.timeline_splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.timeline_splitter.setObjectName("timeline_splitter")
        self.timeline_splitter.addWidget(self.timeline)
        self.timeline_splitter.addWidget(self.entry_detail)
        self.timeline_splitter.setSizes([300, 200])
        timeline_layout = QVBoxLayout(self)
        timeline_layout.addWidget(self.timeline_splitter)
        self.timeline.entry_selected.connect(self.entry_detail.show_entry)
