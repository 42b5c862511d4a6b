"""Import: reading real-world-shaped files, the mapping guesses, the bad-row
report, the duplicate decisions, the run as one undoable bulk run (both
databases)."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from akquise_desktop import models as m
from akquise_desktop.controller.bulk import BulkEditor, CancelToken
from akquise_desktop.core.errors import DomainError
from akquise_desktop.imports import (
    FirstFollowUp,
    ImportSettings,
    NotATableError,
    Reason,
    guess_mapping,
    read_bytes,
)
from akquise_desktop.queries.invariants import check_invariants
from tests.factories import make_world

GERMAN_EXCEL = (
    "Firma;Straße;PLZ;Ort;Telefon;E-Mail;Anrede;Vorname;Nachname;Branche\r\n"
    "Bäckerei Groß GmbH;Hauptstraße 1;50667;Köln;0221 1234567;info@baeckerei-gross.de;"
    "Herr;Jürgen;Groß;Lebensmittel\r\n"
    "Schreinerei Özdemir;Am Weiher 3;80331;München;089/765432;;Frau;Aylin;Özdemir;Handwerk\r\n"
    '"Müller & Söhne KG";"Weg 5; Hinterhaus";10115;Berlin;+49 30 5550001;;;;;\r\n'
)
OUTLOOK = (
    '"Anrede","Vorname","Weitere Vornamen","Nachname","Suffix","Firma","Abteilung",'
    '"Position","Straße geschäftlich","Ort geschäftlich","Postleitzahl geschäftlich",'
    '"Land/Region geschäftlich","Telefon geschäftlich","Mobiltelefon","E-Mail-Adresse",'
    '"Notizen"\r\n'
    '"Frau","Petra","","Schulz","","Schulz Consulting","","Geschäftsführerin",'
    '"Ringstr. 9","Hamburg","20095","Deutschland","040 123456","0171 2345678",'
    '"p.schulz@schulz-consulting.de","Kennt uns von der Messe"\r\n'
    '"Herr","Tom","","Becker","","","","","","Bonn","53111","","","0160 1111111",'
    '"tom.becker@gmx.de",""\r\n'
)
PHOTO = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4).decode()


def _folded(line: str, width: int = 75) -> str:
    out = [line[:width]]
    rest = line[width:]
    while rest:
        out.append(" " + rest[: width - 1])
        rest = rest[width - 1 :]
    return "\r\n".join(out)


VCARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Weiß;Jörg;;Dr.;\r\nFN:Dr. Jörg Weiß\r\n"
    "ORG:Weiß Ingenieurbüro für Straßenbau und Brückenkonstruktionen GmbH\r\n"
    "TITLE:Inhaber\r\nTEL;TYPE=WORK,VOICE:+49 711 333444\r\nTEL;TYPE=CELL:0172 9999999\r\n"
    "EMAIL;TYPE=INTERNET:joerg@weiss-ing.de\r\n"
    "ADR;TYPE=WORK:;;Königstraße 12;Stuttgart;;70173;Deutschland\r\n"
    + _folded("NOTE:Sehr langer Hinweis über die Zusammenarbeit\\, der über mehrere Zeilen "
              "gefaltet wird\\, mit Umlauten äöü und ß am Ende der Zeile.")
    + "\r\n"
    + _folded(f"PHOTO;ENCODING=b;TYPE=PNG:{PHOTO}")
    + "\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nN:Krüger;Anna;;;\r\nFN:Anna Krüger\r\n"
    "TEL;TYPE=cell;VALUE=uri:tel:+49-151-2223334\r\nEMAIL:anna@kruger.example\r\n"
    "END:VCARD\r\n"
)  # fmt: skip


@pytest.fixture
def world(db, clock):
    return make_world(db, clock)


def _settings(world, **kw) -> ImportSettings:
    return ImportSettings(campaign_id=world.campaign_id, owner_id=world.sales_id, **kw)


def _plan(editor, data: bytes, **kw):
    table = read_bytes(data, **kw)
    return editor.plan_import(table, guess_mapping(table.headers))


def _count(db, model) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


# --- reading ------------------------------------------------------------------------------


def test_german_excel_csv_cp1252_semicolon():
    table = read_bytes(GERMAN_EXCEL.encode("cp1252"))
    assert table.encoding == "cp1252" and table.delimiter == ";"
    assert table.rows[0][0] == "Bäckerei Groß GmbH"
    assert table.rows[2][1] == "Weg 5; Hinterhaus"  # quoted delimiter
    mapping = guess_mapping(table.headers)
    assert [mapping[i] for i in range(10)] == [
        "name", "street", "postal_code", "city", "phone", "email", "contact_salutation",
        "contact_first_name", "contact_last_name", "industry",
    ]  # fmt: skip


def test_utf8_with_bom_and_comma_and_encoding_override():
    data = ("\ufeffCompany,City\r\nÄrzte AG,Köln\r\n").encode()
    table = read_bytes(data)
    assert table.headers == ("Company", "City") and table.rows[0] == ("Ärzte AG", "Köln")
    wrong = read_bytes(data, encoding="cp1252")  # the user's override wins
    assert wrong.rows[0][0].startswith("Ã")


def test_outlook_export():
    table = read_bytes(OUTLOOK.encode("utf-8"))
    mapping = guess_mapping(table.headers)
    by_field = {f: table.headers[i] for i, f in mapping.items()}
    assert by_field["name"] == "Firma"
    assert by_field["contact_last_name"] == "Nachname"
    assert by_field["street"] == "Straße geschäftlich"
    assert by_field["postal_code"] == "Postleitzahl geschäftlich"
    assert by_field["phone"] == "Telefon geschäftlich"
    assert by_field["contact_mobile"] == "Mobiltelefon"
    assert by_field["email"] == "E-Mail-Adresse"
    assert by_field["contact_position"] == "Position"


def test_vcards_folded_umlauts_photo():
    table = read_bytes(VCARDS.encode("utf-8"))
    assert table.kind == "vcard" and len(table.rows) == 2
    row = dict(zip(table.headers, table.rows[0], strict=True))
    assert row["name"] == "Weiß Ingenieurbüro für Straßenbau und Brückenkonstruktionen GmbH"
    assert row["contact_last_name"] == "Weiß" and row["contact_first_name"] == "Jörg"
    assert row["city"] == "Stuttgart" and row["street"] == "Königstraße 12"
    assert row["phone"] == "+49 711 333444" and row["contact_mobile"] == "0172 9999999"
    assert "äöü und ß am Ende" in row["notes"]
    assert not any("PNG" in cell for cell in table.rows[0])
    second = dict(zip(table.headers, table.rows[1], strict=True))
    assert second["contact_last_name"] == "Krüger" and second["name"] == ""


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \r\n",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        b"PK\x03\x04not really a zip",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x00",
        b"Firma;Ort\r\n",  # a header, no row
        b"BEGIN:VCARD\r\nEND:VCARD\r\n" * 0 + b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:;",
    ],
)
def test_not_a_table(data):
    with pytest.raises(NotATableError) as info:
        read_bytes(data)
    assert "keine Tabelle" in info.value.message_de or "vCard" in info.value.message_de


def test_xlsx(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Firma", "PLZ", "Ort", "Telefon"])
    ws.append(["Kühne Logistik GmbH", 20095, "Hamburg", "040 99887766"])
    ws.append([None, None, None, None])
    ws.append(['=HYPERLINK("http://evil","klick")', 1, "x", None])
    path = tmp_path / "t.xlsx"
    book.save(path)
    table = read_bytes(path.read_bytes())
    assert table.kind == "xlsx"
    assert table.rows[0] == ("Kühne Logistik GmbH", "20095", "Hamburg", "040 99887766")
    assert table.row_number(1) == 4


# --- bad rows -----------------------------------------------------------------------------


def test_bad_row_report(db, world):
    big = "x" * (50 * 1024 * 1024)
    csv = (
        "Firma;Ort;Notizen\n"
        "Gute GmbH;Köln;ok\n"
        ";Bonn;kein Name\n"
        '=HYPERLINK("http://evil.example";"Klick");Köln;\n'
        "Plus AG;@SUM(A1:A9);\n"
        "Telefon AG;Köln;+49 221 12345 ist keine Formel\n"
        f"Riesig GmbH;Köln;{big}\n"
        "Kaputt \ufffd GmbH;Köln;\n"
        "MÃ¼ller GmbH;Köln;\n"
    ).encode()
    plan = _plan(BulkEditor(world.admin), csv)
    reasons = {b.row: b.reason for b in plan.bad_rows}
    assert reasons == {
        3: Reason.MISSING_NAME,
        4: Reason.FORMULA,
        5: Reason.FORMULA,
        7: Reason.CELL_TOO_LONG,
        8: Reason.BROKEN_ENCODING,
        9: Reason.BROKEN_ENCODING,
    }
    assert [c.record["name"] for c in plan.candidates] == ["Gute GmbH", "Telefon AG"]
    messages = {b.row: b.message("de") for b in plan.bad_rows}
    assert "Formel" in messages[4] and "zu lang" in messages[7]
    result = BulkEditor(world.admin).run_import(plan, _settings(world))
    assert len(result.created) == 2 and len(result.bad_rows) == 6


# --- running ------------------------------------------------------------------------------


def test_import_creates_records_in_campaign_with_follow_up(db, world):
    editor = BulkEditor(world.admin)
    plan = _plan(editor, GERMAN_EXCEL.encode("cp1252"))
    due = world.today + timedelta(days=3)
    result = editor.run_import(
        plan, _settings(world, first_follow_up=FirstFollowUp(due_date=due, instruction="Anrufen"))
    )
    assert len(result.created) == 3 and not result.bad_rows
    with db.read() as s:
        records = s.scalars(select(m.Record).where(m.Record.id.in_(result.created))).all()
        assert {r.owner_id for r in records} == {world.sales_id}
        assert {r.next_follow_up_date for r in records} == {due}
        groß = next(r for r in records if r.name == "Bäckerei Groß GmbH")
        assert (groß.city, groß.postal_code, groß.industry) == ("Köln", "50667", "Lebensmittel")
        assert [c.last_name for c in groß.contacts] == ["Groß"]
        ms = s.scalars(select(m.CampaignMembership)).all()
        assert {x.status_id for x in ms} == {world.status["Lead"]} and len(ms) == 3
        fus = s.scalars(select(m.FollowUp)).all()
        assert {(f.assignee_id, f.due_date, f.instruction) for f in fus} == {
            (world.sales_id, due, "Anrufen")
        }
        assert all(f.source_activity_id for f in fus)
        assert s.scalar(select(func.count()).select_from(m.StatusChange)) == 3
        problems = check_invariants(s)
    assert not problems


def test_undo_removes_the_import(db, world):
    editor = BulkEditor(world.admin)
    before = world.record("Schon da GmbH")
    plan = _plan(editor, GERMAN_EXCEL.encode("cp1252"))
    result = editor.run_import(plan, _settings(world))
    assert _count(db, m.Record) == 4
    undone = editor.undo(result.run_id)
    assert sorted(undone.restored) == sorted(result.created) and not undone.refused
    with db.read() as s:
        assert s.scalars(select(m.Record.id)).all() == [before]
        for model in (m.Contact, m.Activity, m.FollowUp, m.CampaignMembership, m.StatusChange):
            assert s.scalar(select(func.count()).select_from(model)) == 0, model
        assert s.get(m.BulkRun, result.run_id).state == m.BulkRunState.UNDONE
        assert not check_invariants(s)
    with pytest.raises(DomainError):
        editor.undo(result.run_id)


def test_undo_keeps_a_record_someone_worked_on(db, world):
    from akquise_desktop.controller import ContactData

    editor = BulkEditor(world.admin)
    result = editor.run_import(_plan(editor, GERMAN_EXCEL.encode("cp1252")), _settings(world))
    touched = result.created[0]
    world.sales.add_contact(touched, ContactData(last_name="Neu"))
    undone = editor.undo(result.run_id)
    assert touched not in undone.restored and [r.target_id for r in undone.refused] == [touched]
    with db.read() as s:
        assert s.scalars(select(m.Record.id)).all() == [touched]


def test_duplicate_decisions(db, world):
    editor = BulkEditor(world.admin)
    existing = world.record("Bäckerei Groß GmbH")  # same name, other spelling below
    from akquise_desktop.controller import RecordData

    phone_twin = world.sales.create_record(RecordData(name="Ganz anders", phone="+49 89 765432"))
    phone_twin_id = phone_twin.result_id
    csv = GERMAN_EXCEL + "Baeckerei Gross GmbH;;;;;;;;;\r\nNeue Firma;;;;;;;;;\r\n"
    plan = _plan(editor, csv.encode("cp1252"))
    dup = {plan.candidates[i].row: mt for i, mt in plan.duplicates.items()}
    assert dup[2].record_id == existing and "name" in dup[2].reasons
    assert dup[3].record_id == phone_twin_id and dup[3].reasons == ("phone",)
    assert dup[5].record_id == existing  # an existing record before the file's row 2
    positions = {plan.candidates[i].row: i for i in plan.duplicates}
    decisions = {positions[2]: "merge", positions[3]: "import", positions[5]: "skip"}
    result = editor.run_import(plan, _settings(world), decisions)
    assert result.merged == (existing,) and result.skipped == (5,)
    assert len(result.created) == 3  # Özdemir (anyway), Müller & Söhne, Neue Firma
    with db.read() as s:
        merged = s.get(m.Record, existing)
        assert merged.street == "Hauptstraße 1" and merged.city == "Köln"  # kept: Köln
        assert [c.last_name for c in merged.contacts] == ["Groß"]
        assert (
            s.scalar(
                select(func.count())
                .select_from(m.CampaignMembership)
                .where(m.CampaignMembership.record_id == existing)
            )
            == 0
        )
    undone = editor.undo(result.run_id)
    assert not undone.refused
    with db.read() as s:
        merged = s.get(m.Record, existing)
        assert merged.street is None and merged.contacts == []
        assert s.scalar(select(func.count()).select_from(m.Record)) == 2


def test_default_decision_skip_and_within_file(db, world):
    editor = BulkEditor(world.admin)
    csv = (
        "Firma;E-Mail\nAlpha GmbH;a@alpha.de\nAlpha Vertrieb;b@alpha.de\n"
        "Beta;x@gmail.com\nGamma;y@gmail.com\n"
    )
    plan = _plan(editor, csv.encode())
    assert [mt.other_index for mt in plan.duplicates.values()] == [0]  # gmail is no firm
    result = editor.run_import(plan, _settings(world))
    assert result.skipped == (3,) and len(result.created) == 3


def test_merge_refused_when_changed_meanwhile(db, world):
    from akquise_desktop.controller import RecordData

    editor = BulkEditor(world.admin)
    existing = world.record("Bäckerei Groß GmbH")
    plan = _plan(editor, GERMAN_EXCEL.encode("cp1252"))
    world.sales.update_record(existing, RecordData(name="Bäckerei Groß GmbH", city="Bonn"),
                              expected_version=1)  # fmt: skip
    result = editor.run_import(plan, _settings(world, duplicates="merge"))
    assert result.merged == () and [r.target_id for r in result.refused] == [existing]


def test_rights_and_settings_refused_before_writing(db, world):
    plan = _plan(BulkEditor(world.sales), GERMAN_EXCEL.encode("cp1252"))
    with pytest.raises(DomainError) as info:
        BulkEditor(world.sales).run_import(plan, _settings(world))
    assert info.value.rule_id == "rights.missing"
    admin = BulkEditor(world.admin)
    with pytest.raises(DomainError):
        admin.run_import(plan, _settings(world, status_id=world.status["Lead"] + 999))
    with pytest.raises(DomainError):
        admin.run_import(
            plan,
            _settings(world, first_follow_up=FirstFollowUp(due_date=world.today - timedelta(1))),
        )
    assert _count(db, m.Record) == 0 and _count(db, m.BulkRun) == 0


def test_progress_and_cancel(db, world):
    editor = BulkEditor(world.admin)
    rows = "".join(f"Firma {i:04d} {chr(65 + i % 26)}x;{i}@f{i}.de\n" for i in range(50))
    plan = editor.plan_import(read_bytes(f"Firma;E-Mail\n{rows}".encode()), {0: "name", 1: "email"})
    token = CancelToken()
    seen = []

    def progress(done, total):
        seen.append((done, total))
        if done >= 20:
            token.cancel()

    result = editor.run_import(
        plan, _settings(world), progress=progress, cancel=token, chunk_size=10
    )
    assert result.cancelled and len(result.created) == 20 and result.not_reached == 30
    assert seen[:3] == [(0, 50), (10, 50), (20, 50)]
    undone = editor.undo(result.run_id)
    assert len(undone.restored) == 20 and _count(db, m.Record) == 0


@pytest.mark.parametrize(
    "raw",
    ["0221 1234567", "+49 221 1234567", "0049 (221) 123-4567", "+49 (0)221 1234567",
     "089/765432", "0171 2345678", "+49-30-5550001", "030 555 00 01"],
)  # fmt: skip
def test_phone_fast_path_agrees_with_phonenumbers(raw):
    import phonenumbers

    from akquise_desktop.imports.duplicates import normal_phone

    number = phonenumbers.parse(raw, "DE")
    expected = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    assert normal_phone(raw) == expected
