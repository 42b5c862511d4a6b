"""The Linux bundle: installer/build_linux.sh builds it with PyInstaller and
runs the built binary's --self-test offscreen. Minutes long, so only with
AKQUISE_BUILD_BUNDLE=1 (CI skips it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    os.environ.get("AKQUISE_BUILD_BUNDLE") != "1" or not sys.platform.startswith("linux"),
    reason="builds the PyInstaller bundle (minutes): set AKQUISE_BUILD_BUNDLE=1 (Linux)",
)


def test_the_built_bundle_passes_its_self_test(tmp_path):
    done = subprocess.run(
        ["bash", str(ROOT / "installer" / "build_linux.sh")],
        capture_output=True, text=True, cwd=ROOT, timeout=1800, check=False,
        env={**os.environ, "OUT": str(tmp_path), "PYTHON": sys.executable},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "self-test (bundle)" in done.stdout
    assert "self-test passed" in done.stdout
    bundle = tmp_path / "dist" / "akquise-desktop"
    assert (bundle / "akquise-desktop").exists()
    assert (bundle / "share" / "applications" / "akquise-desktop.desktop").exists()
