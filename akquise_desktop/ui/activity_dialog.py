"""The activity dialog — the central mask (skeleton; being built)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from .services import Services


class ActivityDialog(QDialog):
    """One dialog, one save: activity, completed follow-ups, status changes,
    the next follow-up."""

    def __init__(
        self,
        services: Services,
        record_id: int,
        *,
        complete_follow_up_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.record_id = record_id
        self.complete_follow_up_id = complete_follow_up_id
        QVBoxLayout(self)
