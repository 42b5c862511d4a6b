"""The headless import (``akquise-desktop import``) and the importer under
random input: random bytes and random CSV shapes never crash it, and never
write anything but whole imported records."""

from __future__ import annotations

import json
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from akquise_desktop import cli
from akquise_desktop import models as m
from akquise_desktop.controller.bulk import BulkEditor
from akquise_desktop.imports import ImportSettings, NotATableError, guess_mapping, read_bytes
from akquise_desktop.queries.invariants import check_invariants
from akquise_desktop.storage import Database
from tests.conftest import reset_database
from tests.factories import make_world
from tests.test_import import GERMAN_EXCEL


@pytest.fixture
def sqlite_world(tmp_path, clock):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    db = Database(url)
    db.upgrade()
    world = make_world(db, clock)
    yield url, world
    db.dispose()


def _mapping(tmp_path, **extra) -> str:
    path = tmp_path / "mapping.json"
    spec = {"columns": {"Branche": None}, "campaign": "Neukunden", "owner": "sales", **extra}
    path.write_text(json.dumps(spec), encoding="utf-8")
    return str(path)


def test_cli_import_and_undo(sqlite_world, tmp_path, capsys, monkeypatch):
    url, world = sqlite_world
    data = tmp_path / "kunden.csv"
    data.write_bytes((GERMAN_EXCEL + ";Köln;;;;;;;;\r\n").encode("cp1252"))
    mapping = _mapping(tmp_path, follow_up={"days": 3}, duplicates="skip")
    argv = ["import", str(data), "--mapping", mapping, "--db", url, "--user", "admin"]
    assert cli.main([*argv, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Probelauf" in out and "Zeile 5: Kein Name" in out
    with world.db.read() as s:
        assert s.scalar(select(func.count()).select_from(m.Record)) == 0
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert "3 Datensätze angelegt" in out and "Branche ->" not in out
    with world.db.read() as s:
        records = s.scalars(select(m.Record)).all()
        assert {r.owner_id for r in records} == {world.sales_id}
        assert {r.industry for r in records} == {None}  # the column was left out
        run_id = s.scalar(select(m.BulkRun.id))
    assert cli.main(["import", "--undo", str(run_id), "--db", url, "--user", "admin"]) == 0
    with world.db.read() as s:
        assert s.scalar(select(func.count()).select_from(m.Record)) == 0


def test_cli_import_refuses_non_admins_and_non_tables(sqlite_world, tmp_path, capsys):
    url, _world = sqlite_world
    data = tmp_path / "kunden.csv"
    data.write_bytes(GERMAN_EXCEL.encode("cp1252"))
    mapping = _mapping(tmp_path)
    argv = ["import", str(data), "--mapping", mapping, "--db", url]
    assert cli.main([*argv, "--user", "sales"]) == 2
    assert "Administratoren" in capsys.readouterr().err
    picture = tmp_path / "bild.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100))
    assert (
        cli.main(["import", str(picture), "--mapping", mapping, "--db", url, "--user", "admin"])
        == 2
    )
    assert "keine Tabelle" in capsys.readouterr().err


# --- fuzz ---------------------------------------------------------------------------------

_cells = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",))
    | st.sampled_from(list(';,\t"\r\n=+-@') + list(string.ascii_letters)),
    max_size=30,
)
_csv_shapes = st.builds(
    lambda header, rows, sep, enc: (header, rows, sep, enc),
    st.lists(
        st.sampled_from(["Firma", "Name", "PLZ", "Ort", "Telefon", "E-Mail", "Nachname", "X", ""])
        | _cells,
        min_size=1,
        max_size=6,
    ),
    st.lists(st.lists(_cells, max_size=8), max_size=8),
    st.sampled_from([";", ",", "\t"]),
    st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)


def _import_any(world, data: bytes) -> None:
    """Read, plan and run; a refusal of the file is fine, anything else written
    must be whole records with their chain."""
    try:
        table = read_bytes(data)
    except NotATableError as exc:
        assert exc.message_de and exc.message_en
        return
    editor = BulkEditor(world.admin)
    plan = editor.plan_import(table, guess_mapping(table.headers))
    assert len(plan.candidates) + len(plan.bad_rows) == len(table.rows)
    result = editor.run_import(
        plan, ImportSettings(campaign_id=world.campaign_id, duplicates="import")
    )
    with world.db.read() as s:
        count = s.scalar(select(func.count()).select_from(m.Record))
        assert count == len(result.created) == len(plan.candidates)
        assert not check_invariants(s)
        names = set(s.scalars(select(m.Record.name)))
    assert all(n and not n.startswith("=") for n in names)


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory):
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.sqlite3'}")
    db.upgrade()
    yield db
    db.dispose()


FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(data=st.binary(max_size=400))
def test_fuzz_random_bytes(fuzz_db, clock, data):
    reset_database(fuzz_db)
    _import_any(make_world(fuzz_db, clock), data)


@FUZZ
@given(shape=_csv_shapes)
def test_fuzz_random_csv_shapes(fuzz_db, clock, shape):
    header, rows, sep, enc = shape

    def line(cells):
        return sep.join(
            '"' + c.replace('"', '""') + '"'
            if (sep in c or '"' in c or "\n" in c or "\r" in c)
            else c
            for c in cells
        )

    text = "\r\n".join([line(header), *(line(r) for r in rows)])
    try:
        data = text.encode(enc)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    reset_database(fuzz_db)
    _import_any(make_world(fuzz_db, clock), data)
