"""The benchmark at a small scale: every operation runs and returns what its bare SQL
returns; the runner, the CLI and the cold-start/memory processes work. Correctness
of results, not timing."""

from __future__ import annotations

import json
import random

import pytest
from sqlalchemy import func, select

from akquise_desktop import models as m
from akquise_desktop.bench import operations, processes, runner
from akquise_desktop.bench.bare import Bare
from akquise_desktop.cli import main
from akquise_desktop.demo.large import generate_large
from akquise_desktop.queries import records
from akquise_desktop.queries.invariants import DEAD_RECORDS, check_invariants

from .factories import TODAY


@pytest.fixture
def small(request, db):
    if not db.is_sqlite:  # the benchmark loads and measures as the superuser
        db = request.getfixturevalue("pg_superuser_db")
    generate_large(db, 0.002, seed=5, today=TODAY)  # 200 records, 4,000 activities
    return db


@pytest.fixture
def context(small):
    raw = small.engine.raw_connection()
    if not small.is_sqlite:
        raw.driver_connection.autocommit = True
    ctx = operations.Context(small, Bare(raw.driver_connection, small.is_sqlite), TODAY,
                             random.Random(1))  # fmt: skip
    operations.pick(ctx, quick=False)
    yield ctx
    if not small.is_sqlite:  # back to the pool as it came, or later writers autocommit
        raw.driver_connection.autocommit = False
    raw.close()


def _follow_up_ids(result: dict) -> dict:
    return {"counts": result["counts"], "rows": [r[0] for r in result["rows"]]}


def test_every_read_agrees_with_its_bare_sql(context):
    ops = {op.key: op for op in operations.build(context, quick=True)}
    assert set(ops) == {
        "search_keystroke", "scroll_next_page", "open_record", "my_follow_ups", "dead_records",
        "activity_stream", "sorted_lists", "log_activity", "phone_lookup",
    }  # fmt: skip
    for op in ops.values():
        assert op.cases, op.key
        if op.key == "phone_lookup":  # no bare SQL: each spelling finds its number's record
            assert all(case.app() for case in op.cases), [c.label for c in op.cases]
            continue
        if op.write or op.key == "sorted_lists":
            continue
        for case in op.cases:
            app, bare = case.app(), case.bare()
            if op.key == "my_follow_ups":
                app, bare = _follow_up_ids(app), _follow_up_ids(bare)
            assert app == bare, (op.key, case.label)
    # Realistic inputs: typing starts with one letter; the biggest record is opened;
    # the scrolled blocks and the dead-records page are not empty.
    labels = [c.label for c in ops["search_keystroke"].cases]
    assert any(len(label) == 3 for label in labels)  # "'x'"
    assert all(c.app() for c in ops["scroll_next_page"].cases[:1])
    assert ops["dead_records"].cases[0].app()["count"] > 0
    with context.db.read() as s:
        biggest = s.scalar(
            select(m.Activity.record_id)
            .group_by(m.Activity.record_id)
            .order_by(func.count().desc(), m.Activity.record_id)
            .limit(1)
        )
    assert context.records[0] == biggest
    opened = ops["open_record"].cases[0].app()
    assert len(opened["timeline"]) == 50  # a full first page


def test_sorted_lists_are_the_sorted_records(context):
    """Each sorted-list case gives the first two pages of the list as sorting
    every match would (records.record_ids, the plain definition)."""
    ops = {op.key: op for op in operations.build(context, quick=True)}
    cases = {c.label: c for c in ops["sorted_lists"].cases}
    assert len(cases) == len(records.SORT_KEYS) * 5
    for sort in records.SORT_KEYS:
        for label, kw in operations.list_filters(context):
            criteria = records.RecordCriteria(sort=sort, **kw)
            with context.db.read() as s:
                expected = records.record_ids(s, criteria)[: 2 * operations.BLOCK]
            assert expected
            assert cases[f"{sort} / {label}"].app() == expected, (sort, label)


def test_a_search_result_is_the_search_semantics(context):
    """The keystroke operation's bare SQL is a second implementation of the search:
    check both against the obvious definition on a word from the data."""
    term = context.search_terms[0].split()[0].lower()
    ids = context.bare.record_ids(term)
    page = [row[0] for row in operations.app_page(context.db, term)]
    with context.db.read() as s:
        expected = set()
        for rid, *fields in s.execute(
            select(m.Record.id, m.Record.name, m.Record.city, m.Record.phone, m.Record.email)
        ):
            if any(term in (f or "").lower() for f in fields):
                expected.add(rid)
        for rid, first, last in s.execute(
            select(m.Contact.record_id, m.Contact.first_name, m.Contact.last_name)
        ):
            if term in (first or "").lower() or term in last.lower():
                expected.add(rid)
    assert set(ids) == expected and expected
    assert page == ids[: operations.BLOCK]


def test_log_activity_cases_write_through_the_controller(context):
    cases = operations.log_activity_cases(context, 4)
    assert len(cases) == 4
    with context.db.read() as s:
        before = s.scalar(select(func.count()).select_from(m.Activity))
    ids = [case.app() for case in cases]
    assert all(isinstance(i, int) for i in ids)
    with context.db.read() as s:
        assert s.scalar(select(func.count()).select_from(m.Activity)) == before + 4
        changes = s.scalar(
            select(func.count())
            .select_from(m.StatusChange)
            .where(m.StatusChange.activity_id.in_(ids))
        )
        assert changes == 4
        assert [v.check for v in check_invariants(s)] in ([], [DEAD_RECORDS])


def test_runner_report_and_table(small):
    settings = runner.Settings(warmup=0, repeat=1, quick=True, processes=False)
    report = runner.run(small, settings, today=TODAY)
    keys = [r["key"] for r in report["results"]]
    assert keys == [
        "search_keystroke", "phone_lookup", "scroll_next_page", "open_record", "my_follow_ups",
        "dead_records", "activity_stream", "sorted_lists", "log_activity",
    ]  # fmt: skip
    for r in report["results"]:
        assert r["app_ms"]["n"] >= 1 and r["app_ms"]["p50"] > 0
        assert r["app_ms"]["p50"] <= r["app_ms"]["p95"] <= r["app_ms"]["max"]
        if r["key"] not in ("log_activity", "sorted_lists", "phone_lookup"):
            assert r["bare_ms"]["p50"] > 0 and r["ratio_p50"] > 0
    search = report["results"][0]
    assert search["slowest_cases_p50_ms"][0]["p50"] >= search["slowest_cases_p50_ms"][-1]["p50"]
    assert report["database"]["records"] == 200
    text = runner.table(report)
    assert "| search-as-you-type" in text and "load average" in text
    json.dumps(report)


def test_percentiles():
    samples = [float(x) for x in range(1, 101)]
    assert runner.percentile(samples, 50) == 50
    assert runner.percentile(samples, 95) == 95
    assert runner.percentile([7.0], 95) == 7
    assert runner.summary([3.0, 1.0, 2.0])["p50"] == 2


def test_cli_bench_writes_json(small, tmp_path, capsys):
    url = small.url.render_as_string(hide_password=False)
    out = tmp_path / "results" / "bench.json"
    code = main(
        ["bench", "--db", url, "--json", str(out), "--repeat", "1", "--warmup", "0",
         "--no-processes"]
    )  # fmt: skip
    assert code == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert {r["key"] for r in report["results"]} >= {"search_keystroke", "log_activity"}
    assert "| operation |" in capsys.readouterr().out


def test_cold_start_floor_and_memory_processes(small):
    url = small.url.render_as_string(hide_password=False)
    with small.read() as s:
        login = runner._bench_login(s, TODAY)
    floor = processes.measure("floor", url)
    app = processes.measure("app", url, "--user", login)
    assert floor["ms"] > 0 and app["ms"] > 0
    assert app["follow_up_rows"] > 0  # the first screen shows the user's follow-ups
    with small.read() as s:
        record_id = s.scalar(select(func.min(m.Record.id)))
    memory = processes.measure(
        "memory", url, "--user", login, "--record", str(record_id), "--pages", "2"
    )
    assert memory["pages"] == 2 and memory["records_rows"] >= 100  # a page loaded at least
    assert memory["record_id"] == record_id and memory["timeline_rows"] > 0
    assert memory["maxrss_kb"] > 10_000


def test_a_failing_child_is_reported(tmp_path):
    with pytest.raises(RuntimeError, match="app process failed"):
        processes.measure("app", f"sqlite:///{tmp_path / 'missing.sqlite3'}", "--user", "x")
