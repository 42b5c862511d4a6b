"""The start on a new local database: the first-run wizard comes instead of an
empty app; cancelled, nothing is written and no window opens."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from akquise_desktop import cli
from akquise_desktop import models as m
from akquise_desktop.controller import FirstRun, bootstrap
from akquise_desktop.storage import Database
from akquise_desktop.ui import app, first_run, i18n


@pytest.fixture
def started(tmp_path, monkeypatch, qapp):
    """cli.main's GUI start with the window replaced: the user it would open with."""
    monkeypatch.delenv("AKQUISE_DB", raising=False)
    monkeypatch.delenv("AKQUISE_USER", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    opened: list[int] = []
    monkeypatch.setattr(app, "run", lambda db, user_id, **_: opened.append(user_id) or 0)
    yield opened
    i18n.uninstall()


def count(url: str, table) -> int:
    db = Database(url)
    try:
        with db.read() as s:
            return s.scalar(select(func.count()).select_from(table))
    finally:
        db.dispose()


def test_cancelled_wizard_writes_nothing_and_opens_nothing(tmp_path, started, monkeypatch):
    url = f"sqlite:///{tmp_path}/new.sqlite3"
    asked = []
    monkeypatch.setattr(
        first_run, "run_first_run", lambda db, *, clock, login: asked.append(login) or None
    )
    assert cli.main(["--db", url, "--user", "anna"]) == 0
    assert asked == ["anna"] and started == []
    assert count(url, m.User) == 0
    assert cli.main(["--db", url]) == 0  # the next start asks again
    assert asked == ["anna", None]


def test_finished_wizard_opens_the_window_as_its_administrator(tmp_path, started, monkeypatch):
    url = f"sqlite:///{tmp_path}/new.sqlite3"

    def wizard(db, *, clock, login):
        return bootstrap(db, "anna", "Anna Berg", setup=FirstRun(company_name="Berg GmbH"))

    monkeypatch.setattr(first_run, "run_first_run", wizard)
    assert cli.main(["--db", url]) == 0
    assert len(started) == 1 and count(url, m.User) == 1
    assert count(url, m.Campaign) == 1  # the template's campaign


def test_a_database_with_users_and_demo_starts_skip_the_wizard(tmp_path, started, monkeypatch):
    url = f"sqlite:///{tmp_path}/demo.sqlite3"
    monkeypatch.setattr(first_run, "run_first_run", lambda *a, **k: pytest.fail("the wizard came"))
    assert cli.main(["--db", url, "--demo", "3"]) == 0
    assert cli.main(["--db", url]) == 0
    assert len(started) == 2
