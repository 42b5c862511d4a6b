"""The start of the GUI: the cyclic garbage collector paused until the first
screen is up (akquise_desktop.startup), and running again afterwards — also
when the start fails."""

from __future__ import annotations

import gc

import pytest

from akquise_desktop import cli, startup


@pytest.fixture
def gc_running():
    assert gc.isenabled()
    yield
    startup.resume_gc()
    gc.enable()


def test_pause_and_resume_gc(gc_running):
    startup.pause_gc()
    assert not gc.isenabled() and startup.gc_paused()
    startup.pause_gc()  # twice: still one pause
    startup.resume_gc()
    assert gc.isenabled() and not startup.gc_paused()
    startup.resume_gc()  # nothing to resume
    assert gc.isenabled()


def test_resume_leaves_a_collector_alone_that_was_off_before(gc_running):
    gc.disable()
    startup.pause_gc()
    startup.resume_gc()
    assert not gc.isenabled()


def test_a_failed_gui_start_resumes_the_collector(gc_running, capsys, monkeypatch):
    monkeypatch.delenv("AKQUISE_DB", raising=False)
    assert cli.main(["--db", "postgresql://postgres@127.0.0.1:1/akquise"]) != 0
    assert gc.isenabled() and not startup.gc_paused()
    assert "127.0.0.1:1" in capsys.readouterr().err


def test_other_commands_leave_the_collector_running(gc_running, tmp_path, monkeypatch):
    seen = []
    real = cli._db_command
    monkeypatch.setattr(cli, "_db_command", lambda *a: seen.append(gc.isenabled()) or real(*a))
    assert cli.main(["db", "upgrade", "--db", f"sqlite:///{tmp_path}/x.sqlite3"]) == 0
    assert seen == [True]


def test_work_during_a_paused_start_is_collected(monkeypatch):
    """Creating a schema or demo data during the paused start lets the collector
    run: its garbage is not frozen for the life of the program."""
    import gc

    monkeypatch.setattr(startup, "_paused", False)
    was_enabled = gc.isenabled()
    try:
        gc.enable()
        startup.pause_gc()
        with startup.collecting():
            assert gc.isenabled()
            for _ in range(1000):
                a: list = []
                a.append(a)  # a cycle: only the collector frees it
        assert not gc.isenabled() and startup.gc_paused()
        assert gc.collect() == 0  # nothing left behind for the freeze
        startup.resume_gc()
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        if not was_enabled:
            gc.disable()
