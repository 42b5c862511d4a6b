"""Export of the record list and the follow-up list as the user sees them —
the visible columns in their order, the filter, the sort — to CSV or Excel
(``.xlsx``, openpyxl).

* The rows come from the lists' own queries (:func:`queries.records.record_page`,
  :func:`queries.follow_ups.follow_up_page`), page by page by key: nothing
  loads a whole table. :func:`open_export` checks the right and starts the
  file; :meth:`TableExport.step` writes one page (the app runs each page as a
  job of its own on the database worker, so other reads get their turn);
  :func:`export_table` does all pages at once (scripts, tests).
* The right: the role group's ``IMPORT_EXPORT`` (:data:`Module.IMPORT_EXPORT`).
  Without it the export is refused (:class:`DomainError`, nothing written);
  with the scope "own records" or "own team" the rows of other records are
  left out (:attr:`TableExport.skipped` counts them).
* Formula injection: a text cell starting with ``=``, ``+``, ``-``, ``@``, tab
  or carriage return gets a leading ``'`` (:func:`escape_cell`), so neither
  Excel nor LibreOffice runs it as a formula. Numbers and dates are written as
  such and need no escaping.
* CSV as a German Excel opens it with a double click: ``;`` between fields,
  UTF-8 with a byte order mark, CRLF line ends, dates ``dd.mm.yyyy``.
* The file appears only when complete: the pages go to a hidden ``.part``
  file beside it, renamed at the end; a cancelled or failed export removes it.
"""

from __future__ import annotations

import contextlib
import csv
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from akquise_desktop import models as m
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.models import Module, Scope
from akquise_desktop.queries.follow_ups import FollowUpFilter, FollowUpRow, follow_up_page
from akquise_desktop.queries.records import RecordCriteria, RecordRow, record_page

PAGE_SIZE = 500
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
RECORD_COLUMNS = ("name", "city", "phone", "status", "next_follow_up", "inactivity", "owner")
FOLLOW_UP_COLUMNS = ("due", "priority", "record", "instruction", "assignee", "source")
DATE_FORMAT = "%d.%m.%Y"
DATETIME_FORMAT = "%d.%m.%Y %H:%M"
XLSX_DATE = "DD.MM.YYYY"
XLSX_DATETIME = "DD.MM.YYYY HH:MM"

Cell = str | int | date | datetime | None


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"

    @classmethod
    def of(cls, path: Path) -> ExportFormat:
        return cls.XLSX if path.suffix.lower() == ".xlsx" else cls.CSV


def escape_cell(text: str) -> str:
    """``text`` made safe against formula injection: a leading ``'`` when it
    starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class RecordListExport:
    """The record list as shown: its criteria (search, filters, sort) and the
    visible columns (keys of :data:`RECORD_COLUMNS`) with their headers, in
    the order shown. ``today``: for the days without activity."""

    criteria: RecordCriteria
    columns: tuple[str, ...]
    headers: tuple[str, ...]
    today: date
    title: str = "Datensätze"


@dataclass(frozen=True)
class FollowUpListExport:
    """The follow-up list as shown: its filter (whose, due bucket) and the
    visible columns (keys of :data:`FOLLOW_UP_COLUMNS`) with their headers."""

    filter: FollowUpFilter
    columns: tuple[str, ...]
    headers: tuple[str, ...]
    priority_names: tuple[str, str, str] = ("Normal", "Hoch", "Zeitkritisch")
    no_source: str = "(keine)"
    title: str = "Wiedervorlagen"


TableSpec = RecordListExport | FollowUpListExport


def _local_date(moment: datetime) -> date:
    return moment.astimezone().date() if moment.tzinfo else moment.date()


def record_cell(row: RecordRow, column: str, today: date) -> Cell:
    if column == "next_follow_up":
        return row.next_follow_up
    if column == "inactivity":
        last = row.last_activity_at
        return None if last is None else max(0, (today - _local_date(last)).days)
    value = {
        "name": row.name, "city": row.city, "phone": row.phone, "status": row.status,
        "owner": row.owner,
    }[column]  # fmt: skip
    return value


def follow_up_cell(row: FollowUpRow, column: str, spec: FollowUpListExport) -> Cell:
    if column == "due":
        if row.due_time is not None:
            return datetime.combine(row.due_date, row.due_time)
        return row.due_date
    if column == "priority":
        return spec.priority_names[row.priority]
    if column == "record":
        return f"{row.record_name} ({row.record_city})" if row.record_city else row.record_name
    if column == "instruction":
        return row.instruction
    if column == "assignee":
        return row.assignee_name
    if column == "source":
        if row.source_activity_id is None:
            return spec.no_source
        when = row.source_occurred_at
        shown = _local_date(when).strftime(DATE_FORMAT) if when is not None else ""
        return f"{shown} · {row.source_subject or ''}"
    raise KeyError(column)


# --- the files ---------------------------------------------------------------------


class _Writer(Protocol):
    def row(self, values: Sequence[Cell]) -> None: ...
    def close(self) -> None: ...


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime(DATETIME_FORMAT)
    if isinstance(value, date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, int):
        return str(value)
    return escape_cell(value)


class _CsvWriter:
    """``;``, UTF-8 with BOM, CRLF: what a German Excel opens with a double click."""

    def __init__(self, path: Path, headers: Sequence[str]) -> None:
        self.file = path.open("w", encoding="utf-8-sig", newline="")
        self.csv = csv.writer(self.file, delimiter=";", lineterminator="\r\n")
        self.csv.writerow([escape_cell(h) for h in headers])

    def row(self, values: Sequence[Cell]) -> None:
        self.csv.writerow([_csv_text(v) for v in values])

    def close(self) -> None:
        self.file.close()


class _XlsxWriter:
    """A workbook written as a stream (openpyxl's write-only mode)."""

    def __init__(self, path: Path, headers: Sequence[str], title: str) -> None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        self.path = path
        self.cell = WriteOnlyCell
        self.book = Workbook(write_only=True)
        self.sheet = self.book.create_sheet(_sheet_title(title))
        self.sheet.freeze_panes = "A2"
        for n, header in enumerate(headers, start=1):
            width = min(60, max(12, len(header) + 4))
            self.sheet.column_dimensions[get_column_letter(n)].width = width
        bold = Font(bold=True)
        cells = []
        for header in headers:
            cell = WriteOnlyCell(self.sheet, value=escape_cell(header))
            cell.font = bold
            cells.append(cell)
        self.sheet.append(cells)

    def row(self, values: Sequence[Cell]) -> None:
        cells: list[Any] = []
        for value in values:
            if isinstance(value, datetime):
                cell = self.cell(self.sheet, value=value)
                cell.number_format = XLSX_DATETIME
                cells.append(cell)
            elif isinstance(value, date):
                cell = self.cell(self.sheet, value=value)
                cell.number_format = XLSX_DATE
                cells.append(cell)
            elif isinstance(value, str):
                cells.append(escape_cell(value))
            else:
                cells.append(value)
        self.sheet.append(cells)

    def close(self) -> None:
        self.book.save(str(self.path))


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in title).strip()
    return (cleaned or "Export")[:31]


# --- the right ---------------------------------------------------------------------


@dataclass(frozen=True)
class ExportRight:
    """What the acting user may export: the scope of their role group's
    import/export right and who they are (for "own" and "own team")."""

    scope: Scope
    user_id: int
    team_id: int | None
    role_group: str


def export_right(session: Session, user_id: int) -> ExportRight:
    user = session.get(m.User, user_id)
    if user is None or not user.active:
        raise DomainError(Rule.UNKNOWN_USER, user=user_id)
    group = user.role_group
    return ExportRight(group.scope(Module.IMPORT_EXPORT), user.id, user.team_id, group.name)


def require_export_right(session: Session, user_id: int) -> ExportRight:
    """The acting user's export right; refused (:class:`DomainError`) without one."""
    right = export_right(session, user_id)
    if right.scope is Scope.NONE:
        from akquise_desktop.controller.base import RIGHT_NAMES

        raise DomainError(
            Rule.NO_MODULE_RIGHT, group=right.role_group, right=RIGHT_NAMES[Module.IMPORT_EXPORT]
        )
    return right


def _allowed(session: Session, right: ExportRight, record_ids: set[int]) -> set[int]:
    """Which of ``record_ids`` the right's scope reaches."""
    if right.scope is Scope.ALL or not record_ids:
        return record_ids
    rec = m.Record
    mine = rec.owner_id == right.user_id
    if right.scope is Scope.TEAM and right.team_id is not None:
        team = select(m.User.id).where(m.User.team_id == right.team_id)
        condition = or_(mine, rec.owner_id.in_(team))
    else:
        condition = mine
    return set(session.scalars(select(rec.id).where(rec.id.in_(record_ids), condition)))


# --- the export --------------------------------------------------------------------


class TableExport:
    """An export under way: the right checked, the file begun. Each
    :meth:`step` writes the next page; :meth:`abort` removes the partial file."""

    def __init__(
        self, spec: TableSpec, path: Path, right: ExportRight, *, page_size: int = PAGE_SIZE
    ) -> None:
        if len(spec.columns) != len(spec.headers) or not spec.columns:
            raise ValueError("one header per column, at least one column")
        known = RECORD_COLUMNS if isinstance(spec, RecordListExport) else FOLLOW_UP_COLUMNS
        unknown = set(spec.columns) - set(known)
        if unknown:
            raise ValueError(f"unknown columns: {sorted(unknown)}")
        self.spec = spec
        self.path = path
        self.format = ExportFormat.of(path)
        self.right = right
        self.page_size = page_size
        self.rows = 0  # written
        self.skipped = 0  # left out: beyond the right's scope
        self.finished = False
        self._after: Any = None
        self.part = path.with_name(f".{path.name}.part")
        self._writer: _Writer | None = None
        try:
            if self.format is ExportFormat.XLSX:
                self._writer = _XlsxWriter(self.part, spec.headers, spec.title)
            else:
                self._writer = _CsvWriter(self.part, spec.headers)
        except BaseException:
            self.abort()
            raise

    def step(self, session: Session) -> bool:
        """Write the next page; True once the file is complete and in place."""
        if self.finished:
            return True
        assert self._writer is not None, "aborted"
        try:
            page, record_ids = self._page(session)
            allowed = _allowed(session, self.right, set(record_ids))
            spec = self.spec
            for row, record_id in zip(page, record_ids, strict=True):
                if record_id not in allowed:
                    self.skipped += 1
                    continue
                if isinstance(spec, RecordListExport):
                    values = [record_cell(row, c, spec.today) for c in spec.columns]  # type: ignore[arg-type]
                else:
                    values = [follow_up_cell(row, c, spec) for c in spec.columns]  # type: ignore[arg-type]
                self._writer.row(values)
                self.rows += 1
            if len(page) < self.page_size:
                self._writer.close()
                self._writer = None
                os.replace(self.part, self.path)
                self.finished = True
            else:
                self._after = page[-1].key
        except BaseException:
            self.abort()
            raise
        return self.finished

    def _page(self, session: Session) -> tuple[list[Any], list[int]]:
        spec = self.spec
        if isinstance(spec, RecordListExport):
            records = record_page(session, spec.criteria, self._after, self.page_size).rows
            return records, [r.id for r in records]
        follow_ups = follow_up_page(session, spec.filter, after=self._after, limit=self.page_size)
        return follow_ups, [r.record_id for r in follow_ups]

    def abort(self) -> None:
        """Stop: the partial file is removed (the target is left as it was)."""
        writer, self._writer = self._writer, None
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.close()
        if not self.finished:
            with contextlib.suppress(FileNotFoundError):
                self.part.unlink()


def open_export(
    session: Session, user_id: int, spec: TableSpec, path: Path, *, page_size: int = PAGE_SIZE
) -> TableExport:
    """Check ``user_id``'s export right (refused: :class:`DomainError`, nothing
    written) and begin the file ``path`` (``.xlsx``: Excel, else CSV)."""
    right = require_export_right(session, user_id)
    return TableExport(spec, path, right, page_size=page_size)


def export_table(
    session: Session,
    user_id: int,
    spec: TableSpec,
    path: Path,
    *,
    page_size: int = PAGE_SIZE,
    progress: Callable[[int], None] | None = None,
) -> TableExport:
    """The whole export in one call (every page); returns the finished export."""
    export = open_export(session, user_id, spec, path, page_size=page_size)
    while not export.step(session):
        if progress is not None:
            progress(export.rows)
    return export
