"""``akquise-desktop import FILE --mapping MAPPING.json``: the headless import
(administrators only).

Prints the bad rows (row number and reason), the duplicates and what was
decided, then the counts and the run's number (``--undo RUN`` removes it
again). ``--dry-run`` checks and reports without writing. Exit codes: 0 done,
1 refused (rights, settings), 2 the file is no table or the mapping is wrong.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from akquise_desktop.core.errors import AkquiseError


def add_parser(sub, common: argparse.ArgumentParser) -> None:
    cmd = sub.add_parser(
        "import",
        parents=[common],
        help="Datensätze aus CSV, Excel (.xlsx) oder vCard importieren (Administratoren)",
    )
    cmd.add_argument("file", nargs="?", metavar="DATEI", help="die Importdatei")
    cmd.add_argument("--mapping", metavar="MAPPING.json", help="Spalten, Kampagne, Status, …")
    cmd.add_argument("--dry-run", action="store_true", help="nur prüfen, nichts schreiben")
    cmd.add_argument("--undo", type=int, metavar="LAUF", help="einen Import rückgängig machen")


def _lookup(s, model, value, column):
    from sqlalchemy import select

    if value is None:
        return None
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return int(value)
    found = s.scalar(select(model.id).where(column == value))
    if found is None:
        raise AkquiseError(f"„{value}“ gibt es in dieser Datenbank nicht ({model.__tablename__}).")
    return found


def run(
    db, args: argparse.Namespace, acting_login: str, strict: bool, out: TextIO | None = None
) -> int:
    from akquise_desktop import models as m
    from akquise_desktop.cli import _acting_user
    from akquise_desktop.controller import Controller
    from akquise_desktop.controller.bulk import BulkEditor

    from .mapping import FirstFollowUp, ImportSettings, MappingFile
    from .reading import NotATableError, read_file

    out = out or sys.stdout
    db.open(create=False)
    actor = _acting_user(db, acting_login, strict=strict)
    with db.read() as s:
        user = s.get(m.User, actor)
        if user is None or not user.role_group.is_admin:
            raise AkquiseError("Der Import von der Kommandozeile ist Administratoren vorbehalten.")
    editor = BulkEditor(Controller(db, actor))
    if args.undo is not None:
        undone = editor.undo(args.undo)
        print(
            f"Import #{args.undo} rückgängig gemacht: {len(undone.restored)} Datensätze; "
            f"{len(undone.refused)} blieben (inzwischen bearbeitet).",
            file=out,
        )
        for refusal in undone.refused:
            print(f"  {refusal.label}: {refusal.message_de}", file=out)
        return 0
    if not args.file or not args.mapping:
        raise AkquiseError("import: DATEI und --mapping MAPPING.json angeben (oder --undo LAUF).")
    try:
        spec = MappingFile.load(args.mapping)
    except (OSError, ValueError) as exc:
        raise AkquiseError(f"Mapping-Datei {args.mapping}: {exc}") from None
    try:
        table = read_file(
            args.file, encoding=spec.encoding, delimiter=spec.delimiter, sheet=spec.sheet
        )
    except NotATableError as exc:
        raise AkquiseError(exc.message_de) from None
    mapping = spec.column_mapping(table.headers)
    if not any(f in ("name", "contact_last_name") for f in mapping.values()):
        raise AkquiseError(
            "Keine Spalte für den Namen (Firma oder Nachname) – bitte in der Mapping-Datei angeben."
        )
    with db.read() as s:
        campaign_id = _lookup(s, m.Campaign, spec.campaign, m.Campaign.name)
        status_id = None
        if spec.status is not None:
            from sqlalchemy import select

            status_id = (
                int(spec.status)
                if str(spec.status).isdigit()
                else s.scalar(
                    select(m.CampaignStatus.id).where(
                        m.CampaignStatus.campaign_id == campaign_id,
                        m.CampaignStatus.name == spec.status,
                    )
                )
            )
            if status_id is None:
                raise AkquiseError(f"Die Kampagne hat keinen Status „{spec.status}“.")
        owner_id = _lookup(s, m.User, spec.owner, m.User.login)
        assignee_id = _lookup(s, m.User, spec.assignee, m.User.login)
    settings = ImportSettings(
        campaign_id=campaign_id,
        status_id=status_id,
        owner_id=owner_id,
        first_follow_up=FirstFollowUp(
            due_date=spec.follow_up_date, days=spec.follow_up_days, assignee_id=assignee_id
        ),
        duplicates=spec.duplicates,
    )
    print(
        f"{args.file}: {len(table.rows)} Zeilen ({table.kind}"
        + (f", {table.encoding}" if table.encoding else "")
        + (f", Trennzeichen {table.delimiter!r}" if table.delimiter else "")
        + ")",
        file=out,
    )
    for index, fld in sorted(mapping.items()):
        print(f"  {table.headers[index]} -> {fld}", file=out)
    plan = editor.plan_import(table, mapping)
    for bad in plan.bad_rows:
        print(f"Zeile {bad.row}: {bad.message('de')}", file=out)
    for position, match in sorted(plan.duplicates.items()):
        cand = plan.candidates[position]
        what = (
            f"Datensatz #{match.record_id} „{match.record_name}“"
            if match.record_id is not None
            else f"Zeile {plan.candidates[match.other_index or 0].row}"
        )
        print(
            f"Zeile {cand.row}: Dublette von {what} ({', '.join(match.reasons)}) "
            f"-> {spec.duplicates}",
            file=out,
        )
    if args.dry_run:
        print(
            f"Probelauf: {len(plan.candidates)} gültige Zeilen, {len(plan.bad_rows)} fehlerhaft, "
            f"{len(plan.duplicates)} Dubletten; nichts geschrieben.",
            file=out,
        )
        return 0

    def progress(done: int, total: int) -> None:
        if total and (done == total or done % 10_000 == 0):
            print(f"  {done}/{total}", file=sys.stderr)

    result = editor.run_import(plan, settings, progress=progress)
    print(
        f"Import #{result.run_id}: {len(result.created)} Datensätze angelegt, "
        f"{len(result.merged)} zusammengeführt, {len(result.skipped)} Dubletten übersprungen, "
        f"{len(result.bad_rows)} fehlerhafte Zeilen. Rückgängig: akquise-desktop import "
        f"--undo {result.run_id}",
        file=out,
    )
    for refusal in result.refused:
        print(f"  {refusal.label}: {refusal.message_de}", file=out)
    return 0
