"""Start-up of the GUI: the cyclic garbage collector waits for the first screen.

Importing Qt, SQLAlchemy, the models and the views makes a few hundred thousand
long-lived objects (modules, classes, functions, tables); each of them makes the
collector run again and again over all of them (some 200 collections, 50 ms of a
start), and finds next to nothing to free (under a thousand objects). So the
collector is paused from the start of the command until the first screen's
queries have been answered (:meth:`akquise_desktop.ui.app.Application`), then the
objects made so far are moved out of its sight (:func:`gc.freeze`: they live as
long as the program) and it runs as usual. Reference counting frees memory
throughout; only cycles wait.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_paused = False


def pause_gc() -> None:
    """Pause the cyclic collector (if it runs) until :func:`resume_gc`."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_gc() -> None:
    """End the start-up: freeze what exists, let the collector run again.
    Does nothing when :func:`pause_gc` paused nothing (or it was resumed)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


@contextmanager
def collecting() -> Iterator[None]:
    """Let the collector run during work of a paused start that makes garbage
    (a new database's schema, demo data): else :func:`resume_gc` would freeze
    that garbage for the life of the program."""
    if not _paused:
        yield
        return
    gc.enable()
    try:
        yield
    finally:
        gc.collect()
        gc.disable()


def gc_paused() -> bool:
    return _paused
