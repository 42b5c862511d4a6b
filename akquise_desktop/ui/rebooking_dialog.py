"""Wiedervorlagen umbuchen: move open follow-ups from a user or a team to others.

All of them or filtered (due-date range, campaign, priority) — for a vacation
or a leaver; optionally spread over several users and over working days with
a maximum per user and day, skipping weekends and the public holidays of a
region (e.g. ``DE-NW``). The preview table comes from
:meth:`akquise_desktop.controller.rebooking.Rebooking.plan` (nothing written);
"Rebook" runs the plan through the bulk engine with progress and cancel, and
the run can be undone as one step like any bulk change.
"""

from __future__ import annotations

from datetime import date, timedelta

import shiboken6
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QCloseEvent, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop.controller.bulk import BulkResult
from akquise_desktop.controller.rebooking import (
    MAX_PER_DAY_LIMIT,
    DaySpread,
    RebookFilter,
    Rebooking,
    RebookPlan,
    RebookSpec,
)
from akquise_desktop.queries.bulk_context import BulkContext, bulk_context

from . import i18n
from .bulk import (
    PREVIEW_ROWS,
    BulkRunner,
    RecentRunsPanel,
    date_format,
    error_text,
    priority_names,
    qdate,
)
from .common import format_date, format_number, icon, priority_icon, warning_banner
from .holiday_region import RegionCombo
from .services import Services

CHANGED_BACKGROUND = QColor("#E3F2FD")


class RebookingDialog(QDialog):
    """Plan and run a rebooking; undo recent ones."""

    def __init__(
        self,
        services: Services,
        parent: QWidget | None = None,
        *,
        source: tuple[str, int] | None = None,
    ) -> None:
        """``source``: whose follow-ups to preselect ("user" or "team", id)."""
        super().__init__(parent)
        self.setObjectName("RebookingDialog")
        self._initial_source = source
        self.setWindowTitle(self.tr("Rebook follow-ups"))
        self.services = services
        self.context: BulkContext | None = None
        self.plan: RebookPlan | None = None
        self.bulk_result: BulkResult | None = None  # `result` would hide QDialog.result()
        self.chunk_size: int | None = None
        self._generation = 0
        self.runner = BulkRunner(services, self)
        self.runner.finished.connect(self._ran)
        self.runner.failed.connect(self._run_failed)
        self._build()
        self._connect()
        self.resize(1180, 760)
        services.read(lambda s: bulk_context(s, services.user_id), self._context_loaded, self._fail)

    # --- building ----------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        self.no_right = warning_banner()
        root.addWidget(self.no_right)

        source_box = QGroupBox(self.tr("Which follow-ups"))
        source = QFormLayout(source_box)
        self.from_combo = QComboBox()
        self.from_combo.setObjectName("fromCombo")
        source.addRow(self._label(self.tr("&From:"), self.from_combo), self.from_combo)
        self.due_from_check = QCheckBox(self.tr("Due from"))
        self.due_from_edit = self._date_edit(self.services.clock.today())
        self.due_to_check = QCheckBox(self.tr("to"))
        self.due_to_edit = self._date_edit(self.services.clock.today() + timedelta(days=14))
        range_row = QHBoxLayout()
        range_row.addWidget(self.due_from_check)
        range_row.addWidget(self.due_from_edit)
        range_row.addWidget(self.due_to_check)
        range_row.addWidget(self.due_to_edit)
        range_row.addStretch(1)
        self.due_from_edit.setEnabled(False)
        self.due_to_edit.setEnabled(False)
        source.addRow(self.tr("Date range:"), range_row)
        self.campaign_combo = QComboBox()
        source.addRow(self._label(self.tr("&Campaign:"), self.campaign_combo), self.campaign_combo)
        self.priority_checks: list[QCheckBox] = []
        priority_row = QHBoxLayout()
        for value, name in enumerate(priority_names()):
            check = QCheckBox(name)
            check.setIcon(priority_icon(value))
            check.setChecked(True)
            self.priority_checks.append(check)
            priority_row.addWidget(check)
        priority_row.addStretch(1)
        source.addRow(self.tr("Priorities:"), priority_row)

        target_box = QGroupBox(self.tr("To"))
        target = QVBoxLayout(target_box)
        hint = QLabel(self.tr("Tick one or more users; the follow-ups are shared out evenly."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #546E7A;")
        target.addWidget(hint)
        self.to_list = QListWidget()
        self.to_list.setObjectName("toList")
        self.to_list.setAccessibleName(self.tr("Target users"))
        self.to_list.setMinimumHeight(110)
        target.addWidget(self.to_list)

        self.spread_box = QGroupBox(self.tr("&Spread over working days"))
        self.spread_box.setObjectName("spreadBox")
        self.spread_box.setCheckable(True)
        self.spread_box.setChecked(False)
        spread = QFormLayout(self.spread_box)
        self.start_edit = self._date_edit(self.services.clock.today() + timedelta(days=1))
        spread.addRow(self._label(self.tr("S&tarting:"), self.start_edit), self.start_edit)
        self.max_spin = QSpinBox()
        self.max_spin.setRange(1, MAX_PER_DAY_LIMIT)
        self.max_spin.setValue(10)
        self.max_spin.setToolTip(
            self.tr("Counting the follow-ups the user already has on that day")
        )
        spread.addRow(
            self._label(self.tr("At &most per user and day:"), self.max_spin), self.max_spin
        )
        self.region_combo = RegionCombo()
        spread.addRow(self._label(self.tr("&Holidays of:"), self.region_combo), self.region_combo)
        self.keep_later_check = QCheckBox(self.tr("&Keep due dates later than the start"))
        self.keep_later_check.setChecked(True)
        spread.addRow("", self.keep_later_check)

        left = QVBoxLayout()
        left.addWidget(source_box)
        left.addWidget(target_box, 1)
        left.addWidget(self.spread_box)
        actions = QHBoxLayout()
        self.preview_button = QPushButton(icon("mdi6.eye-outline"), self.tr("&Preview"))
        self.preview_button.setObjectName("previewButton")
        self.run_button = QPushButton(icon("mdi6.swap-horizontal"), self.tr("&Rebook"))
        self.run_button.setObjectName("runButton")
        self.run_button.setEnabled(False)
        self.run_button.setToolTip(self.tr("Preview first; the rebooking does what it shows"))
        for button in (self.preview_button, self.run_button):
            button.setAutoDefault(False)
        actions.addWidget(self.preview_button)
        actions.addWidget(self.run_button)
        actions.addStretch(1)
        left.addLayout(actions)

        self.summary = QLabel(self.tr("Choose whose follow-ups go to whom, then preview."))
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.tabs = QTabWidget()
        self.plan_table = self._table(
            [
                self.tr("Record"),
                self.tr("Priority"),
                self.tr("From"),
                self.tr("Due"),
                self.tr("To"),
                self.tr("New due date"),
            ]
        )
        self.plan_table.setObjectName("planTable")
        self.refused_table = self._table([self.tr("Record"), self.tr("Reason")])
        self.refused_table.setObjectName("refusedTable")
        self.refused_table.setWordWrap(True)
        self.load_table = self._table(
            [self.tr("Day"), self.tr("User"), self.tr("Already due"), self.tr("Rebooked")]
        )
        self.load_table.setObjectName("loadTable")
        self.tabs.addTab(self.plan_table, self.tr("Follow-ups"))
        self.tabs.addTab(self.refused_table, self.tr("Refused"))
        self.tabs.addTab(self.load_table, self.tr("Per day"))
        self.runs = RecentRunsPanel(self.services, self)
        right = QVBoxLayout()
        right.addWidget(self.summary)
        right.addWidget(self.tabs, 3)
        right.addWidget(self.runs, 1)

        body = QHBoxLayout()
        body.addLayout(left, 4)
        body.addLayout(right, 6)
        root.addLayout(body, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("Close"))
        close.setAutoDefault(False)
        self.preview_button.setDefault(True)  # Enter previews; Escape closes
        root.addWidget(self.buttons)

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    @staticmethod
    def _date_edit(day: date) -> QDateEdit:
        edit = QDateEdit(QDate(day.year, day.month, day.day))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(date_format())
        return edit

    @staticmethod
    def _table(headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setWordWrap(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        return table

    def _connect(self) -> None:
        self.due_from_check.toggled.connect(self.due_from_edit.setEnabled)
        self.due_to_check.toggled.connect(self.due_to_edit.setEnabled)
        for signal in (
            self.from_combo.currentIndexChanged,
            self.due_from_check.toggled,
            self.due_from_edit.dateChanged,
            self.due_to_check.toggled,
            self.due_to_edit.dateChanged,
            self.campaign_combo.currentIndexChanged,
            self.to_list.itemChanged,
            self.spread_box.toggled,
            self.start_edit.dateChanged,
            self.max_spin.valueChanged,
            self.region_combo.currentTextChanged,
            self.keep_later_check.toggled,
            *(check.toggled for check in self.priority_checks),
        ):
            signal.connect(self._inputs_changed)
        self.preview_button.clicked.connect(self.run_preview)
        self.run_button.clicked.connect(self.run)
        self.buttons.rejected.connect(self.reject)
        self.runs.undone.connect(lambda _r: self._after_undo())

    def _after_undo(self) -> None:
        self._inputs_changed()
        self.summary.setText(self.tr("Undone (see below). Preview again to rebook."))

    # --- state -----------------------------------------------------------------------

    def _context_loaded(self, context: BulkContext) -> None:
        if not shiboken6.isValid(self):
            return
        self.context = context
        self.from_combo.blockSignals(True)
        self.from_combo.clear()
        for user in context.users:
            text = user.name if user.active else self.tr("{name} (inactive)").format(name=user.name)
            self.from_combo.addItem(icon("mdi6.account"), text, f"user:{user.id}")
        for team in context.teams:
            self.from_combo.addItem(
                icon("mdi6.account-group"),
                self.tr("Team {team} (all members)").format(team=team.name),
                f"team:{team.id}",
            )
        self.from_combo.setCurrentIndex(0)
        if self._initial_source is not None:
            kind, ident = self._initial_source
            self.from_combo.setCurrentIndex(max(0, self.from_combo.findData(f"{kind}:{ident}")))
        self.from_combo.blockSignals(False)
        self.campaign_combo.blockSignals(True)
        self.campaign_combo.clear()
        self.campaign_combo.addItem(self.tr("All campaigns"), None)
        for campaign in context.campaigns:
            self.campaign_combo.addItem(campaign.name, campaign.id)
        self.campaign_combo.blockSignals(False)
        self.to_list.blockSignals(True)
        self.to_list.clear()
        for user in context.users:
            if not user.active:
                continue
            item = QListWidgetItem(user.name)
            item.setData(Qt.ItemDataRole.UserRole, user.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.to_list.addItem(item)
        self.to_list.blockSignals(False)
        if not context.may_bulk:
            reason = self.tr(
                "Your role group “{group}” has no right for bulk editing, which rebooking needs; "
                "ask an administrator."
            ).format(group=context.role_group)
            self.no_right.setText(reason)
            self.no_right.show()
            self.runs.set_may_undo(False, reason)
            self.preview_button.setToolTip(reason)
        self._inputs_changed()

    def set_source(self, kind: str, ident: int) -> None:
        """Choose whose follow-ups ("user" or "team", id) — also for tests."""
        self.from_combo.setCurrentIndex(self.from_combo.findData(f"{kind}:{ident}"))

    def set_targets(self, user_ids: list[int]) -> None:
        for i in range(self.to_list.count()):
            item = self.to_list.item(i)
            wanted = item.data(Qt.ItemDataRole.UserRole) in user_ids
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)

    def target_ids(self) -> tuple[int, ...]:
        return tuple(
            self.to_list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.to_list.count())
            if self.to_list.item(i).checkState() == Qt.CheckState.Checked
        )

    def region(self) -> str:
        return self.region_combo.region()

    def spec(self) -> RebookSpec:
        kind, _, number = (self.from_combo.currentData() or "user:0").partition(":")
        ident = int(number)
        source = RebookFilter(
            from_user_ids=(ident,) if kind == "user" else (),
            from_team_id=ident if kind == "team" else None,
            due_from=qdate(self.due_from_edit.date()) if self.due_from_check.isChecked() else None,
            due_to=qdate(self.due_to_edit.date()) if self.due_to_check.isChecked() else None,
            campaign_id=self.campaign_combo.currentData(),
            priorities=tuple(v for v, c in enumerate(self.priority_checks) if c.isChecked()),
        )
        spread = None
        if self.spread_box.isChecked():
            spread = DaySpread(
                start=qdate(self.start_edit.date()),
                max_per_day=self.max_spin.value(),
                region=self.region(),
                keep_later_dates=self.keep_later_check.isChecked(),
            )
        return RebookSpec(source, self.target_ids(), spread)

    def _inputs_changed(self, *_args: object) -> None:
        self._generation += 1
        self.plan = None
        may = self.context is not None and self.context.may_bulk
        self.preview_button.setEnabled(may and not self.runner.running)
        self.run_button.setEnabled(False)
        self.run_button.setText(self.tr("&Rebook"))
        if self.plan_table.rowCount() or self.refused_table.rowCount():
            # What is shown belongs to other input: away with it.
            for table in (self.plan_table, self.refused_table, self.load_table):
                table.setRowCount(0)
            self.tabs.setTabText(0, self.tr("Follow-ups"))
            self.tabs.setTabText(1, self.tr("Refused"))
            self.summary.setText(self.tr("The input changed: preview again."))
            self.summary.setStyleSheet("")
        self.bulk_result = None
        problems = []
        if not any(c.isChecked() for c in self.priority_checks):
            problems.append(self.tr("Tick at least one priority."))
        if not self.target_ids():
            problems.append(self.tr("Tick the user(s) to move the follow-ups to."))
        if problems and may:
            self.preview_button.setEnabled(False)
            self.summary.setText(" ".join(problems))

    # --- preview -------------------------------------------------------------------

    def run_preview(self) -> None:
        if not self.preview_button.isEnabled():
            return
        spec = self.spec()
        generation = self._generation
        self.bulk_result = None
        self.summary.setStyleSheet("")
        self.summary.setText(self.tr("Working out the plan …"))
        self.preview_button.setEnabled(False)
        controller = self.services.controller
        self.services.worker.submit(
            lambda: Rebooking(controller).plan(spec),
            lambda plan: self._planned(generation, plan),
            lambda exc: self._plan_failed(generation, exc),
        )

    def _planned(self, generation: int, plan: RebookPlan) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        self.plan = plan
        self.preview_button.setEnabled(True)
        self._show_plan(plan)
        if not plan.rows and not plan.refused:
            text = self.tr("No open follow-ups match.")
        else:
            text = self.tr("{moving} of {total} follow-up(s) move.").format(
                moving=format_number(plan.moving), total=format_number(len(plan.rows))
            )
            if plan.refused:
                text += " " + self.tr("{n} refused (see the list).").format(
                    n=format_number(len(plan.refused))
                )
        if len(plan.rows) > PREVIEW_ROWS:
            text += " " + self.tr("The table shows the first {n}.").format(
                n=format_number(PREVIEW_ROWS)
            )
        self.summary.setText(text)
        self.run_button.setEnabled(plan.moving > 0)
        if plan.moving:
            self.run_button.setText(
                self.tr("&Rebook {n} follow-up(s)").format(n=format_number(plan.moving))
            )
        self.tabs.setCurrentIndex(0 if plan.rows or not plan.refused else 1)

    def _plan_failed(self, generation: int, exc: BaseException) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        self.preview_button.setEnabled(True)
        self.summary.setText(error_text(exc))
        self.summary.setStyleSheet("color: #B71C1C;")

    def _show_plan(self, plan: RebookPlan) -> None:
        names = priority_names()
        rows = plan.rows[:PREVIEW_ROWS]
        table = self.plan_table
        table.setRowCount(len(rows))
        highlight = QBrush(CHANGED_BACKGROUND)
        for n, row in enumerate(rows):
            cells = [
                QTableWidgetItem(row.record_name),
                QTableWidgetItem(priority_icon(row.priority), names[row.priority]),
                QTableWidgetItem(row.old_assignee),
                QTableWidgetItem(format_date(row.old_due)),
                QTableWidgetItem(row.new_assignee),
                QTableWidgetItem(format_date(row.new_due)),
            ]
            for column, cell in enumerate(cells):
                if (column == 4 and row.new_assignee_id != row.old_assignee_id) or (
                    column == 5 and row.new_due != row.old_due
                ):
                    cell.setBackground(highlight)
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                table.setItem(n, column, cell)
        self.tabs.setTabText(0, self.tr("Follow-ups ({n})").format(n=format_number(len(plan.rows))))
        lang = i18n.current_language()
        refused = plan.refused[:PREVIEW_ROWS]
        self.refused_table.setRowCount(len(refused))
        for n, refusal in enumerate(refused):
            self.refused_table.setItem(n, 0, QTableWidgetItem(refusal.label))
            self.refused_table.setItem(n, 1, QTableWidgetItem(refusal.message(lang)))
        self.refused_table.resizeRowsToContents()
        self.tabs.setTabText(1, self.tr("Refused ({n})").format(n=format_number(len(plan.refused))))
        context = self.context
        load = plan.load[:PREVIEW_ROWS]
        self.load_table.setRowCount(len(load))
        for n, day in enumerate(load):
            for column, text in enumerate(
                (
                    format_date(day.day),
                    context.user_name_of(day.user_id) if context else str(day.user_id),
                    format_number(day.existing),
                    format_number(day.planned),
                )
            ):
                self.load_table.setItem(n, column, QTableWidgetItem(text))
        self.tabs.setTabVisible(2, bool(plan.load))

    # --- run -----------------------------------------------------------------------

    def run(self) -> None:
        plan = self.plan
        if plan is None or not self.run_button.isEnabled():
            return
        chunk = self.chunk_size
        self.run_button.setEnabled(False)
        self.preview_button.setEnabled(False)
        self.summary.setText(self.tr("Rebooking …"))
        self.runner.start(
            self.tr("Rebooking {n} follow-up(s) …").format(n=format_number(plan.moving)),
            lambda ctl, progress, cancel: Rebooking(ctl).run(
                plan, progress=progress, cancel=cancel, chunk_size=chunk
            ),
            lambda result: result.summary,
        )

    def _ran(self, result: BulkResult) -> None:
        self.bulk_result = result
        self.plan = None
        if result.cancelled:
            text = self.tr(
                "Cancelled: {changed} follow-up(s) rebooked, {left} not reached."
            ).format(
                changed=format_number(len(result.changed)),
                left=format_number(len(result.not_reached)),
            )
        else:
            text = self.tr("Done: {changed} follow-up(s) rebooked.").format(
                changed=format_number(len(result.changed))
            )
        if result.refused:
            text += " " + self.tr("{n} refused (see the list).").format(
                n=format_number(len(result.refused))
            )
            lang = i18n.current_language()
            self.refused_table.setRowCount(min(len(result.refused), PREVIEW_ROWS))
            for n, refusal in enumerate(result.refused[:PREVIEW_ROWS]):
                self.refused_table.setItem(n, 0, QTableWidgetItem(refusal.label))
                self.refused_table.setItem(n, 1, QTableWidgetItem(refusal.message(lang)))
            self.tabs.setTabText(
                1, self.tr("Refused ({n})").format(n=format_number(len(result.refused)))
            )
            self.tabs.setCurrentIndex(1)
        if result.changed:
            text += " " + self.tr("“Undo” below reverts it.")
        self.summary.setText(text)
        self.summary.setStyleSheet("color: #1B5E20;")
        self.preview_button.setEnabled(True)
        self.run_button.setText(self.tr("&Rebook"))
        if result.run_id is not None:
            self.runs.reload()
            self.runs.select_run(result.run_id)

    def _run_failed(self, exc: BaseException) -> None:
        self.plan = None
        self.preview_button.setEnabled(True)
        self.run_button.setText(self.tr("&Rebook"))
        self.summary.setText(error_text(exc))
        self.summary.setStyleSheet("color: #B71C1C;")

    # --- closing -------------------------------------------------------------------

    def reject(self) -> None:
        if self.runner.running or self.runs.runner.running:
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.runner.running or self.runs.runner.running:
            event.ignore()
            return
        super().closeEvent(event)

    def _fail(self, exc: BaseException) -> None:
        if shiboken6.isValid(self):
            self.summary.setText(error_text(exc))
            self.summary.setStyleSheet("color: #B71C1C;")
