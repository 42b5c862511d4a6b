"""A table model over keyset pages, fetched on the database worker on demand.

The model holds only the rows fetched so far (plain dataclasses with a
``key``). ``fetchMore`` asks the worker for the page after the last key; the
view calls it when the user scrolls near the end. A new query (another
filter) or a reload bumps a generation counter, so answers to an outdated
request are dropped instead of being mixed into the new result.

A reload (after a change, the user's own or a colleague's) keeps the user's
place: the rows are replaced as a layout change that carries each row's
persistent indexes to the same id in the new rows, so the current row and a
multi-row selection stay on their rows; :func:`keep_place` keeps the row at
the top of a view there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView

from .services import Services

Row = TypeVar("Row")


# page(session, after_key, limit) -> rows in key order; for the first page
# (after_key None) also an object with ``rows`` and ``count`` (the total)
class CountedPage(Protocol):
    """A first page that knows the count of all rows (the record list's)."""

    @property
    def rows(self) -> Sequence[Any]: ...

    @property
    def count(self) -> Any: ...


# (session, key after which to start, limit) -> the rows, or a counted page.
PageQuery = Callable[[Any, Any, int], "list[Any] | CountedPage"]
ModelIndex = QModelIndex | QPersistentModelIndex


class KeysetTableModel(QAbstractTableModel, Generic[Row]):
    """Subclasses define ``headers`` and :meth:`cell`."""

    loading_changed = Signal(bool)
    loaded = Signal()  # a first page (or a reload) arrived
    failed = Signal(object)  # the exception of a failed page request

    headers: Sequence[str] = ()

    def __init__(self, services: Services, *, page_size: int, parent: QObject | None = None):
        super().__init__(parent)
        self.services = services
        self.page_size = page_size
        self.rows: list[Row] = []
        self._query: PageQuery | None = None
        self._generation = 0
        self._loading = False
        self._exhausted = True
        # The count of all matching rows, when the query returns it with its
        # first page (an object with ``rows`` and ``count``); else None.
        self.total: Any = None

    # --- Qt model interface ------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation, role: int = 0) -> Any:
        from PySide6.QtCore import Qt

        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return None

    def data(self, index: ModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        return self.cell(self.rows[index.row()], index.column(), role)

    def cell(self, row: Row, column: int, role: int) -> Any:
        raise NotImplementedError

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._request(self.rows[-1].key if self.rows else None, self.page_size, append=True)  # type: ignore[attr-defined]

    # --- loading -----------------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    def set_query(self, query: PageQuery) -> None:
        """Show the result of ``query`` from its first page on."""
        self._query = query
        self.beginResetModel()
        self.rows = []
        self.endResetModel()
        self._request(None, self.page_size, append=False)

    def reload(self) -> None:
        """Fetch again as many rows as are shown (after a change elsewhere),
        keeping current row and selection on their rows (by id)."""
        if self._query is None:
            return
        self._request(None, max(self.page_size, len(self.rows)), append=False, keep=True)

    def _request(self, after: Any, limit: int, *, append: bool, keep: bool = False) -> None:
        query = self._query
        if query is None:
            return
        self._generation += 1
        generation = self._generation
        self._set_loading(True)

        def done(result: Any) -> None:
            if generation != self._generation:
                return  # an answer to an outdated request
            self._set_loading(False)
            if isinstance(result, list):
                rows: list[Row] = result
            else:  # a first page with the total count
                rows, self.total = list(result.rows), result.count
            self._exhausted = len(rows) < limit
            if append:
                if rows:
                    first = len(self.rows)
                    self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
                    self.rows.extend(rows)
                    self.endInsertRows()
            elif keep and self.rows:
                self._replace_rows(list(rows))
                self.loaded.emit()
            else:
                self.beginResetModel()
                self.rows = list(rows)
                self.endResetModel()
                self.loaded.emit()

        def error(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self._set_loading(False)
            self._exhausted = True
            self.failed.emit(exc)

        self.services.read(lambda s: query(s, after, limit), done, error)

    @staticmethod
    def identity(row: Any) -> Any:
        """What makes a row the same row after a reload: its id."""
        return row.id

    def _replace_rows(self, rows: list[Row]) -> None:
        """Show ``rows`` instead, as a layout change: every persistent index
        (the view's current row, its selection) moves to the row with the same
        id, or becomes invalid if that row is gone."""
        self.layoutAboutToBeChanged.emit()
        where = {self.identity(r): n for n, r in enumerate(rows)}
        before = self.persistentIndexList()
        after = []
        for index in before:
            old = self.row_at(index.row())
            at = where.get(self.identity(old)) if old is not None else None
            after.append(self.index(at, index.column()) if at is not None else QModelIndex())
        self.rows = rows
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    # --- helpers -----------------------------------------------------------------

    def row_at(self, index: int) -> Row | None:
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def find(self, predicate: Callable[[Row], bool]) -> int:
        """The index of the first row for which ``predicate`` holds, or -1."""
        return next((i for i, r in enumerate(self.rows) if predicate(r)), -1)

    def refresh_cells(self) -> None:
        """Redraw every cell (e.g. after the day changed: due colours)."""
        if self.rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self.rows) - 1, len(self.headers) - 1)
            )


def keep_place(view: QAbstractItemView) -> None:
    """Keep the row at the top of ``view`` at the top across its model's layout
    changes (a reload), so rows a colleague added or removed above it do not
    shift what the user is looking at. A view scrolled to the very top stays
    there (new rows at the top are seen)."""
    model = view.model()
    anchor: list[QPersistentModelIndex] = []

    def before(*_args: Any) -> None:
        anchor.clear()
        if view.verticalScrollBar().value() > 0:
            top = view.indexAt(QPoint(1, 1))
            if top.isValid():
                anchor.append(QPersistentModelIndex(top))

    def after(*_args: Any) -> None:
        if anchor and anchor[0].isValid():
            row, column = anchor[0].row(), anchor[0].column()
            view.scrollTo(model.index(row, column), QAbstractItemView.ScrollHint.PositionAtTop)
        anchor.clear()

    model.layoutAboutToBeChanged.connect(before)
    model.layoutChanged.connect(after)
