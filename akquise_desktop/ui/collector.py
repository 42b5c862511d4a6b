"""Cyclic garbage collection on the GUI thread only.

Python's collector runs on whichever thread happens to allocate when a
generation's threshold is crossed — the database worker's, the live-update
listener's, a connection probe's. When such a collection frees Qt objects
(widgets left in a reference cycle), PySide hands their deletion to the main
thread, and deleting a Qt object whose parent is already gone there crashed the
process (SIGSEGV in ``Shiboken::BindingManager::runDeletionInMainThread``, seen
in the start dialog's tests). So, once the start is over
(:func:`akquise_desktop.startup.resume_gc`), :class:`GuiThreadCollector` turns
the automatic collector off and runs the same collections from a timer on the
GUI thread, generation by generation when its count passes its threshold — the
scheme pyqtgraph's ``GarbageCollector`` uses. Reference counting still frees
everything else at once, on any thread.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

from akquise_desktop import startup

INTERVAL_MS = 1000


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, *, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        self.active = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        """Take over once the start is over (the automatic collector is on
        again), then collect what is due — here, on the GUI thread."""
        if startup.gc_paused():
            return
        if not self.active:
            if not gc.isenabled():
                return  # someone else turned it off: leave it so
            gc.disable()
            self.active = True
        young, middle, old = gc.get_count()
        if young > self.threshold[0]:
            gc.collect(0)
            if middle > self.threshold[1]:
                gc.collect(1)
                if old > self.threshold[2]:
                    gc.collect(2)

    def stop(self) -> None:
        """Give collection back to Python (automatic, any thread)."""
        self._timer.stop()
        if self.active:
            self.active = False
            gc.enable()
