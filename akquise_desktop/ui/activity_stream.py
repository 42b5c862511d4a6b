"""Aktivitätsstrom: the system-wide activity feed (skeleton; being built)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from .services import Services


class ActivityStreamView(QWidget):
    """Every activity, newest first, filterable; keyset-paged."""

    record_requested = Signal(int)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        QVBoxLayout(self)
