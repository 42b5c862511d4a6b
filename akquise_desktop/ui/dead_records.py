"""Tote Kunden: records in an active campaign without an open follow-up
(skeleton; being built)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from .services import Services


class DeadRecordsView(QWidget):
    """Dead records with a one-click way to log an activity and a follow-up."""

    record_requested = Signal(int)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        QVBoxLayout(self)
