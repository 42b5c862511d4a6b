"""The start dialog's result, and "test connection" on a pool thread."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal
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
    """Where probes deliver their results: one object for all probes, made on
    the GUI thread and kept as long as the application (:func:`probe_signals`).
    Nothing a pool thread emits on can be deleted under it — a per-probe object
    would have to die on some thread once its probe is done, and a dialog's
    child dies with the dialog, maybe while its probe still runs. A dialog
    tells its results by the token it started them with; Qt drops its
    connection when it is deleted."""

    done = Signal(object, int, object)  # token, generation, ProbeResult


_signals: ProbeSignals | None = None


def probe_signals() -> ProbeSignals:
    """The application's :class:`ProbeSignals` (made on first use, on the GUI thread)."""
    global _signals
    if _signals is None or not shiboken6.isValid(_signals):
        _signals = ProbeSignals(QCoreApplication.instance())
    return _signals


class ProbeTask:
    """One probe on a thread of its own (:meth:`start`); its result is delivered
    (queued) to the GUI thread through :func:`probe_signals`.

    A plain Python thread, not a ``QRunnable`` on Qt's pool: PySide (6.11)
    crashed when the pool thread dropped the runnable's Python wrapper after
    its run (the wrapper's deletion is handed to the main thread through a
    pending call that jumped to address 0 — seen in the tests, 4 runs in 6)."""

    def __init__(self, token: object, generation: int, url: URL) -> None:
        self.token = token
        self.generation = generation
        self.url = url
        self.signals = probe_signals()

    def start(self) -> None:
        threading.Thread(target=self.run, name="akquise-probe", daemon=True).start()

    def run(self) -> None:
        try:
            result = probe(self.url, require_user=self.url.get_backend_name() != "sqlite")
        except Exception as exc:  # anything unforeseen is shown, never raised on a pool thread
            detail = hide_passwords(f"{type(exc).__name__}: {exc}", self.url)
            result = ProbeResult(Problem.OTHER, detail=detail)
        self.signals.done.emit(self.token, self.generation, result)
