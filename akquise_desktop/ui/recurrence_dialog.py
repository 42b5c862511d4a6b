"""The recurrence editor (automatische Wiederholung) of the activity dialog.

A small dialog over the presets of :mod:`akquise_desktop.core.recurrence`
(daily, weekly on a weekday, every N weeks, monthly on day N, monthly on the
last Friday, quarterly, half-yearly, yearly, a custom RRULE), the end of the
series (never, after N times, on a date), where the next occurrence is
counted from (the due date or the completion date) and a preview of the next
dates (:func:`akquise_desktop.controller.recurring.upcoming`), optionally moved
off weekends and the public holidays of a region. Everything here
is pure computation on the GUI thread; nothing touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop.controller.recurring import Occurrence, upcoming
from akquise_desktop.core import recurrence
from akquise_desktop.core.errors import DomainError
from akquise_desktop.core.recurrence import (
    COUNT_MAX,
    INTERVAL_MAX,
    Preset,
    RecurrenceSpec,
    build_rule,
    spec_from_rule,
)
from akquise_desktop.models import RecurrenceAnchor

from . import i18n
from .common import format_date, format_time, icon
from .holiday_region import RegionCombo

PREVIEW_COUNT = 8
DEFAULT_COUNT = 6


@dataclass(frozen=True)
class RecurrenceChoice:
    """What the editor hands back: the RRULE text and the anchor."""

    rule: str
    anchor: RecurrenceAnchor
    shift: str | None = None  # holiday region: dates move off its days off


class RecurrenceDialog(QDialog):
    """Edit the recurrence of a new follow-up whose first due date is ``first_due``."""

    def __init__(
        self,
        first_due: date,
        at: time | None = None,
        *,
        rule: str | None = None,
        spec: RecurrenceSpec | None = None,
        anchor: RecurrenceAnchor = RecurrenceAnchor.DUE,
        shift: str | None = None,
        zone: str = recurrence.DEFAULT_ZONE,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("RecurrenceDialog")
        self.setWindowTitle(self.tr("Repeat the follow-up"))
        self.first_due = first_due
        self.at = at
        self.zone = zone
        self._rule: str | None = None
        self._error = ""
        self._build()
        if spec is None and rule:
            spec = spec_from_rule(rule, first_due, zone=zone)
        self.set_spec(spec or RecurrenceSpec(Preset.WEEKLY))
        self.set_anchor(anchor)
        self.set_shift(shift)
        self._connect()
        self._update()

    # --- building ----------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        intro = QLabel(
            self.tr("The first follow-up is due on {date}.").format(
                date=_day_text(self.first_due, self.at)
            )
        )
        intro.setWordWrap(True)
        root.addWidget(intro)

        rule_box = QGroupBox(self.tr("Repeat"))
        self.form = QFormLayout(rule_box)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.preset_combo = QComboBox()
        self.preset_combo.setObjectName("presetCombo")
        for preset, text in (
            (Preset.DAILY, self.tr("Daily / every N days")),
            (Preset.WEEKLY, self.tr("Weekly on a weekday")),
            (Preset.EVERY_N_WEEKS, self.tr("Every N weeks on a weekday")),
            (Preset.MONTHLY_DAY, self.tr("Monthly on day N")),
            (Preset.MONTHLY_LAST_WEEKDAY, self.tr("Monthly on the last weekday (e.g. Friday)")),
            (Preset.QUARTERLY, self.tr("Quarterly")),
            (Preset.HALF_YEARLY, self.tr("Half-yearly")),
            (Preset.YEARLY, self.tr("Yearly")),
            (Preset.CUSTOM, self.tr("Custom rule (RRULE)")),
        ):
            self.preset_combo.addItem(text, preset.value)
        self._add_row(self.tr("&Rhythm:"), self.preset_combo)

        self.interval_spin = QSpinBox()
        self.interval_spin.setRange(1, INTERVAL_MAX)
        self.interval_spin.setAccessibleName(self.tr("Interval"))
        self.interval_unit = QLabel()
        interval_row = QWidget()
        row = QHBoxLayout(interval_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.interval_spin)
        row.addWidget(self.interval_unit)
        row.addStretch(1)
        self.interval_label = self._add_row(self.tr("&Every:"), interval_row, self.interval_spin)
        self.interval_row = interval_row

        self.weekday_combo = QComboBox()
        locale = QLocale()
        for day in range(7):  # 0 = Monday, as in the presets
            self.weekday_combo.addItem(locale.dayName(day + 1, QLocale.FormatType.LongFormat), day)
        self.weekday_label = self._add_row(self.tr("&Weekday:"), self.weekday_combo)

        self.month_day_spin = QSpinBox()
        self.month_day_spin.setRange(1, 31)
        self.month_day_spin.setToolTip(
            self.tr("29, 30 or 31: the last day of the month in shorter months")
        )
        self.month_day_label = self._add_row(self.tr("Day of the &month:"), self.month_day_spin)

        self.custom_edit = QLineEdit()
        self.custom_edit.setObjectName("customRule")
        self.custom_edit.setPlaceholderText(self.tr("e.g. FREQ=MONTHLY;BYDAY=-1FR"))
        self.custom_edit.setToolTip(
            self.tr("An RFC 5545 RRULE without DTSTART; FREQ is DAILY, WEEKLY, MONTHLY or YEARLY.")
        )
        self.custom_label = self._add_row(self.tr("R&ule:"), self.custom_edit)
        root.addWidget(rule_box)

        end_box = QGroupBox(self.tr("End"))
        end_layout = QVBoxLayout(end_box)
        self.end_group = QButtonGroup(self)
        self.end_never = QRadioButton(self.tr("&Never"))
        self.end_count = QRadioButton(self.tr("&After"))
        self.end_until = QRadioButton(self.tr("&On"))
        self.count_spin = QSpinBox()
        self.count_spin.setRange(2, COUNT_MAX)
        self.count_spin.setValue(DEFAULT_COUNT)
        self.count_spin.setAccessibleName(self.tr("Number of follow-ups"))
        self.until_edit = QDateEdit()
        self.until_edit.setCalendarPopup(True)
        self.until_edit.setDisplayFormat(_date_format())
        self.until_edit.setAccessibleName(self.tr("Last day of the series"))
        later = self.first_due.replace(
            year=self.first_due.year + 1, day=min(self.first_due.day, 28)
        )
        self.until_edit.setDate(QDate(later.year, later.month, later.day))
        for n, button in enumerate((self.end_never, self.end_count, self.end_until)):
            self.end_group.addButton(button, n)
        self.end_never.setChecked(True)
        end_layout.addWidget(self.end_never)
        count_row = QHBoxLayout()
        count_row.addWidget(self.end_count)
        count_row.addWidget(self.count_spin)
        count_row.addWidget(QLabel(self.tr("follow-ups (the first included)")))
        count_row.addStretch(1)
        end_layout.addLayout(count_row)
        until_row = QHBoxLayout()
        until_row.addWidget(self.end_until)
        until_row.addWidget(self.until_edit)
        until_row.addWidget(QLabel(self.tr("(the last possible day)")))
        until_row.addStretch(1)
        end_layout.addLayout(until_row)

        anchor_box = QGroupBox(self.tr("Count the next date from"))
        anchor_layout = QVBoxLayout(anchor_box)
        self.anchor_group = QButtonGroup(self)
        self.anchor_due = QRadioButton(self.tr("the &due date (a fixed rhythm)"))
        self.anchor_completion = QRadioButton(
            self.tr("the &completion date (e.g. 3 months after the last contact)")
        )
        self.anchor_group.addButton(self.anchor_due, 0)
        self.anchor_group.addButton(self.anchor_completion, 1)
        anchor_layout.addWidget(self.anchor_due)
        anchor_layout.addWidget(self.anchor_completion)

        options = QHBoxLayout()
        options.addWidget(end_box, 1)
        options.addWidget(anchor_box, 1)
        root.addLayout(options)

        shift_row = QHBoxLayout()
        self.shift_check = QCheckBox(self.tr("&Move dates off weekends and the public holidays of"))
        self.shift_check.setObjectName("shiftCheck")
        self.region_combo = RegionCombo()
        self.region_combo.setEnabled(False)
        shift_row.addWidget(self.shift_check)
        shift_row.addWidget(self.region_combo, 1)
        root.addLayout(shift_row)

        preview_box = QGroupBox(self.tr("Preview"))
        preview_layout = QVBoxLayout(preview_box)
        self.description = QLabel()
        self.description.setObjectName("description")
        self.description.setWordWrap(True)
        font = self.description.font()
        font.setBold(True)
        self.description.setFont(font)
        preview_layout.addWidget(self.description)
        self.preview_list = QListWidget()
        self.preview_list.setObjectName("previewList")
        self.preview_list.setAccessibleName(self.tr("The next dates"))
        self.preview_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.preview_list.setMinimumHeight(150)
        preview_layout.addWidget(self.preview_list)
        self.preview_note = QLabel(
            self.tr("Dates as completing each follow-up on its due date would create them.")
        )
        self.preview_note.setWordWrap(True)
        self.preview_note.setStyleSheet("color: #546E7A;")
        preview_layout.addWidget(self.preview_note)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #B71C1C;")
        self.error_label.hide()
        preview_layout.addWidget(self.error_label)
        root.addWidget(preview_box, 1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("&Apply"))
        self.ok_button.setIcon(icon("mdi6.repeat"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        root.addWidget(self.buttons)
        self.resize(560, 620)

    def _add_row(self, text: str, field: QWidget, buddy: QWidget | None = None) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy or field)
        self.form.addRow(label, field)
        return label

    def _connect(self) -> None:
        self.preset_combo.currentIndexChanged.connect(self._preset_changed)
        for signal in (
            self.interval_spin.valueChanged,
            self.weekday_combo.currentIndexChanged,
            self.month_day_spin.valueChanged,
            self.custom_edit.textChanged,
            self.count_spin.valueChanged,
            self.until_edit.dateChanged,
            self.end_group.idToggled,
            self.anchor_group.idToggled,
            self.shift_check.toggled,
            self.region_combo.currentTextChanged,
        ):
            signal.connect(self._update)
        self.shift_check.toggled.connect(self.region_combo.setEnabled)
        self.count_spin.valueChanged.connect(lambda _v: self.end_count.setChecked(True))
        self.until_edit.dateChanged.connect(lambda _d: self.end_until.setChecked(True))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    # --- state ---------------------------------------------------------------------

    def preset(self) -> Preset:
        return Preset(self.preset_combo.currentData())

    def set_spec(self, spec: RecurrenceSpec) -> None:
        """Show ``spec`` (defaults from the first due date where it leaves them open)."""
        widgets = (
            self.preset_combo,
            self.interval_spin,
            self.weekday_combo,
            self.month_day_spin,
            self.custom_edit,
            self.count_spin,
            self.until_edit,
        )
        for widget in widgets:
            widget.blockSignals(True)
        try:
            preset = Preset(spec.preset)
            self.preset_combo.setCurrentIndex(self.preset_combo.findData(preset.value))
            interval = spec.interval
            if preset is Preset.EVERY_N_WEEKS:
                interval = max(interval, 2)
            self.interval_spin.setValue(interval)
            weekday = spec.weekday
            if weekday is None:
                weekday = (
                    recurrence.FRIDAY
                    if preset is Preset.MONTHLY_LAST_WEEKDAY
                    else self.first_due.weekday()
                )
            self.weekday_combo.setCurrentIndex(weekday)
            self.month_day_spin.setValue(spec.month_day or self.first_due.day)
            self.custom_edit.setText(spec.custom or "")
            if spec.count is not None:
                self.count_spin.setValue(spec.count)
                self.end_count.setChecked(True)
            elif spec.until is not None:
                self.until_edit.setDate(QDate(spec.until.year, spec.until.month, spec.until.day))
                self.end_until.setChecked(True)
            else:
                self.end_never.setChecked(True)
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._show_fields()
        self._update()

    def set_anchor(self, anchor: RecurrenceAnchor) -> None:
        completion = RecurrenceAnchor(anchor) is RecurrenceAnchor.COMPLETION
        (self.anchor_completion if completion else self.anchor_due).setChecked(True)

    def set_shift(self, region: str | None) -> None:
        self.shift_check.setChecked(bool(region))
        self.region_combo.setEnabled(bool(region))
        if region:
            self.region_combo.set_region(region)

    def shift(self) -> str | None:
        """The holiday region dates are moved off, None: no moving."""
        return (self.region_combo.region() or None) if self.shift_check.isChecked() else None

    def anchor(self) -> RecurrenceAnchor:
        if self.anchor_completion.isChecked():
            return RecurrenceAnchor.COMPLETION
        return RecurrenceAnchor.DUE

    def spec(self) -> RecurrenceSpec:
        preset = self.preset()
        count = self.count_spin.value() if self.end_count.isChecked() else None
        until = _date(self.until_edit.date()) if self.end_until.isChecked() else None
        uses_interval = preset in (Preset.DAILY, Preset.EVERY_N_WEEKS, Preset.MONTHLY_DAY)
        uses_weekday = preset in (
            Preset.WEEKLY,
            Preset.EVERY_N_WEEKS,
            Preset.MONTHLY_LAST_WEEKDAY,
        )
        return RecurrenceSpec(
            preset,
            interval=self.interval_spin.value() if uses_interval else 1,
            weekday=self.weekday_combo.currentData() if uses_weekday else None,
            month_day=self.month_day_spin.value() if preset is Preset.MONTHLY_DAY else None,
            count=count,
            until=until,
            custom=self.custom_edit.text().strip() if preset is Preset.CUSTOM else None,
        )

    def rule(self) -> str | None:
        """The RRULE for the current input, None while it is invalid."""
        return self._rule

    def error_text(self) -> str:
        return self._error

    def choice(self) -> RecurrenceChoice | None:
        return RecurrenceChoice(self._rule, self.anchor(), self.shift()) if self._rule else None

    def preview_texts(self) -> list[str]:
        return [self.preview_list.item(i).text() for i in range(self.preview_list.count())]

    # --- reacting ------------------------------------------------------------------

    def _preset_changed(self) -> None:
        preset = self.preset()
        if preset is Preset.EVERY_N_WEEKS and self.interval_spin.value() < 2:
            self.interval_spin.setValue(2)
        if preset is Preset.MONTHLY_LAST_WEEKDAY:
            self.weekday_combo.setCurrentIndex(recurrence.FRIDAY)
        elif preset in (Preset.WEEKLY, Preset.EVERY_N_WEEKS):
            self.weekday_combo.setCurrentIndex(self.first_due.weekday())
        self._show_fields()
        if preset is Preset.CUSTOM:
            self.custom_edit.setFocus()
        self._update()

    def _show_fields(self) -> None:
        preset = self.preset()
        units = {
            Preset.DAILY: self.tr("day(s)"),
            Preset.EVERY_N_WEEKS: self.tr("weeks"),
            Preset.MONTHLY_DAY: self.tr("month(s)"),
        }
        self.interval_unit.setText(units.get(preset, ""))
        self.interval_spin.setMinimum(2 if preset is Preset.EVERY_N_WEEKS else 1)
        rows = (
            (self.interval_row, preset in units),
            (
                self.weekday_combo,
                preset in (Preset.WEEKLY, Preset.EVERY_N_WEEKS, Preset.MONTHLY_LAST_WEEKDAY),
            ),
            (self.month_day_spin, preset is Preset.MONTHLY_DAY),
            (self.custom_edit, preset is Preset.CUSTOM),
        )
        for field, visible in rows:
            self.form.setRowVisible(field, visible)

    def _update(self, *_args: object) -> None:
        self._rule = None
        self._error = ""
        occurrences: list[Occurrence] = []
        try:
            rule = build_rule(self.spec(), self.first_due, self.at, zone=self.zone)
            occurrences = upcoming(
                rule,
                first_due=self.first_due,
                at=self.at,
                zone=self.zone,
                anchor=self.anchor(),
                shift_region=self.shift(),
                count=PREVIEW_COUNT + 1,  # one more: does the series go on?
            )
        except DomainError as exc:
            self._error = exc.message(i18n.current_language())
        else:
            self._rule = rule
        self.preview_list.clear()
        more = len(occurrences) > PREVIEW_COUNT
        for occurrence in occurrences[:PREVIEW_COUNT]:
            text = self.tr("{number}. {day}").format(
                number=occurrence.number, day=_day_text(occurrence.due_date, self.at)
            )
            if occurrence.moved_from is not None:
                reason = occurrence.holiday or self.tr("weekend")
                text += " " + self.tr("(instead of {day}: {reason})").format(
                    day=_day_text(occurrence.moved_from, None), reason=reason
                )
            self.preview_list.addItem(text)
        if more:
            self.preview_list.addItem("…")
        description = ""
        if self._rule is not None:
            description = recurrence.describe(
                self._rule, self.first_due, i18n.current_language(), zone=self.zone
            )
            if self.anchor() is RecurrenceAnchor.COMPLETION:
                description += " — " + self.tr("counted from the completion date")
            if self.shift():
                description += " — " + self.tr("off weekends and holidays ({region})").format(
                    region=self.shift()
                )
        self.description.setText(description)
        self.description.setVisible(bool(description))
        self.error_label.setText(self._error)
        self.error_label.setVisible(bool(self._error))
        self.ok_button.setEnabled(self._rule is not None)


def _date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _date_format() -> str:
    fmt = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    return fmt.replace("yyyy", "yy").replace("yy", "yyyy")


def _day_text(day: date, at: time | None) -> str:
    """E.g. "Fri 26.12.2026 09:00" in the UI locale."""
    weekday = QLocale().dayName(day.isoweekday(), QLocale.FormatType.ShortFormat)
    text = f"{weekday} {format_date(day)}"
    return f"{text} {format_time(at)}" if at is not None else text
