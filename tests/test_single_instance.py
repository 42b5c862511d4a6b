"""One instance per OS user and database: the hand-over between two real
processes, a stale socket after a crash, and the app's own second start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from akquise_desktop.desktop import urls
from akquise_desktop.desktop.single_instance import (
    RAISE,
    SingleInstance,
    hand_over,
    server_name,
)

ROOT = Path(__file__).resolve().parent.parent

SERVER = """
import sys
from PySide6.QtCore import QCoreApplication, QTimer
from akquise_desktop.desktop.single_instance import SingleInstance

app = QCoreApplication([])
instance = SingleInstance(sys.argv[1])
print("claimed", instance.claim(), instance.stale_removed, flush=True)

def got(message):
    print("got", repr(message), flush=True)
    if message == "quit":
        QTimer.singleShot(0, app.quit)

instance.set_handler(got)
QTimer.singleShot(60000, app.quit)
app.exec()
instance.close()
"""


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(ROOT),
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        AKQUISE_CACHE_DIR=str(tmp_path / "cache"),
    )
    for name in ("AKQUISE_DB", "AKQUISE_QUIT_AFTER_START", "AKQUISE_QUIT_AFTER_LINK"):
        env.pop(name, None)
    return env


def _python(code: str, *args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )


def _server(name: str, tmp_path: Path) -> subprocess.Popen[str]:
    proc = _python(SERVER, name, env=_env(tmp_path))
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("claimed"), proc.stderr.read() if proc.stderr else line
    return proc


def _hand_over_in_process(name: str, message: str, tmp_path: Path) -> str:
    code = """
        import sys
        from akquise_desktop.desktop.single_instance import hand_over
        print(hand_over(sys.argv[1], sys.argv[2]))
    """
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), name, message],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(tmp_path),
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _unique(tmp_path: Path) -> str:
    return server_name(urls.sqlite_id(tmp_path / "x.sqlite3"))


def test_names_differ_per_user_and_database(tmp_path):
    a, b = urls.sqlite_id(tmp_path / "a"), urls.sqlite_id(tmp_path / "b")
    assert server_name(a, "anna") == server_name(a, "anna")
    assert server_name(a, "anna") != server_name(a, "bert")
    assert server_name(a, "anna") != server_name(b, "anna")
    assert "anna" not in server_name(a, "anna")
    assert len(server_name(a)) < 40  # (a Unix socket path is short)


def test_a_second_process_hands_its_link_to_the_first(tmp_path):
    name = _unique(tmp_path)
    server = _server(name, tmp_path)
    try:
        link = "akquise://record/12?db=sqlite-0123456789abcdef"
        assert _hand_over_in_process(name, link, tmp_path) == "True"
        assert server.stdout is not None
        assert server.stdout.readline().strip() == f"got {link!r}"
        assert _hand_over_in_process(name, RAISE, tmp_path) == "True"
        assert server.stdout.readline().strip() == "got ''"
        assert _hand_over_in_process(name, "quit", tmp_path) == "True"
        assert server.wait(timeout=30) == 0
    finally:
        server.kill()
    # Nobody listens any more: a hand-over says so.
    assert _hand_over_in_process(name, "akquise://record/1", tmp_path) == "False"


def test_the_name_is_taken_while_the_first_runs(qapp, tmp_path):
    name = _unique(tmp_path)
    server = _server(name, tmp_path)
    try:
        second = SingleInstance(name)
        assert second.claim() is False
        assert second.stale_removed is False
    finally:
        server.kill()
        server.wait()


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes leave nothing behind")
def test_a_crashed_instance_leaves_a_stale_socket_that_is_cleaned_up(qapp, tmp_path):
    name = _unique(tmp_path)
    server = _server(name, tmp_path)
    server.send_signal(signal.SIGKILL)
    server.wait()
    assert not hand_over(name, RAISE, timeout_ms=200)  # nobody answers
    instance = SingleInstance(name)
    assert instance.claim() is True
    assert instance.stale_removed is True
    instance.close()


def test_messages_wait_until_a_handler_is_set(qapp, qtbot, tmp_path):
    name = _unique(tmp_path)
    instance = SingleInstance(name)
    assert instance.claim()
    try:
        proc = _python(
            "import sys\nfrom akquise_desktop.desktop.single_instance import hand_over\n"
            "print(hand_over(sys.argv[1], 'akquise://record/5'))",
            name,
            env=_env(tmp_path),
        )
        qtbot.waitUntil(lambda: instance.pending == ["akquise://record/5"], timeout=20000)
        assert proc.communicate(timeout=30)[0].strip() == "True"
        seen: list[str] = []
        instance.set_handler(seen.append)
        assert seen == ["akquise://record/5"] and instance.pending == []
    finally:
        instance.close()


def test_hand_over_refuses_a_message_with_a_line_break():
    with pytest.raises(ValueError):
        hand_over("akquise-none", "a\nb")


# --- the app itself -----------------------------------------------------------------------


@pytest.fixture
def demo_file(tmp_path) -> Path:
    path = tmp_path / "demo.sqlite3"
    done = subprocess.run(
        [sys.executable, "-m", "akquise_desktop", "--db", str(path), "demo", "--records", "5"],
        capture_output=True, text=True, cwd=ROOT, env=_env(tmp_path), timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return path


def test_a_second_start_hands_its_link_to_the_running_app(tmp_path, demo_file):
    env = _env(tmp_path)
    first = subprocess.Popen(
        [sys.executable, "-m", "akquise_desktop", "--db", str(demo_file)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**env, "AKQUISE_QUIT_AFTER_LINK": "1"},
    )  # fmt: skip
    try:
        name = server_name(urls.database_id(make_url(f"sqlite:///{demo_file}")))
        deadline = time.monotonic() + 60
        while not hand_over(name, RAISE, timeout_ms=200):  # (raising the window reports nothing)
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "the first start never listened"
            time.sleep(0.1)
        started = time.monotonic()
        second = subprocess.run(
            [sys.executable, "-m", "akquise_desktop", "--db", str(demo_file),
             "akquise://record/3"],
            capture_output=True, text=True, cwd=ROOT, env=env, timeout=60, check=False,
        )  # fmt: skip
        assert second.returncode == 0, second.stderr
        assert time.monotonic() - started < 30
        out, err = first.communicate(timeout=60)
        assert first.returncode == 0, err
        assert "akquise-desktop: link: opened record 3" in out
    finally:
        first.kill()
