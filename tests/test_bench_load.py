"""The load test of a shared database (:mod:`akquise_desktop.bench.load`): a
short run on PostgreSQL — the report's shape, no write lost or doubled, the
invariants, every announcement heard, and the run without row-level security
(BYPASSRLS granted for the run and taken back). Times are reported, never
judged here."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import text

from akquise_desktop.bench import load
from akquise_desktop.cli import _parser
from akquise_desktop.core.errors import AkquiseError
from akquise_desktop.storage import Database

from .conftest import reset_database

SAVE_KEYS = {"p50", "p95", "p99", "max", "target_p95"}
SEEN_KEYS = {"p50", "p95", "max", "deliveries", "expected", "missing", "target_p95"}


def _assert_sound(report: dict, clients: int) -> None:
    assert report["clients"] == clients
    assert len(report["saves_per_client"]) == clients
    assert all(n > 0 for n in report["saves_per_client"]), report["saves_per_client"]
    assert report["saves"] == sum(report["saves_per_client"])
    assert set(report["save_ms"]) == SAVE_KEYS
    assert set(report["seen_by_others_ms"]) == SEEN_KEYS
    assert report["save_ms"]["p50"] is not None
    assert report["throughput_per_s"] > 0
    # No write lost or doubled: one activity per reported save, one open follow-up per record.
    assert report["activities_written"] == report["saves"]
    assert report["lost_writes"] == report["doubled_writes"] == 0
    assert report["records_without_exactly_one_open_follow_up"] == 0
    assert report["invariant_violations"] == []
    assert report["errors"] == report["refusals"] == {}
    # Every save was heard by every other client.
    seen = report["seen_by_others_ms"]
    assert seen["expected"] == report["saves"] * (clients - 1)
    assert seen["deliveries"] == seen["expected"] and seen["missing"] == 0
    assert set(report["cpu"]) == {
        "clients_s", "clients_ms_per_save", "server_s", "server_ms_per_save",
    }  # fmt: skip
    assert report["cpu"]["clients_s"] > 0
    assert load.ok(report)


@pytest.mark.postgresql
def test_short_run_with_and_without_rls(pg_superuser_db: Database, tmp_path) -> None:
    reset_database(pg_superuser_db)
    out = io.StringIO()
    path = tmp_path / "load.json"
    code = load.command(
        pg_superuser_db, clients=2, seconds=3, records=2, compare=True, json_path=str(path), out=out
    )
    assert code == 0, out.getvalue()
    result = json.loads(path.read_text())
    with_rls, without = result["runs"]
    assert with_rls["rls"] is True and without["rls"] is False
    assert "BYPASSRLS" in without["connection"]
    for report in (with_rls, without):
        _assert_sound(report, clients=2)
        assert report["teams"] == 1 and report["records_per_client"] == 2
    assert set(result["rls_overhead"]) == {
        "throughput_with_over_without",
        "save_p50_with_over_without",
        "save_p95_with_over_without",
        "without_rls",
    }
    printed = out.getvalue()
    assert "with row-level security" in printed and "without row-level security" in printed
    assert "lost 0, doubled 0" in printed
    # Each client logged in as its own role, and BYPASSRLS was taken back.
    with pg_superuser_db.engine.connect() as conn:
        roles = conn.execute(
            text(
                "SELECT rolname, rolbypassrls, rolcanlogin FROM pg_roles "
                "WHERE rolname = ANY (SELECT login FROM app_user WHERE login LIKE '%\\_load%')"
            )
        ).all()
    assert len(roles) == 4  # two clients in each run
    assert all(can_login and not bypass for _name, bypass, can_login in roles)


def test_sqlite_refused(tmp_path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    try:
        with pytest.raises(AkquiseError, match="PostgreSQL"):
            load.run(db, clients=2, seconds=1)
    finally:
        db.dispose()


def test_percentile_nearest_rank() -> None:
    values = [float(i) for i in range(1, 101)]
    assert load.percentile(values, 50) == 50.0
    assert load.percentile(values, 95) == 95.0
    assert load.percentile([3.0], 95) == 3.0
    assert load.percentile([], 95) is None


def test_command_line() -> None:
    args = _parser().parse_args(
        ["bench-load", "--db", "postgresql://h/x", "--clients", "50", "--seconds", "30",
         "--no-rls", "--json", "out.json"]
    )  # fmt: skip
    assert (args.command, args.clients, args.seconds, args.no_rls, args.json) == (
        "bench-load", 50, 30.0, True, "out.json",
    )  # fmt: skip
    assert args.records == 5 and args.pause == 0.0 and not args.compare
    with pytest.raises(SystemExit):
        _parser().parse_args(["bench-load", "--no-rls", "--compare"])
