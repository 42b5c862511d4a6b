"""Meine Wiedervorlagen: the open follow-ups of me, my team or a chosen user.

Filter by due bucket (overdue, today, this week, later — each with its
count), rows by due date, fetched page by page. "Complete…" opens the
activity dialog with the follow-up ticked; the pane below shows the selected
follow-up's source activity ("zugehörige Aktivität").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop.core.changes import ChangeSummary, Entity
from akquise_desktop.queries.follow_ups import (
    PAGE_SIZE,
    Bucket,
    FollowUpDetail,
    FollowUpFilter,
    FollowUpRow,
    ListContext,
    bucket_counts,
    follow_up_detail,
    follow_up_page,
    list_context,
)

from .common import (
    activity_type_icon,
    due_roles,
    format_date,
    format_datetime,
    format_number,
    format_time,
    icon,
    priority_icon,
)
from .empty_state import FollowUpListEmptyState
from .keyset_model import KeysetTableModel, keep_place
from .services import Services

if TYPE_CHECKING:
    from .activity_dialog import ActivityDialog  # imported when first opened

MINE, TEAM, USER = "mine", "team", "user"
# Changes after which the list may be out of date.
WATCHED = (Entity.FOLLOW_UP, Entity.RECORD, Entity.ACTIVITY, Entity.USER)


class FollowUpTableModel(KeysetTableModel[FollowUpRow]):
    DUE, PRIORITY, RECORD, INSTRUCTION, ASSIGNEE, SOURCE = range(6)

    def __init__(self, services: Services, today: Callable[[], date], parent=None) -> None:
        super().__init__(services, page_size=PAGE_SIZE, parent=parent)
        self.today = today
        self.headers = (
            self.tr("Due"),
            self.tr("Priority"),
            self.tr("Record"),
            self.tr("Instruction"),
            self.tr("Assignee"),
            self.tr("Source activity"),
        )
        self.priority_names = (self.tr("Normal"), self.tr("High"), self.tr("Time-critical"))
        self.no_source = self.tr("(none)")
        self.bold = QFont()
        self.bold.setBold(True)
        self.recurring = self.tr("Recurring: {rule}")

    def cell(self, row: FollowUpRow, column: int, role: int) -> Any:
        R = Qt.ItemDataRole
        if role == R.DisplayRole:
            if column == self.DUE:
                text = format_date(row.due_date)
                return f"{text} {format_time(row.due_time)}" if row.due_time else text
            if column == self.RECORD:
                return (
                    f"{row.record_name} ({row.record_city})" if row.record_city else row.record_name
                )
            if column == self.INSTRUCTION:
                return row.instruction
            if column == self.ASSIGNEE:
                return row.assignee_name
            if column == self.SOURCE:
                if row.source_activity_id is None:
                    return self.no_source
                return f"{format_date(row.source_occurred_at)} · {row.source_subject}"
        elif role == R.DecorationRole:
            if column == self.PRIORITY:
                return priority_icon(row.priority)
            if column == self.SOURCE and row.source_type_icon:
                return activity_type_icon(row.source_type_icon)
            if column == self.INSTRUCTION and row.recurrence:
                return icon("mdi6.repeat", "#546E7A")
        elif role == R.ForegroundRole:
            # overdue: the due date in red
            return due_roles(row.due_date, self.today())[0] if column == self.DUE else None
        elif role == R.BackgroundRole:
            # due today: the whole row highlighted
            return due_roles(row.due_date, self.today())[1]
        elif role == R.FontRole and column == self.DUE and row.due_date < self.today():
            return self.bold
        elif role == R.ToolTipRole:
            if column == self.PRIORITY:
                return self.priority_names[row.priority]
            if column == self.INSTRUCTION and row.recurrence:
                return self.recurring.format(rule=row.recurrence)
            if column == self.SOURCE and row.source_subject:
                return row.source_subject
            if column == self.RECORD:
                return self.cell(row, column, R.DisplayRole)
            if column == self.INSTRUCTION:
                return row.instruction or None
        elif role == R.AccessibleTextRole and column == self.PRIORITY:
            return self.priority_names[row.priority]
        return None


class FollowUpListView(QWidget):
    """Open follow-ups of me / my team / a chosen user, filtered by due bucket."""

    record_requested = Signal(int)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.today_fn: Callable[[], date] = services.clock.today
        self.context: ListContext | None = None
        self.counts: dict[Bucket, int] = {}
        self._detail_generation = 0
        self._selected_id: int | None = None
        self._selected_at = 0
        self._following_id: int | None = None
        self.model = FollowUpTableModel(services, lambda: self.today_fn(), self)
        self._shown: FollowUpFilter | None = None  # the filter of the rows shown
        self._build()
        self._connect()
        services.bus.changed.connect(self._on_changed)
        # The first screen: my follow-ups, all buckets — what the filter is before
        # the list context (team, users to choose from) is known; asked for at
        # once, ahead of the context, so the rows do not wait for it.
        self._load(FollowUpFilter(today=self.today_fn(), user_id=services.user_id))
        self.services.read(
            lambda s: list_context(s, services.user_id), self._context_loaded, self._failed
        )

    # --- building ----------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        bar = QHBoxLayout()
        root.addLayout(bar)
        whose_label = QLabel(self.tr("&Whose:"))
        self.whose_combo = QComboBox()
        self.whose_combo.addItem(icon("mdi6.account"), self.tr("Mine"), MINE)
        self.whose_combo.addItem(icon("mdi6.account-group"), self.tr("My team"), TEAM)
        self.whose_combo.addItem(icon("mdi6.account-search"), self.tr("User:"), USER)
        whose_label.setBuddy(self.whose_combo)
        self.user_combo = QComboBox()
        self.user_combo.setAccessibleName(self.tr("User"))
        self.user_combo.setMinimumContentsLength(14)
        self.user_combo.hide()
        bar.addWidget(whose_label)
        bar.addWidget(self.whose_combo)
        bar.addWidget(self.user_combo)
        bar.addSpacing(16)

        self.bucket_group = QButtonGroup(self)
        self.bucket_group.setExclusive(True)
        self.bucket_buttons: dict[Bucket, QToolButton] = {}
        for i, bucket in enumerate(
            (Bucket.ALL, Bucket.OVERDUE, Bucket.TODAY, Bucket.WEEK, Bucket.LATER)
        ):
            button = QToolButton()
            button.setCheckable(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setShortcut(QKeySequence(f"Alt+{i + 1}"))
            button.setObjectName(f"bucket_{bucket.value}")
            self.bucket_group.addButton(button)
            self.bucket_buttons[bucket] = button
            bar.addWidget(button)
        self.bucket_buttons[Bucket.ALL].setChecked(True)
        self._label_buckets()
        bar.addStretch(1)

        self.complete_button = QPushButton(icon("mdi6.check-circle-outline"), self.tr("&Complete…"))
        self.complete_button.setToolTip(
            self.tr("Log the activity that completes this follow-up (Enter)")
        )
        self.open_button = QPushButton(
            icon("mdi6.card-account-details-outline"), self.tr("&Open record")
        )
        self.open_button.setToolTip(self.tr("Open the record (Ctrl+O)"))
        bar.addWidget(self.complete_button)
        bar.addWidget(self.open_button)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("followUpSplitter")
        root.addWidget(self.splitter, 1)
        self.table = QTableView()
        self.table.setObjectName("followUpTable")
        self.table.setModel(self.model)
        keep_place(self.table)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((0, 140), (1, 64), (2, 280), (3, 250), (4, 130)):
            self.table.setColumnWidth(column, width)
        self.splitter.addWidget(self.table)
        self.empty_state = FollowUpListEmptyState(self.table)
        self.empty_state.show_all_requested.connect(lambda: self.set_bucket(Bucket.ALL))

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 4, 0, 0)
        self.detail_title = QLabel(self.tr("Source activity"))
        font = self.detail_title.font()
        font.setBold(True)
        self.detail_title.setFont(font)
        detail_layout.addWidget(self.detail_title)
        self.detail = QTextBrowser()
        self.detail.setObjectName("sourceActivity")
        self.detail.setOpenLinks(False)
        self.detail.setAccessibleName(self.tr("Source activity"))
        detail_layout.addWidget(self.detail)
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)

        self.status = QLabel()
        self.status.setObjectName("statusLine")
        root.addWidget(self.status)
        self._update_actions()

    def _connect(self) -> None:
        self.whose_combo.currentIndexChanged.connect(self._whose_changed)
        self.user_combo.currentIndexChanged.connect(lambda _: self.refresh())
        self.bucket_group.buttonClicked.connect(lambda _: self.refresh(counts=False))
        self.complete_button.clicked.connect(self.complete_selected)
        self.open_button.clicked.connect(self.open_selected_record)
        self.table.activated.connect(lambda _: self.complete_selected())
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.detail.anchorClicked.connect(self._anchor_clicked)
        self.model.loaded.connect(self._rows_reloaded)
        self.model.rowsInserted.connect(lambda *_: self._update_status())
        self.model.failed.connect(self._failed)
        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence("Ctrl+O"), self, self.open_selected_record, context=ctx)
        QShortcut(QKeySequence("Ctrl+E"), self, self.complete_selected, context=ctx)

    def _label_buckets(self) -> None:
        names = {
            Bucket.ALL: self.tr("All"),
            Bucket.OVERDUE: self.tr("Overdue"),
            Bucket.TODAY: self.tr("Today"),
            Bucket.WEEK: self.tr("This week"),
            Bucket.LATER: self.tr("Later"),
        }
        for bucket, button in self.bucket_buttons.items():
            count = self.counts.get(bucket)
            text = names[bucket] if count is None else f"{names[bucket]} ({format_number(count)})"
            button.setText(text)
            button.setToolTip(
                self.tr("{bucket} — {shortcut}").format(
                    bucket=names[bucket],
                    shortcut=button.shortcut().toString(QKeySequence.SequenceFormat.NativeText),
                )
            )

    # --- filter ----------------------------------------------------------------------

    def _context_loaded(self, ctx: ListContext) -> None:
        if not shiboken6.isValid(self):
            return  # the window was closed (a language switch) before the answer came
        self.context = ctx
        self.user_combo.blockSignals(True)
        self.user_combo.clear()
        for u in ctx.users:
            self.user_combo.addItem(u.name, u.id)
        self.user_combo.setCurrentIndex(max(0, self.user_combo.findData(ctx.user_id)))
        self.user_combo.blockSignals(False)
        team_item = self.whose_combo.model().item(1)  # type: ignore[attr-defined]
        if ctx.team_id is None:
            team_item.setEnabled(False)
            team_item.setToolTip(self.tr("You belong to no team."))
        else:
            self.whose_combo.setItemText(1, self.tr("My team ({team})").format(team=ctx.team_name))
        if self.current_filter() != self._shown:
            self.refresh()

    def _whose_changed(self) -> None:
        self.user_combo.setVisible(self.whose_combo.currentData() == USER)
        self.refresh()

    def set_whose(self, whose: str, user_id: int | None = None) -> None:
        """Choose mine / my team / a user (also for tests)."""
        if user_id is not None:
            self.user_combo.blockSignals(True)
            self.user_combo.setCurrentIndex(self.user_combo.findData(user_id))
            self.user_combo.blockSignals(False)
        self.whose_combo.setCurrentIndex(self.whose_combo.findData(whose))
        self.refresh()

    def set_bucket(self, bucket: Bucket) -> None:
        self.bucket_buttons[bucket].setChecked(True)
        self.refresh(counts=False)

    def bucket(self) -> Bucket:
        return next(b for b, button in self.bucket_buttons.items() if button.isChecked())

    def current_filter(self) -> FollowUpFilter | None:
        if self.context is None:
            return None
        whose = self.whose_combo.currentData()
        today = self.today_fn()
        if whose == TEAM and self.context.team_id is not None:
            return FollowUpFilter(today=today, team_id=self.context.team_id, bucket=self.bucket())
        user_id = self.context.user_id
        if whose == USER and self.user_combo.currentData() is not None:
            user_id = self.user_combo.currentData()
        return FollowUpFilter(today=today, user_id=user_id, bucket=self.bucket())

    def refresh(self, *, counts: bool = True) -> None:
        """Load the list for the current filter from its first page."""
        f = self.current_filter()
        if f is None:
            return
        self._remember_selection()
        self._selected_at = 0  # another filter: if the selection is gone, start at the top
        self._following_id = None
        self._load(f, counts=counts)

    def _load(self, f: FollowUpFilter, *, counts: bool = True) -> None:
        self._shown = f
        self.model.set_query(lambda s, after, limit: follow_up_page(s, f, after=after, limit=limit))
        if counts:
            self._load_counts(f)

    def _load_counts(self, f: FollowUpFilter) -> None:
        self.services.read(lambda s: bucket_counts(s, f), self._counts_loaded, self._failed)

    def _counts_loaded(self, counts: dict[Bucket, int]) -> None:
        if not shiboken6.isValid(self):
            return
        self.counts = counts
        self._label_buckets()
        self._update_status()

    def _on_changed(self, summary: ChangeSummary) -> None:
        if not summary.touches(*WATCHED):
            return
        f = self.current_filter() or self._shown  # (before the context: the first screen's)
        if f is None:
            return
        self._remember_selection()
        self.model.reload()
        self._load_counts(f)

    # --- selection and details ------------------------------------------------------

    def selected_row(self) -> FollowUpRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _remember_selection(self) -> None:
        index = self.table.currentIndex()
        row = self.model.row_at(index.row()) if index.isValid() else None
        if row is not None:
            self._selected_id = row.id
            self._selected_at = index.row()
            following = self.model.row_at(index.row() + 1)
            self._following_id = following.id if following else None

    def _rows_reloaded(self) -> None:
        """Keep the selected follow-up; when it left the list (completed), select
        the one that came after it — the next one to work on."""
        wanted = self._selected_id
        kept = self.selected_row()
        if kept is not None and kept.id == wanted:
            # A reload kept current row, selection and scroll position (by id).
            self._update_status()
            self._update_actions()
            return
        index = self.model.find(lambda r: r.id == wanted) if wanted is not None else -1
        if index < 0 and self._following_id is not None:
            following = self._following_id
            index = self.model.find(lambda r: r.id == following)
        if index < 0 and self.model.rows:
            index = min(self._selected_at, len(self.model.rows) - 1)
        if index >= 0:
            # (other rows still selected stay so; else the one selected)
            flag = QItemSelectionModel.SelectionFlag
            selected = self.table.selectionModel().hasSelection()
            mode = flag.Select if selected else flag.ClearAndSelect
            self.table.selectionModel().setCurrentIndex(
                self.model.index(index, 0), mode | flag.Rows
            )
        else:
            self._show_detail(None)
        self._update_status()
        self._update_actions()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(current.row()) if current.isValid() else None
        self._selected_id = row.id if row else self._selected_id
        self._update_actions()
        if row is None:
            self._show_detail(None)
            return
        self._detail_generation += 1
        generation = self._detail_generation

        def done(detail: FollowUpDetail | None) -> None:
            if shiboken6.isValid(self) and generation == self._detail_generation:
                self._show_detail(detail, row)

        self.services.read(lambda s: follow_up_detail(s, row.id), done, self._failed)

    def _show_detail(self, detail: FollowUpDetail | None, row: FollowUpRow | None = None) -> None:
        # (translatable strings outside f-strings, so lupdate finds them)
        if detail is None or row is None:
            nothing = self.tr("No follow-up selected.")
            self.detail.setHtml(f"<p style='color:gray'>{_esc(nothing)}</p>")
            return
        due = self.tr("due {date}").format(date=self.model.cell(row, 0, 0))
        parts = [f"<p><b>{_esc(row.record_name)}</b> — {_esc(due)} · {_esc(row.assignee_name)}</p>"]
        if row.instruction:
            label = self.tr("Instruction:")
            parts.append(f"<p>{_esc(label)} {_esc(row.instruction)}</p>")
        source = detail.source
        if source is None:
            none = self.tr("This follow-up has no source activity.")
            parts.append(f"<p style='color:gray'>{_esc(none)}</p>")
        else:
            meta = [format_datetime(source.occurred_at), source.type_name, source.user_name]
            if source.contact:
                meta.append(self.tr("with {contact}").format(contact=source.contact))
            parts.append(
                f"<p><b>{_esc(source.subject)}</b><br>"
                f"<span style='color:#546E7A'>{_esc(' · '.join(meta))}</span></p>"
            )
            if source.text:
                parts.append(f"<p style='white-space:pre-wrap'>{_esc(source.text)}</p>")
        open_record = self.tr("Open record")
        parts.append(f"<p><a href='record:{row.record_id}'>{_esc(open_record)}</a></p>")
        self.detail.setHtml("".join(parts))

    def _anchor_clicked(self, url) -> None:
        text = url.toString()
        if text.startswith("record:"):
            self.record_requested.emit(int(text.split(":", 1)[1]))

    def _update_actions(self) -> None:
        has = self.selected_row() is not None
        self.complete_button.setEnabled(has)
        self.open_button.setEnabled(has)

    def _update_status(self) -> None:
        f, ctx, whose = self._shown, self.context, ""  # (whose: "" for my own list)
        if f is not None and ctx is not None and f.user_id != ctx.user_id:
            whose = (ctx.team_name or "") if f.team_id else self.user_combo.currentText()
        self.empty_state.update_for(self.counts, self.bucket(), whose)
        total = self.counts.get(self.bucket())
        shown = len(self.model.rows)
        if total is None:
            self.status.setText("")
        elif total == 0:
            self.status.setText(self.tr("No open follow-ups here."))
        else:
            self.status.setText(
                self.tr("{shown} of {total} open follow-ups loaded").format(
                    shown=format_number(shown), total=format_number(total)
                )
            )

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self.status.setText(self.tr("Could not load: {error}").format(error=exc))

    # --- actions -----------------------------------------------------------------------

    def complete_selected(self) -> ActivityDialog | None:
        """Open the activity dialog that completes the selected follow-up."""
        row = self.selected_row()
        if row is None:
            return None
        from .activity_dialog import ActivityDialog

        dialog = ActivityDialog(
            self.services, row.record_id, complete_follow_up_id=row.id, parent=self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_selected_record(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.record_requested.emit(row.record_id)

    # --- hook for bulk editing (ui/power_tools.py) ---------------------------------

    def add_context_action(self, action: QAction) -> None:
        """Offer ``action`` in the table's context menu; rows become multi-selectable."""
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.addAction(action)

    def selected_follow_up_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [row.id for r in rows if (row := self.model.row_at(r)) is not None]

    def select_follow_up(self, follow_up_id: int) -> bool:
        index = self.model.find(lambda r: r.id == follow_up_id)
        if index < 0:
            return False
        self.table.selectionModel().setCurrentIndex(
            self.model.index(index, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        return True


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
