"""Run code in a fresh interpreter: for what only a new process shows (what a
start imports, which modules get loaded)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Mapping


def run_python(code: str, *, env: Mapping[str, str] | None = None) -> str:
    """Run ``code`` in a fresh interpreter; its stdout (it must succeed)."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        env=None if env is None else dict(env),
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout
