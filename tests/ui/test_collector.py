"""The cyclic collector runs on the GUI thread once the start is over."""

from __future__ import annotations

import gc

from akquise_desktop import startup
from akquise_desktop.ui.collector import GuiThreadCollector


def test_takes_over_after_the_start_and_gives_back(qtbot):
    was_enabled, threshold = gc.isenabled(), gc.get_threshold()
    gc.enable()
    startup.pause_gc()
    collector = GuiThreadCollector(interval_ms=10)
    try:
        qtbot.wait(50)
        assert not collector.active  # the start is not over: nothing to take over
        startup.resume_gc()
        qtbot.waitUntil(lambda: collector.active, timeout=2000)
        assert not gc.isenabled()  # collections come from the GUI thread's timer now
        garbage: list = []
        garbage.append(garbage)  # a cycle
        del garbage
        gc.set_threshold(1, *collector.threshold[1:])
        collector.threshold = gc.get_threshold()
        qtbot.waitUntil(lambda: gc.get_count()[0] <= 1, timeout=2000)
    finally:
        collector.stop()
        gc.set_threshold(*threshold)
        gc.unfreeze()
    assert gc.isenabled()
    if not was_enabled:
        gc.disable()
