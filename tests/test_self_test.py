"""akquise-desktop --self-test, and the link among the command's arguments."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from akquise_desktop import cli
from akquise_desktop.desktop import self_test

ROOT = Path(__file__).resolve().parent.parent


def test_self_test_passes_in_a_fresh_process(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    env.update(AKQUISE_CACHE_DIR=str(tmp_path / "cache"), XDG_CONFIG_HOME=str(tmp_path))
    env.pop("AKQUISE_DB", None)
    done = subprocess.run(
        [sys.executable, "-m", "akquise_desktop", "--self-test"],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for name, _check in self_test.CHECKS:
        assert any(line.startswith(f"ok   {name}:") for line in lines), done.stdout
    assert "keyring: " in done.stdout  # the backend is reported
    assert lines[-1].startswith("self-test passed")
    assert not list(tmp_path.glob("*.sqlite3"))  # nothing left behind here


def test_a_failing_check_fails_the_self_test_with_its_reason(monkeypatch):
    def broken(_tmp: Path) -> str:
        raise self_test.SelfTestError("no German catalogue (looked in /nowhere)")

    monkeypatch.setattr(
        self_test, "CHECKS", [("keyring", self_test.check_keyring), ("translations", broken)]
    )
    out = io.StringIO()
    assert self_test.main(out) == 1
    text = out.getvalue()
    assert "ok   keyring:" in text
    assert "FAIL translations: no German catalogue (looked in /nowhere)" in text
    assert "1 check(s) failed" in text


def test_the_chain_check_in_process(tmp_path):
    assert "next follow-up on" in self_test.check_chain(tmp_path)
    assert "→" in self_test.check_migrations(tmp_path)


def test_the_link_is_taken_out_of_the_arguments():
    assert cli._take_link(["--db", "x.sqlite3", "akquise://record/3"]) == (
        ["--db", "x.sqlite3"],
        "akquise://record/3",
    )
    assert cli._take_link(["AKQUISE://record/3/"]) == ([], "AKQUISE://record/3/")
    assert cli._take_link(["db", "status"]) == (["db", "status"], None)
    args = cli._parser().parse_args(["--self-test"])
    assert args.self_test and not args.register_url_scheme
