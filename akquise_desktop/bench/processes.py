"""Measurements that need a fresh process: cold start, its floor, peak memory.

Run as ``AKQUISE_DB=URL python -m akquise_desktop.bench.processes MODE [...]``
(the URL, with any password, in the environment: a command line is visible in
every process list); the child prints ``READY`` when its goal is reached, then
one JSON line, and exits. The parent (:func:`measure`) times from spawning the process to the
``READY`` line, so interpreter start and every import count.

* ``app``: the real start — database check, user, QApplication, the main
  window with all its views — until the follow-up list ("Meine
  Wiedervorlagen", the first screen) has its first page of rows.
* ``floor``: what no desktop app can avoid: import PySide6 and SQLAlchemy,
  open the same database, run one SELECT, show an empty window.
* ``memory``: the real start, then the record list scrolled 20 pages (rows
  fetched as they become visible) and a record opened with its timeline;
  reports the peak resident set size.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

TIMEOUT_S = 120
READY = "READY"
DB_ENV = "AKQUISE_DB"  # as the application reads it (storage/url.py)
# The application's own URL settings (storage/postgres.py SERVER_SETTINGS), which
# libpq would refuse: the floor connects without them.
APP_URL_SETTINGS = ("statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout")


def child_env(config_dir: str, url: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    if url is not None:
        env[DB_ENV] = url
    # A fresh settings store: the app opens on its first screen, not the last view.
    env["XDG_CONFIG_HOME"] = config_dir
    if sys.platform.startswith("linux") and not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.pop("AKQUISE_QUIT_AFTER_START", None)
    # The warm-up runs compile the bytecode the timed runs load, as an installed
    # program's is compiled at installation; a PYTHONDONTWRITEBYTECODE inherited
    # from the shell would have every run compile the application's modules again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def measure(mode: str, url: str, *extra: str) -> dict[str, Any]:
    """Run one child; its wall time to READY in ms plus what it reported."""
    with tempfile.TemporaryDirectory(prefix="akquise-bench-") as config:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "akquise_desktop.bench.processes", mode, *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=child_env(config, url),
        )
        ready_ms = None
        report: dict[str, Any] = {}
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                if line.strip() == READY and ready_ms is None:
                    ready_ms = (time.perf_counter() - started) * 1000
                elif line.startswith("{"):
                    report = json.loads(line)
            proc.wait(timeout=TIMEOUT_S)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        err = proc.stderr.read() if proc.stderr else ""
        if ready_ms is None or proc.returncode != 0:
            tail = err.strip().splitlines()[-1:] or ["no output"]
            raise RuntimeError(f"{mode} process failed ({proc.returncode}): {tail[0]}")
        return {"ms": ready_ms, **report}


# --- the children ---------------------------------------------------------------------


def _ready(extra: dict[str, Any] | None = None) -> None:
    """Report and leave at once: the measurement is done, and shutting down
    (waiting for database work still queued) is not part of it."""
    print(READY, flush=True)
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if sys.platform == "darwin":
        rss //= 1024  # bytes there, KiB on Linux
    print(json.dumps({"maxrss_kb": rss, **(extra or {})}), flush=True)
    sys.stderr.flush()
    os._exit(0)


def _floor(url: str) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    engine = create_engine(make_url(url).difference_update_query(APP_URL_SETTINGS))
    with engine.connect() as conn:
        conn.execute(text("SELECT count(*) FROM app_user")).scalar()
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()

    def ready() -> None:
        _ready()
        app.quit()

    QTimer.singleShot(0, ready)
    code = app.exec()
    engine.dispose()
    return code


def _start(url: str, login: str):
    """What ``akquise-desktop --db URL --user LOGIN`` does up to ``app.exec()``."""
    from akquise_desktop import startup

    startup.pause_gc()  # as cli.main does for the GUI
    from akquise_desktop.storage import Database

    db = Database(url)
    db.open(create=False)
    from akquise_desktop.queries.users import acting_user_id

    with db.read() as s:  # as the command does (cli._acting_user), before the GUI's imports
        user_id = acting_user_id(s, login, strict=True)
    from akquise_desktop.ui.app import Application, create_application
    from akquise_desktop.ui.settings import Settings

    app = create_application()
    application = Application(db, user_id, Settings(), lang=None)
    application.window.show()
    return app, application


def _when(signal, action: Callable[[], None]) -> None:
    """Run ``action`` once, after the next emission of ``signal`` has been handled."""
    from PySide6.QtCore import QTimer

    fired: list[bool] = []

    def once(*_args) -> None:
        if not fired:
            fired.append(True)
            QTimer.singleShot(0, action)

    signal.connect(once)


def _app(url: str, login: str) -> int:
    app, application = _start(url, login)
    window = application.window
    if window.current_page() != "follow_ups":
        raise SystemExit(f"first screen is {window.current_page()!r}, not the follow-ups")
    model = window.follow_up_list.model
    rows: dict[str, Any] = {}

    def done() -> None:
        rows["follow_up_rows"] = model.rowCount()
        _ready(rows)
        app.quit()

    _when(model.loaded, done)
    try:
        return app.exec()
    finally:
        application.shutdown()


def _memory(url: str, login: str, record_id: int, pages: int) -> int:
    from PySide6.QtCore import QTimer

    app, application = _start(url, login)
    window = application.window
    report: dict[str, Any] = {"pages": 0}
    state = {"page": 0, "waits": 0}

    def records_view() -> None:
        window.show_view("records")
        model = window.record_list.model
        if model.rowCount() > 0:
            QTimer.singleShot(0, scroll)
        else:
            _when(model.loaded, scroll)

    def visible_rows_loaded() -> bool:
        """No page of the list is still on its way (the view asks for the next
        page itself when scrolled to the end of the rows loaded)."""
        return not window.record_list.model.loading

    def scroll() -> None:
        table = window.record_list.table
        bar = table.verticalScrollBar()
        if state["page"] and not visible_rows_loaded() and state["waits"] < 2000:
            state["waits"] += 1
            QTimer.singleShot(1, scroll)
            return
        if state["page"] >= pages:
            report["pages"] = state["page"]
            report["records_rows"] = window.record_list.model.rowCount()
            open_record()
            return
        state["page"] += 1
        bar.setValue(bar.value() + bar.pageStep())
        QTimer.singleShot(0, scroll)

    def open_record() -> None:
        _when(window.record_view.timeline.timeline.loaded, finish)
        window.open_record(record_id)

    def finish() -> None:
        report["record_id"] = record_id
        report["timeline_rows"] = window.record_view.timeline.timeline.rowCount()
        _ready(report)
        app.quit()

    _when(window.follow_up_list.model.loaded, records_view)
    try:
        return app.exec()
    finally:
        application.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m akquise_desktop.bench.processes")
    parser.add_argument("mode", choices=["app", "floor", "memory"])
    parser.add_argument("--user", default="")
    parser.add_argument("--record", type=int, default=0)
    parser.add_argument("--pages", type=int, default=20)
    args = parser.parse_args(argv)
    url = os.environ.get(DB_ENV)
    if not url:
        parser.error(f"the database URL comes from ${DB_ENV}")
    if args.mode == "floor":
        return _floor(url)
    if args.mode == "app":
        return _app(url, args.user)
    return _memory(url, args.user, args.record, args.pages)


if __name__ == "__main__":
    sys.exit(main())
