"""The pages of the import wizard (:mod:`.import_wizard`): the file with its
preview, the column mapping, the settings every record gets and the duplicate
decisions with the bad rows. The run page is in :mod:`.import_wizard`.

No page touches the database: reads and the plan go through the wizard's
services (the database worker)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from . import i18n
from .common import format_date, format_number, icon

if TYPE_CHECKING:
    from akquise_desktop.imports import Table

    from .import_wizard import ImportWizard

PREVIEW_ROWS = 8
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "iso-8859-15", "utf-16")
DELIMITERS = ((";", ";"), (",", ","), ("\t", "Tab"), ("|", "|"))
DECISIONS = ("skip", "merge", "import")
ERROR_STYLE = "color: #B71C1C;"


def field_label(key: str) -> str:
    from akquise_desktop.imports import FIELDS

    de, en = FIELDS[key]
    return de if i18n.current_language() == "de" else en


def _table_widget(name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    return table


def _cell(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text[:200])
    item.setToolTip(text[:1000])
    return item


class _Page(QWizardPage):
    @property
    def w(self) -> ImportWizard:
        return self.wizard()  # type: ignore[return-value]


# --- the file -----------------------------------------------------------------------


class FilePage(_Page):
    """Pick the file; encoding and delimiter detected, overridable; a preview."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Choose the file"))
        self.setSubTitle(
            self.tr("CSV (as Excel or Outlook save it), Excel workbooks (.xlsx) or vCards (.vcf).")
        )
        self.table: Table | None = None
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("importPath")
        self.path_edit.setPlaceholderText(self.tr("Path of the file to import"))
        self.path_edit.editingFinished.connect(self.load)
        self.browse = QPushButton(icon("mdi6.folder-open-outline"), self.tr("&Choose …"))
        self.browse.setObjectName("importBrowse")
        self.browse.clicked.connect(self.choose)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse)

        self.encoding = QComboBox()
        self.encoding.setObjectName("importEncoding")
        self.encoding.addItem(self.tr("Detect automatically"), None)
        for name in ENCODINGS:
            self.encoding.addItem(name, name)
        self.delimiter = QComboBox()
        self.delimiter.setObjectName("importDelimiter")
        self.delimiter.addItem(self.tr("Detect automatically"), None)
        for value, label in DELIMITERS:
            self.delimiter.addItem(label if value != "\t" else self.tr("Tab"), value)
        for combo in (self.encoding, self.delimiter):
            combo.setEnabled(False)
            combo.currentIndexChanged.connect(lambda _i: self.load())
        options = QHBoxLayout()
        form = QFormLayout()
        form.addRow(self.tr("&Encoding:"), self.encoding)
        form2 = QFormLayout()
        form2.addRow(self.tr("&Delimiter:"), self.delimiter)
        options.addLayout(form)
        options.addSpacing(24)
        options.addLayout(form2)
        options.addStretch(1)

        self.info = QLabel()
        self.info.setObjectName("importFileInfo")
        self.info.setWordWrap(True)
        self.preview = _table_widget("importPreview", [])
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addLayout(options)
        layout.addWidget(self.info)
        layout.addWidget(self.preview, 1)

    def choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import file"),
            self.path_edit.text(),
            self.tr("Tables and contacts (*.csv *.txt *.xlsx *.vcf);;All files (*)"),
        )
        if path:
            self.path_edit.setText(path)
            self.encoding.blockSignals(True)
            self.delimiter.blockSignals(True)
            self.encoding.setCurrentIndex(0)
            self.delimiter.setCurrentIndex(0)
            self.encoding.blockSignals(False)
            self.delimiter.blockSignals(False)
            self.load()

    def load(self) -> None:
        """Read the file on the worker (a big file takes a moment)."""
        path = self.path_edit.text().strip()
        if not path:
            return
        encoding = self.encoding.currentData()
        delimiter = self.delimiter.currentData()
        self.table = None
        self.info.setStyleSheet("")
        self.info.setText(self.tr("Reading the file …"))
        self.completeChanged.emit()

        def job() -> Any:
            from akquise_desktop.imports import read_file

            return read_file(path, encoding=encoding, delimiter=delimiter)

        self.w.services.worker.submit(job, self._loaded, self._failed)

    def _loaded(self, table: Table) -> None:
        if not shiboken6.isValid(self):
            return
        self.table = table
        parts = [
            {"csv": "CSV", "xlsx": "Excel", "vcard": "vCard"}.get(table.kind, table.kind),
            self.tr("{n} rows").format(n=format_number(len(table.rows))),
        ]
        if table.encoding:
            parts.append(self.tr("encoding {name}").format(name=table.encoding))
        if table.delimiter:
            shown = self.tr("Tab") if table.delimiter == "\t" else table.delimiter
            parts.append(self.tr("delimiter “{d}”").format(d=shown))
        self.info.setText(" · ".join(parts))
        self.encoding.setEnabled(table.kind in ("csv", "vcard"))
        self.delimiter.setEnabled(table.kind == "csv")
        self.preview.clear()
        self.preview.setColumnCount(len(table.headers))
        self.preview.setHorizontalHeaderLabels(list(table.headers))
        shown_rows = table.rows[:PREVIEW_ROWS]
        self.preview.setRowCount(len(shown_rows))
        for r, values in enumerate(shown_rows):
            for c, value in enumerate(values):
                self.preview.setItem(r, c, _cell(value))
        self.preview.resizeColumnsToContents()
        self.completeChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        from akquise_desktop.imports import NotATableError

        if isinstance(exc, NotATableError):
            text = exc.message(i18n.current_language())
        elif isinstance(exc, OSError):
            text = exc.strerror or str(exc)
        else:
            from .bulk import error_text

            text = error_text(exc)
        self.info.setStyleSheet(ERROR_STYLE)
        self.info.setText(text)
        self.preview.clear()
        self.preview.setRowCount(0)
        self.preview.setColumnCount(0)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.table is not None


# --- the mapping --------------------------------------------------------------------


class MappingPage(_Page):
    """One combo per column, the guesses preselected."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Assign the columns"))
        self.setSubTitle(
            self.tr("Choose the field each column fills. A name (company or last name) is needed.")
        )
        self.combos: list[QComboBox] = []
        self.grid = _table_widget(
            "importMapping", [self.tr("Column"), self.tr("Field"), self.tr("First value")]
        )
        self.grid.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.problem = QLabel()
        self.problem.setObjectName("importMappingProblem")
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.problem)
        self._headers: tuple[str, ...] = ()

    def initializePage(self) -> None:
        from akquise_desktop.imports import FIELDS, guess_mapping

        table = self.w.table
        assert table is not None
        if table.headers == self._headers and self.combos:
            return  # back and forth: keep the user's choices
        self._headers = table.headers
        guesses = guess_mapping(table.headers)
        self.grid.setRowCount(len(table.headers))
        self.combos = []
        first = table.rows[0] if table.rows else ()
        for n, header in enumerate(table.headers):
            combo = QComboBox()
            combo.setObjectName(f"importField{n}")
            combo.addItem(self.tr("— do not import —"), None)
            for key in FIELDS:
                combo.addItem(field_label(key), key)
            combo.setCurrentIndex(max(combo.findData(guesses.get(n)), 0))
            combo.currentIndexChanged.connect(lambda _i: self._changed())
            self.combos.append(combo)
            self.grid.setItem(n, 0, _cell(header))
            self.grid.setCellWidget(n, 1, combo)
            self.grid.setItem(n, 2, _cell(first[n] if n < len(first) else ""))
        self.grid.resizeColumnToContents(0)
        self.grid.setColumnWidth(1, max(self.grid.columnWidth(1), 240))
        self._changed()

    def mapping(self) -> dict[int, str]:
        return {n: c.currentData() for n, c in enumerate(self.combos) if c.currentData()}

    def set_field(self, column: int, key: str | None) -> None:
        combo = self.combos[column]
        combo.setCurrentIndex(max(combo.findData(key), 0))

    def problem_text(self) -> str:
        mapping = self.mapping()
        used: dict[str, int] = {}
        for fld in mapping.values():
            used[fld] = used.get(fld, 0) + 1
        twice = [field_label(f) for f, count in used.items() if count > 1]
        if twice:
            return self.tr("A field may be chosen for one column only: {fields}").format(
                fields=", ".join(twice)
            )
        if not any(f in ("name", "contact_last_name") for f in mapping.values()):
            return self.tr("Choose a column for the name (company or last name).")
        return ""

    def _changed(self) -> None:
        self.problem.setText(self.problem_text())
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.combos) and not self.problem_text()


# --- the settings -------------------------------------------------------------------


class SettingsPage(_Page):
    """Campaign and start status, owner, the first follow-up."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("What every imported record gets"))
        self.setSubTitle(
            self.tr("Each record joins the campaign and gets a first follow-up, so none is lost.")
        )
        self.context: Any = None  # BulkContext
        self.campaign = QComboBox()
        self.campaign.setObjectName("importCampaign")
        self.campaign.currentIndexChanged.connect(lambda _i: self._fill_statuses())
        self.status = QComboBox()
        self.status.setObjectName("importStatus")
        self.owner = QComboBox()
        self.owner.setObjectName("importOwner")
        self.days = QSpinBox()
        self.days.setObjectName("importDays")
        self.days.setRange(0, 365)
        self.days.setSuffix(self.tr(" days"))
        self.days.valueChanged.connect(lambda _v: self._show_due())
        self.due_label = QLabel()
        self.due_label.setObjectName("importDue")
        self.assignee = QComboBox()
        self.assignee.setObjectName("importAssignee")
        self.instruction = QLineEdit()
        self.instruction.setObjectName("importInstruction")
        self.instruction.setPlaceholderText(self.tr("e.g. Call and introduce us"))
        self.message = QLabel()
        self.message.setObjectName("importSettingsMessage")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)

        records = QGroupBox(self.tr("Records"))
        form = QFormLayout(records)
        form.addRow(self.tr("&Campaign:"), self.campaign)
        form.addRow(self.tr("&Status:"), self.status)
        form.addRow(self.tr("&Owner:"), self.owner)
        follow = QGroupBox(self.tr("First follow-up"))
        form2 = QFormLayout(follow)
        due_row = QHBoxLayout()
        due_row.addWidget(self.days)
        due_row.addWidget(self.due_label, 1)
        due_label = QLabel(self.tr("&Due in:"))
        due_label.setBuddy(self.days)
        form2.addRow(due_label, due_row)
        form2.addRow(self.tr("&For:"), self.assignee)
        form2.addRow(self.tr("&Instruction:"), self.instruction)
        layout = QVBoxLayout(self)
        layout.addWidget(records)
        layout.addWidget(follow)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def initializePage(self) -> None:
        if self.context is not None:
            return
        from akquise_desktop.queries.bulk_context import bulk_context

        user_id = self.w.services.user_id
        self.message.setText(self.tr("Loading …"))
        self.w.services.read(lambda s: bulk_context(s, user_id), self._loaded, self._failed)

    def _loaded(self, context: Any) -> None:
        if not shiboken6.isValid(self):
            return
        self.context = context
        self.message.setText(
            "" if context.campaigns else self.tr("There is no active campaign to import into.")
        )
        self.campaign.clear()
        for campaign in context.campaigns:
            self.campaign.addItem(campaign.name, campaign.id)
        for combo, first in ((self.owner, None), (self.assignee, self.tr("The record's owner"))):
            combo.clear()
            if first:
                combo.addItem(first, None)
            for user in context.users:
                if user.active:
                    combo.addItem(user.name, user.id)
        self.owner.setCurrentIndex(max(self.owner.findData(context.user_id), 0))
        self.days.setValue(context.default_follow_up_days)
        self._fill_statuses()
        self._show_due()
        self.completeChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        from .bulk import error_text

        if shiboken6.isValid(self):
            self.message.setText(error_text(exc))

    def _fill_statuses(self) -> None:
        self.status.clear()
        if self.context is None:
            return
        self.status.addItem(self.tr("The campaign's start status"), None)
        cid = self.campaign.currentData()
        for campaign in self.context.campaigns:
            if campaign.id == cid:
                for status in campaign.statuses:
                    if not status.is_final:
                        self.status.addItem(status.name, status.id)

    def _show_due(self) -> None:
        due = self.w.services.clock.today() + timedelta(days=self.days.value())
        self.due_label.setText(self.tr("on {date}").format(date=format_date(due)))

    def settings(self) -> Any:
        from akquise_desktop.imports import FirstFollowUp, ImportSettings

        return ImportSettings(
            campaign_id=self.campaign.currentData(),
            status_id=self.status.currentData(),
            owner_id=self.owner.currentData(),
            first_follow_up=FirstFollowUp(
                days=self.days.value(),
                assignee_id=self.assignee.currentData(),
                instruction=self.instruction.text().strip(),
            ),
        )

    def isComplete(self) -> bool:
        return self.context is not None and self.campaign.currentData() is not None


# --- duplicates and bad rows --------------------------------------------------------


class DuplicatesPage(_Page):
    """The plan: each duplicate with skip / merge / import anyway (default
    skip); the bad rows with row number and reason. Its Next starts the run."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Check duplicates and bad rows"))
        self.setSubTitle(self.tr("Nothing has been written yet; “Import” starts the import."))
        self.setCommitPage(True)
        self.setButtonText(self.w_button(), self.tr("&Import"))
        self.plan: Any = None
        self.decisions: dict[int, QComboBox] = {}
        self.summary = QLabel()
        self.summary.setObjectName("importPlanSummary")
        self.summary.setWordWrap(True)
        self.duplicates = _table_widget(
            "importDuplicates",
            [self.tr("Row"), self.tr("Name"), self.tr("Possible duplicate of"),
             self.tr("Why"), self.tr("Decision")],
        )  # fmt: skip
        self.duplicates.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.bad = _table_widget("importBadRows", [self.tr("Row"), self.tr("Reason")])
        self.bad.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.dup_box = QGroupBox(self.tr("Possible duplicates"))
        QVBoxLayout(self.dup_box).addWidget(self.duplicates)
        self.bad_box = QGroupBox(self.tr("Rows that cannot be imported"))
        QVBoxLayout(self.bad_box).addWidget(self.bad)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.dup_box, 2)
        layout.addWidget(self.bad_box, 1)

    @staticmethod
    def w_button() -> Any:
        from PySide6.QtWidgets import QWizard

        return QWizard.WizardButton.CommitButton

    def initializePage(self) -> None:
        table = self.w.table
        assert table is not None
        mapping = self.w.mapping_page.mapping()
        self.plan = None
        self.summary.setStyleSheet("")
        self.summary.setText(self.tr("Checking the rows and looking for duplicates …"))
        self.completeChanged.emit()

        def job() -> Any:
            from akquise_desktop.controller.bulk import BulkEditor

            return BulkEditor(self.w.services.controller).plan_import(table, mapping)

        self.w.services.worker.submit(job, self._planned, self._failed)

    def _failed(self, exc: BaseException) -> None:
        from .bulk import error_text

        if shiboken6.isValid(self):
            self.summary.setStyleSheet(ERROR_STYLE)
            self.summary.setText(error_text(exc))

    def _planned(self, plan: Any) -> None:
        if not shiboken6.isValid(self):
            return
        self.plan = plan
        lang = i18n.current_language()
        self.decisions = {}
        dups = sorted(plan.duplicates.items())
        self.duplicates.setRowCount(len(dups))
        reasons = {
            "phone": self.tr("phone"),
            "email": self.tr("e-mail"),
            "domain": self.tr("web domain"),
            "name": self.tr("similar name"),
        }
        for r, (position, match) in enumerate(dups):
            cand = plan.candidates[position]
            if match.record_id is not None:
                what = f"#{match.record_id} {match.record_name}"
            else:
                other = plan.candidates[match.other_index or 0]
                what = self.tr("row {row} of this file ({name})").format(
                    row=other.row, name=other.record["name"]
                )
            combo = QComboBox()
            combo.setObjectName(f"importDecision{position}")
            combo.addItem(self.tr("Skip"), "skip")
            combo.addItem(self.tr("Merge into it"), "merge")
            combo.addItem(self.tr("Import anyway"), "import")
            self.decisions[position] = combo
            self.duplicates.setItem(r, 0, _cell(str(cand.row)))
            self.duplicates.setItem(r, 1, _cell(cand.record["name"]))
            self.duplicates.setItem(r, 2, _cell(what))
            self.duplicates.setItem(
                r, 3, _cell(", ".join(reasons.get(x, x) for x in match.reasons))
            )
            self.duplicates.setCellWidget(r, 4, combo)
        self.duplicates.resizeColumnsToContents()
        self.duplicates.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.bad.setRowCount(len(plan.bad_rows))
        for r, bad in enumerate(plan.bad_rows):
            self.bad.setItem(r, 0, _cell(str(bad.row)))
            self.bad.setItem(r, 1, _cell(bad.message(lang)))
        self.bad.resizeColumnToContents(0)
        self.dup_box.setVisible(bool(dups))
        self.bad_box.setVisible(bool(plan.bad_rows))
        self.summary.setText(
            self.tr(
                "{good} of {total} rows can be imported; {dups} possible duplicates "
                "(skipped unless you decide otherwise); {bad} rows cannot be imported."
            ).format(
                good=format_number(len(plan.candidates)),
                total=format_number(plan.total),
                dups=format_number(len(dups)),
                bad=format_number(len(plan.bad_rows)),
            )
        )
        self.completeChanged.emit()

    def set_decision(self, position: int, decision: str) -> None:
        combo = self.decisions[position]
        combo.setCurrentIndex(combo.findData(decision))

    def chosen(self) -> dict[int, str]:
        return {position: combo.currentData() for position, combo in self.decisions.items()}

    def isComplete(self) -> bool:
        return self.plan is not None and bool(self.plan.candidates)


__all__ = ["DuplicatesPage", "FilePage", "MappingPage", "SettingsPage", "field_label"]
