"""PySide6 wheels built for immortal ``None``/``True`` must not crash Python 3.11.

Run in subprocesses: without the workaround the interpreter aborts, which
would take the whole test session down."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from akquise_desktop.ui import compat

SIGNALS = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if sys.argv[1] == "with":
        import akquise_desktop.ui.compat
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication, QLineEdit

    app = QApplication([])

    class Bus(QObject):
        changed = Signal(object)

    bus = Bus()
    bus.changed.connect(lambda summary: None)
    edit = QLineEdit()
    edit.textChanged.connect(lambda text: None)
    for n in range(30_000):
        bus.changed.emit(n)         # Python emit
        edit.setText(str(n % 10))   # C++ signal into a Python slot
    print("alive")
    """
)


def _run(mode: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-c", SIGNALS, mode],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_many_signals_with_the_workaround():
    result = _run("with")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "alive" in result.stdout


@pytest.mark.skipif(not compat.needed(), reason="None/True are immortal on this Python")
def test_the_workaround_is_applied_and_the_singletons_stay_alive():
    from PySide6.QtCore import QObject, Signal

    class Probe(QObject):
        fired = Signal()

    probe = Probe()
    before = sys.getrefcount(True)
    for _ in range(100):
        probe.fired.emit()
    assert sys.getrefcount(True) > 1 << 39
    assert before - sys.getrefcount(True) <= 100  # the leak itself is PySide6's
    assert compat.apply() is False  # once only
