"""The cold-start children's environment: a fresh settings store, and bytecode
written by the warm-up runs (as the runner's warm-up intends), whatever the
calling shell says."""

from __future__ import annotations

from akquise_desktop.bench import processes


def test_child_env_lets_the_warm_up_compile_bytecode(monkeypatch, tmp_path):
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("AKQUISE_QUIT_AFTER_START", "1")
    monkeypatch.setenv("SOMETHING_ELSE", "kept")
    env = processes.child_env(str(tmp_path))
    assert "PYTHONDONTWRITEBYTECODE" not in env
    assert "AKQUISE_QUIT_AFTER_START" not in env
    assert env["XDG_CONFIG_HOME"] == str(tmp_path)
    assert env["SOMETHING_ELSE"] == "kept"
