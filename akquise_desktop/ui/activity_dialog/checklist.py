"""The activity dialog's check list of the record's open follow-ups: those
ticked are completed by the activity, naming the version the user saw."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGroupBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from akquise_desktop.queries.activity_form import ActivityForm, OpenFollowUp

from ..common import due_roles, format_date, format_time, priority_icon
from .shared import describe_rule


class FollowUpChecklist(QGroupBox):
    """The open follow-ups the activity completes."""

    changed = Signal()  # a follow-up ticked or unticked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Complete open follow-ups"))
        self._follow_ups: tuple[OpenFollowUp, ...] = ()
        layout = QVBoxLayout(self)
        self.completes_list = QListWidget()
        self.completes_list.setObjectName("completesList")
        self.completes_list.setAccessibleName(self.tr("Open follow-ups to complete"))
        self.completes_list.setMinimumHeight(70)
        self.completes_list.setWordWrap(True)
        self.completes_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.completes_list)
        self.no_follow_ups = QLabel(self.tr("This record has no open follow-up."))
        self.no_follow_ups.setStyleSheet("color: palette(mid);")
        self.no_follow_ups.hide()
        layout.addWidget(self.no_follow_ups)
        self.completes_list.itemChanged.connect(self.changed)

    def fill(self, form: ActivityForm, ticked: set[int], today: date) -> None:
        """The open follow-ups of ``form``, those in ``ticked`` ticked; due
        colours as of ``today``."""
        self._follow_ups = form.open_follow_ups
        self.completes_list.blockSignals(True)
        self.completes_list.clear()
        for fu in form.open_follow_ups:
            parts = [format_date(fu.due_date)]
            if fu.due_time is not None:
                parts[0] += " " + format_time(fu.due_time)
            parts.append(fu.instruction or self.tr("(no instruction)"))
            parts.append(fu.assignee_name)
            item = QListWidgetItem(priority_icon(fu.priority), " · ".join(parts))
            item.setData(Qt.ItemDataRole.UserRole, fu.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            check = fu.id in ticked
            item.setCheckState(Qt.CheckState.Checked if check else Qt.CheckState.Unchecked)
            foreground, background = due_roles(fu.due_date, today)
            if foreground is not None:
                item.setForeground(foreground)
            if background is not None:
                item.setBackground(background)
            tip = []
            if fu.source_subject:
                tip.append(self.tr("From activity: {subject}").format(subject=fu.source_subject))
            if fu.recurrence:
                described = describe_rule(
                    fu.recurrence, fu.series_start_date or fu.due_date, fu.time_zone
                )
                tip.append(
                    self.tr("Recurring ({rule}); completing it creates the next one.").format(
                        rule=described or fu.recurrence
                    )
                )
                item.setText(item.text() + " · " + self.tr("recurring"))
            item.setToolTip("\n".join(tip))
            self.completes_list.addItem(item)
        self.completes_list.blockSignals(False)
        has_any = bool(form.open_follow_ups)
        self.completes_list.setVisible(has_any)
        self.no_follow_ups.setVisible(not has_any)

    def ticked_follow_up_ids(self) -> set[int]:
        ids = set()
        for i in range(self.completes_list.count()):
            item = self.completes_list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                ids.add(int(item.data(Qt.ItemDataRole.UserRole)))
        return ids

    def completes(self) -> dict[int, int] | tuple[int, ...]:
        """The ticked follow-ups with the versions the user saw: one changed
        since (rescheduled, rebooked, completed) is refused, naming the change."""
        ticked = self.ticked_follow_up_ids()
        known = {fu.id: fu.version for fu in self._follow_ups}
        if all(known.get(i) is not None for i in ticked):
            return {i: known[i] for i in sorted(ticked)}  # type: ignore[misc]
        return tuple(sorted(ticked))

    def ticks(self) -> dict[int, bool]:
        """follow-up id -> ticked, for every follow-up in the list."""
        present = {
            int(self.completes_list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.completes_list.count())
        }
        ticked = self.ticked_follow_up_ids()
        return {fid: fid in ticked for fid in present}

    def focus_chain(self) -> list[QWidget]:
        """The list, in tab order."""
        return [self.completes_list]
