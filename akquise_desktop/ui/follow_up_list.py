"""Meine Wiedervorlagen: the follow-up list (skeleton; being built)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from .services import Services


class FollowUpListView(QWidget):
    """Open follow-ups of me / my team / a chosen user, grouped by due."""

    record_requested = Signal(int)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        QVBoxLayout(self)
