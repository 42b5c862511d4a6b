"""Widget-test fixtures: services over a demo database, with a synchronous worker."""

from __future__ import annotations

import gc

import pytest

from akquise_desktop.controller import Controller
from akquise_desktop.demo import generate
from akquise_desktop.storage import Database
from akquise_desktop.ui.services import ChangeBus, Services
from akquise_desktop.ui.worker import SyncWorker
from tests.factories import pinned_clock

DEMO_RECORDS = 40


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    db = Database(f"sqlite:///{path}").open()
    generate(db, DEMO_RECORDS, seed=7, clock=pinned_clock())
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return str(path)


@pytest.fixture
def demo_db(_demo_template, tmp_path):
    """A copy of a small demo database (SQLite), fresh for each test."""
    import shutil

    path = tmp_path / "demo.sqlite3"
    shutil.copy(_demo_template, path)
    db = Database(f"sqlite:///{path}")
    yield db
    db.dispose()


@pytest.fixture
def services(qapp, demo_db, clock) -> Services:
    """Services as the app builds them, acting as the demo admin (user 1),
    with a synchronous worker so tests need no waiting, on the pinned clock."""
    return Services(
        demo_db, Controller(demo_db, 1, clock=clock), SyncWorker(), ChangeBus(), 1, clock=clock
    )


@pytest.fixture(autouse=True)
def _collect_widgets_on_the_gui_thread():
    """After each test, Python's cyclic garbage (widgets of the test in reference
    cycles) is collected here, on the GUI thread. Left to chance, a collection
    may run on any thread that allocates — a probe's or a worker's — and PySide
    then hands the wrappers' deletion to the main thread, where deleting a Qt
    object whose parent is gone crashed the run (SIGSEGV in
    ``BindingManager::runDeletionInMainThread``, seen in the start dialog's tests)."""
    yield
    gc.collect()
