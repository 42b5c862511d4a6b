"""The start dialog's result, and "test connection" on a pool thread."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QRunnable, Signal
from sqlalchemy.engine import URL

from akquise_desktop.desktop.profiles import ConnectionProfile
from akquise_desktop.storage.probe import ProbeResult, Problem, probe
from akquise_desktop.storage.url import hide_passwords


@dataclass(frozen=True)
class StartChoice:
    """The accepted choice: the profile, and its URL with the password for
    this session (SQLAlchemy's ``str``/``repr`` of a URL hide it)."""

    profile: ConnectionProfile
    url: URL

    def __repr__(self) -> str:
        return (
            f"StartChoice(profile={self.profile.name!r}, "
            f"url={self.url.render_as_string(hide_password=True)!r})"
        )


class ProbeSignals(QObject):
    done = Signal(int, object)  # generation, ProbeResult


class ProbeTask(QRunnable):
    """One probe on a pool thread; its result is delivered (queued) to the GUI thread."""

    def __init__(self, generation: int, url: URL, signals: ProbeSignals) -> None:
        super().__init__()
        self.generation = generation
        self.url = url
        self.signals = signals  # unparented: lives while the task does, not with the dialog

    def run(self) -> None:
        try:
            result = probe(self.url, require_user=self.url.get_backend_name() != "sqlite")
        except Exception as exc:  # anything unforeseen is shown, never raised on a pool thread
            detail = hide_passwords(f"{type(exc).__name__}: {exc}", self.url)
            result = ProbeResult(Problem.OTHER, detail=detail)
        self.signals.done.emit(self.generation, result)
