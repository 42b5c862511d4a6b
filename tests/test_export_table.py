"""Export of the record list and the follow-up list: escaping, the list as
seen (columns, filter, sort), CSV for a German Excel, .xlsx, the right."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta

import pytest
from openpyxl import load_workbook

from akquise_desktop.controller import NextFollowUp, RecordData, RoleGroupData
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.export.table import (
    FollowUpListExport,
    RecordListExport,
    escape_cell,
    export_table,
    open_export,
)
from akquise_desktop.models import Module, Scope
from akquise_desktop.queries.follow_ups import FollowUpFilter, follow_up_page
from akquise_desktop.queries.records import RecordCriteria, record_page
from tests.factories import make_world


@pytest.mark.parametrize(
    ("given", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+49 221 1234", "'+49 221 1234"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Müller GmbH", "Müller GmbH"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_formula_cells_are_escaped(given, written):
    assert escape_cell(given) == written


@pytest.fixture
def out(tmp_path):
    """The export folder (the SQLite database lies in out)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def world(db, clock):
    w = make_world(db, clock)
    # The lax group has every right, import/export included.
    for name, city, phone in [
        ("Zeta AG", "Aachen", "0241 1"),
        ('=HYPERLINK("http://evil";"klick")', "Bonn", "+49 228 2"),
        ("Alpha GmbH", "Köln", None),
        ("Beta KG", "Düsseldorf", "@x"),
    ]:
        rid = w.lax.create_record(RecordData(name=name, city=city, phone=phone)).result_id
        w.lax.assign_to_campaign(
            rid, w.campaign_id, next_follow_up=NextFollowUp(w.today + timedelta(days=len(name)))
        )
    w.admin.create_record(RecordData(name="Fremd GmbH", city="Essen"))  # another owner
    return w


def _csv_rows(path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_record_list_as_seen_to_csv(world, out):
    """The visible columns in their order, the filter and the sort of the list."""
    criteria = RecordCriteria(owner_id=world.lax_id, sort="city", descending=True)
    spec = RecordListExport(
        criteria,
        columns=("city", "name", "next_follow_up", "phone"),
        headers=("Ort", "Name", "Nächste WV", "Telefon"),
        today=world.today,
    )
    path = out / "liste.csv"
    with world.db.read() as s:
        done = export_table(s, world.lax_id, spec, path, page_size=2)  # pages of two
        shown = record_page(s, criteria, None, 100).rows
    rows = _csv_rows(path)
    assert rows[0] == ["Ort", "Name", "Nächste WV", "Telefon"]
    assert [r[0] for r in rows[1:]] == ["Köln", "Düsseldorf", "Bonn", "Aachen"]
    assert [r[0] for r in rows[1:]] == [r.city for r in shown]  # the list's own order
    assert done.rows == 4 and done.skipped == 0
    bonn = rows[3]
    assert bonn[1] == '\'=HYPERLINK("http://evil";"klick")'
    assert bonn[3] == "'+49 228 2"
    due = world.today + timedelta(days=len('=HYPERLINK("http://evil";"klick")'))
    assert bonn[2] == due.strftime("%d.%m.%Y")
    assert rows[1][3] == ""  # no phone
    assert rows[2][3] == "'@x"
    assert "Fremd GmbH" not in path.read_text(encoding="utf-8-sig")  # the filter
    assert not list(out.glob(".*.part"))


def test_record_list_search_to_xlsx(world, out):
    criteria = RecordCriteria(text="GmbH", sort="name")
    spec = RecordListExport(
        criteria, columns=("name", "inactivity", "status", "owner"),
        headers=("Name", "Tage inaktiv", "Status", "Betreuer"), today=world.today,
    )  # fmt: skip
    path = out / "liste.xlsx"
    with world.db.read() as s:
        export_table(s, world.admin_id, spec, path)
    sheet = load_workbook(path).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["Name", "Tage inaktiv", "Status", "Betreuer"]
    assert [v[0] for v in values[1:]] == ["Alpha GmbH", "Fremd GmbH"]
    assert values[1][2] == "Lead" and values[1][3] == "Lars Locker"
    assert values[2][2] is None  # not in a campaign
    assert sheet.freeze_panes == "A2"


def test_follow_up_list_as_seen(world, out):
    rid = world.lax.create_record(RecordData(name="Gamma", city="Trier")).result_id
    world.lax.create_follow_up(
        rid,
        NextFollowUp(world.today, time(9, 30), instruction="=cmd|' /C calc'!A0"),
    )
    f = FollowUpFilter(today=world.today, user_id=world.lax_id)
    spec = FollowUpListExport(
        f, columns=("record", "due", "instruction", "priority", "source"),
        headers=("Datensatz", "Fällig", "Anweisung", "Priorität", "Aktivität"),
    )  # fmt: skip
    with world.db.read() as s:
        shown = follow_up_page(s, f, limit=100)
        export_table(s, world.lax_id, spec, out / "wv.csv", page_size=3)
        export_table(s, world.lax_id, spec, out / "wv.xlsx", page_size=3)
    rows = _csv_rows(out / "wv.csv")
    assert len(rows) == 1 + len(shown) == 6
    first = rows[1]
    assert first[0] == "Gamma (Trier)"
    assert first[1] == (world.today).strftime("%d.%m.%Y") + " 09:30"
    assert first[2] == "'=cmd|' /C calc'!A0"
    assert first[3] == "Normal" and first[4] == "(keine)"
    sheet = load_workbook(out / "wv.xlsx").active
    cell = sheet.cell(row=2, column=2)
    assert cell.value == datetime.combine(world.today, time(9, 30))
    assert cell.number_format == "DD.MM.YYYY HH:MM"
    assert sheet.cell(row=2, column=3).value == "'=cmd|' /C calc'!A0"
    assert sheet.cell(row=2, column=3).data_type == "s"  # text, never a formula
    assert isinstance(sheet.cell(row=3, column=2).value, datetime)  # a date cell
    assert sheet.cell(row=3, column=2).number_format == "DD.MM.YYYY"
    assert sheet.cell(row=3, column=2).value.date() > date(2000, 1, 1)


def test_export_is_refused_without_the_right_and_writes_nothing(world, out):
    spec = RecordListExport(RecordCriteria(), ("name",), ("Name",), world.today)
    path = out / "nein.csv"
    with world.db.read() as s, pytest.raises(DomainError) as refused:
        open_export(s, world.sales_id, spec, path)  # Test-Vertrieb: no import/export right
    assert refused.value.rule is Rule.NO_MODULE_RIGHT
    assert "Test-Vertrieb" in refused.value.message_de
    assert "CSV-Import/Export" in refused.value.message_de
    assert list(out.iterdir()) == []


def test_own_scope_exports_only_own_records(world, out):
    group = world.admin.create_role_group(
        RoleGroupData("Export eigene", rights={Module.RECORDS: Scope.ALL,
                                                 Module.IMPORT_EXPORT: Scope.OWN})
    ).result_id  # fmt: skip
    user = world.admin.create_user("exp", "Erika Export", role_group_id=group).result_id
    world.controller(user).create_record(RecordData(name="Eigene GmbH"))
    spec = RecordListExport(RecordCriteria(), ("name",), ("Name",), world.today)
    with world.db.read() as s:
        done = export_table(s, user, spec, out / "eigene.csv", page_size=2)
    assert [r[0] for r in _csv_rows(out / "eigene.csv")[1:]] == ["Eigene GmbH"]
    assert done.skipped == 5  # four of Lars Locker, one of Admin


def test_a_failed_export_leaves_no_file(world, out, monkeypatch):
    spec = RecordListExport(RecordCriteria(), ("name",), ("Name",), world.today)
    path = out / "halb.xlsx"
    with world.db.read() as s:
        export = open_export(s, world.admin_id, spec, path, page_size=2)
        assert not export.step(s)
        export.abort()
    assert list(out.iterdir()) == []
