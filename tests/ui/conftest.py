"""Widget-test fixtures: services over a demo database, with a synchronous worker."""

from __future__ import annotations

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
