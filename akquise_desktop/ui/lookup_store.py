"""The reference lists (users, teams, campaigns, statuses, activity types),
loaded on the worker once and again whenever a change summary touches them."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from akquise_desktop.core.changes import ChangeSummary
from akquise_desktop.queries import lookups

from .services import Services


class LookupStore(QObject):
    """Holds the current :class:`~akquise_desktop.queries.lookups.Lookups`."""

    changed = Signal(object)  # Lookups

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.current: lookups.Lookups | None = None
        services.bus.changed.connect(self._on_changed)

    def refresh(self) -> None:
        self.services.read(lookups.load, self._loaded)

    def _loaded(self, data: lookups.Lookups) -> None:
        self.current = data
        self.changed.emit(data)

    def _on_changed(self, summary: ChangeSummary) -> None:
        if lookups.affects_lookups(summary):
            self.refresh()
