"""The record list: search-as-you-type, filters, SQL sort, rows on demand,
stale results, saved searches, refresh from change summaries."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from akquise_desktop.controller import RecordData
from akquise_desktop.queries.records import RecordCriteria, record_detail, record_ids
from akquise_desktop.ui.lookup_store import LookupStore
from akquise_desktop.ui.record_list import RecordListView
from akquise_desktop.ui.record_table_model import IdRole
from akquise_desktop.ui.saved_searches import SavedSearchesPanel
from akquise_desktop.ui.services import Services


@pytest.fixture
def view(qtbot, services):
    store = LookupStore(services)
    store.refresh()
    widget = RecordListView(services, store)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    return widget


def _sql_ids(services, criteria: RecordCriteria) -> list[int]:
    with services.db.read() as s:
        return record_ids(s, criteria)


def _names(qtbot, view, rows: int | None = None) -> list[str]:
    model = view.model
    n = model.rowCount() if rows is None else min(rows, model.rowCount())
    for row in range(n):
        model.data(model.index(row, 0))  # asks for the rows on demand
    qtbot.waitUntil(lambda: all(model.cached(model.record_id(r)) for r in range(n)))
    return [model.data(model.index(r, 0)) for r in range(n)]


def test_lists_every_record_sorted_by_name(qtbot, view, services):
    assert view.model.rowCount() == 40
    assert view.model.ids == _sql_ids(services, RecordCriteria())
    names = _names(qtbot, view)
    assert names == sorted(names, key=str.lower)
    assert view.count_label.text()


def test_rows_are_fetched_page_by_page(qtbot, view, services):
    """Keyset pages: the first page, then the next one when the view scrolls to
    the end of the rows loaded; together exactly the sorted result."""
    model = view.model
    model.page_size = 15
    model.set_criteria(RecordCriteria())
    assert model.rowCount() == 15 and model.canFetchMore()
    view.table.scrollToBottom()  # the view asks for more itself at the end
    qtbot.waitUntil(lambda: model.rowCount() > 15)
    while model.canFetchMore():
        model.fetchMore()
    assert model.ids == _sql_ids(services, RecordCriteria())
    assert model.rowCount() == 40 and not model.canFetchMore()


def test_count_comes_with_a_small_result_else_after_typing_pauses(qtbot, view, monkeypatch):
    from akquise_desktop.queries import records as q

    view.search.setText("gmbh")
    view.apply_filters()
    assert view.model.count is not None and view.model.count.exact  # with the first page
    monkeypatch.setattr(q.limits, "SMALL_RESULT", 1)
    monkeypatch.setattr(q.limits, "COUNT_CAP", 2)
    view.apply_filters()
    assert view.count_label.text() == "Counting …"
    with qtbot.waitSignal(view.model.count_changed, timeout=3000):
        pass  # the capped count, once the typing pause is over
    assert view.model.count == q.RecordCount(2, exact=False)
    assert view.count_label.text() == "More than 2 records"


def test_search_as_you_type_is_debounced_and_done_in_sql(qtbot, view, services):
    target = _names(qtbot, view, 1)[0]
    word = target.split()[0]
    with qtbot.waitSignal(view.model.loaded, timeout=3000):
        qtbot.keyClicks(view.search, word)
        # Debounced: nothing has been searched yet right after typing.
        assert view.model.criteria.text == ""
    expected = _sql_ids(services, RecordCriteria(text=word))
    assert view.model.ids == expected
    assert target in _names(qtbot, view)
    with qtbot.waitSignal(view.model.loaded):
        view.search.clear()
        qtbot.keyClick(view.search, Qt.Key.Key_Return)
    assert view.model.rowCount() == 40


def test_search_without_match_shows_empty_list(qtbot, view):
    view.search.setText("zzzzqqqq")
    view.apply_filters()
    assert view.model.rowCount() == 0
    assert "0" in view.count_label.text()


class DeferredWorker:
    """Holds jobs until released (in any order): results that arrive late."""

    def __init__(self):
        from akquise_desktop.ui.worker import SyncWorker

        self.jobs: list = []
        self.busy_changed = SyncWorker().busy_changed
        self.cancelled: set[int] = set()

    def submit(self, job, on_done=None, on_error=None):
        self.jobs.append((len(self.jobs) + 1, job, on_done, on_error))
        return len(self.jobs)

    def cancel_callbacks(self, job_id):
        self.cancelled.add(job_id)

    def run(self, index):
        _job_id, job, on_done, _on_error = self.jobs[index]
        result = job()
        if on_done is not None:
            on_done(result)

    def pending(self):
        return 0

    def shutdown(self):
        pass


def test_stale_search_results_are_discarded(qtbot, services):
    worker = DeferredWorker()
    deferred = Services(
        services.db,
        services.controller,
        worker,
        services.bus,
        services.user_id,
        clock=services.clock,
    )
    store = LookupStore(deferred)
    widget = RecordListView(deferred, store)
    qtbot.addWidget(widget)
    worker.jobs.clear()
    widget.model.set_criteria(RecordCriteria(text="gmbh"))
    widget.model.set_criteria(RecordCriteria(text="zzzznothing"))
    ids_jobs = [i for i, job in enumerate(worker.jobs)]
    # The newer search answers first, the older one last: its result is dropped.
    worker.run(ids_jobs[1])
    assert widget.model.rowCount() == 0
    worker.run(ids_jobs[0])
    assert widget.model.rowCount() == 0


def test_filters_campaign_status_owner(qtbot, view, services):
    data = view.lookup_store.current
    campaign = data.campaigns[0]
    view.campaign_combo.setCurrentIndex(view.campaign_combo.findData(campaign.id))
    assert view.model.ids == _sql_ids(services, RecordCriteria(campaign_id=campaign.id))
    assert 0 < view.model.rowCount() < 40
    # The status filter lists only that campaign's statuses.
    statuses = [view.status_combo.itemData(i) for i in range(1, view.status_combo.count())]
    assert statuses == [s.id for s in campaign.statuses]
    status = next(s for s in campaign.statuses if s.is_start)
    view.status_combo.setCurrentIndex(view.status_combo.findData(status.id))
    expected = _sql_ids(services, RecordCriteria(campaign_id=campaign.id, status_id=status.id))
    assert view.model.ids == expected
    rows = _names(qtbot, view)
    assert len(rows) == len(expected)
    model = view.model
    status_col = model.COLUMNS.index("status")
    assert {model.data(model.index(r, status_col)) for r in range(len(rows))} <= {status.name}
    # Another campaign: its statuses replace the old ones and the old status filter goes.
    other = data.campaigns[1]
    view.campaign_combo.setCurrentIndex(view.campaign_combo.findData(other.id))
    assert view.status_combo.currentData() is None
    assert view.model.ids == _sql_ids(services, RecordCriteria(campaign_id=other.id))
    assert view.model.rowCount() > 0
    view.reset_filters()
    assert view.model.rowCount() == 40
    owner = data.users[1]
    view.owner_combo.setCurrentIndex(view.owner_combo.findData(owner.id))
    assert view.model.ids == _sql_ids(services, RecordCriteria(owner_id=owner.id))


@pytest.mark.parametrize("key", ["city", "status", "next_follow_up", "inactivity", "owner"])
def test_sort_by_column_in_sql(qtbot, view, services, key):
    column = view.model.COLUMNS.index(key)
    view.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    assert view.model.criteria.sort == key and view.model.criteria.descending
    assert view.model.ids == _sql_ids(services, RecordCriteria(sort=key, descending=True))
    view.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    assert view.model.ids == _sql_ids(services, RecordCriteria(sort=key))


def test_enter_and_double_click_open_the_record(qtbot, view):
    view.table.setFocus()
    view.table.selectRow(2)
    expected = view.model.record_id(2)
    with qtbot.waitSignal(view.record_requested) as signal:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert signal.args == [expected]
    index = view.model.index(3, 1)
    with qtbot.waitSignal(view.record_requested) as signal:
        view.table.activated.emit(index)
    assert signal.args == [view.model.record_id(3)]
    assert view.model.data(index, IdRole) == view.model.record_id(3)


def test_saved_search_save_apply_delete(qtbot, view, services):
    campaign = view.lookup_store.current.campaigns[0]
    view.campaign_combo.setCurrentIndex(view.campaign_combo.findData(campaign.id))
    view.search.setText("a")
    view.apply_filters()
    expected = list(view.model.ids)
    saved = view.saved_searches
    saved.save_current_search(name="Meine Kampagne")
    names = [saved.saved_list.item(i).text() for i in range(saved.saved_list.count())]
    assert names == ["All records", "Meine Kampagne"]
    view.reset_filters()
    assert view.model.rowCount() == 40
    item = saved.saved_list.item(1)
    saved.saved_list.setCurrentItem(item)
    saved._saved_activated(item)
    assert view.model.ids == expected
    assert view.search.text() == "a"
    assert view.campaign_combo.currentData() == campaign.id
    assert saved.delete_button.isEnabled()
    saved.delete_selected_search(confirm=False)
    assert saved.saved_list.count() == 1


def test_saved_search_refusal_is_shown(qtbot, view):
    saved = view.saved_searches
    saved.save_current_search(name="x" * 101)
    assert view.message.isVisible()
    assert "100" in view.message.text()
    assert saved.saved_list.count() == 1


def test_saved_searches_panel_alone(qtbot, services):
    store = LookupStore(services)
    store.refresh()
    criteria = RecordCriteria(text="gmbh", sort="city")
    panel = SavedSearchesPanel(services, store, lambda: criteria)
    qtbot.addWidget(panel)
    panel.load_saved_searches()
    assert [panel.saved_list.item(i).text() for i in range(panel.saved_list.count())] == [
        "All records"
    ]
    panel.save_current_search(name="GmbHs")
    item = panel.saved_list.item(1)
    assert item.text() == "GmbHs" and item.toolTip() == "Search: gmbh"
    with qtbot.waitSignal(panel.chosen) as chosen:
        panel._saved_activated(item)
    assert chosen.args == [criteria]
    with qtbot.waitSignal(panel.chosen) as chosen:
        panel._saved_activated(panel.saved_list.item(0))
    assert chosen.args == [None]
    with qtbot.waitSignal(panel.refused) as refused:
        panel.save_current_search(name="x" * 101)
    assert "100" in refused.args[0]


def test_refreshes_changed_row_and_order_from_change_summary(qtbot, view, services):
    names = _names(qtbot, view)
    first_id = view.model.record_id(0)
    with services.db.read() as s:
        detail = record_detail(s, first_id)
    data = RecordData(name="Zzz Umbenannt GmbH", kind=detail.kind, city=detail.city,
                      owner_id=detail.owner_id)  # fmt: skip
    services.change(lambda ctl: ctl.update_record(first_id, data, expected_version=detail.version))
    qtbot.waitUntil(lambda: view.model.record_id(39) == first_id)
    assert _names(qtbot, view)[-1] == "Zzz Umbenannt GmbH"
    assert _names(qtbot, view)[0] == names[1]


def test_new_record_appears(qtbot, view, services):
    summary = services.change(lambda ctl: ctl.create_record(RecordData(name="Aaa Neu KG")))
    assert summary == 0  # the synchronous worker returns no job id
    qtbot.waitUntil(lambda: view.model.rowCount() == 41)
    assert _names(qtbot, view, 1) == ["Aaa Neu KG"]


def test_criteria_round_trip(view):
    crit = RecordCriteria(text="x", sort="city", descending=True)
    view.set_criteria(crit)
    assert view.criteria() == crit
    assert view.table.horizontalHeader().sortIndicatorSection() == 1
    assert replace(view.criteria(), text="") == RecordCriteria(sort="city", descending=True)


def test_with_the_real_worker_thread(qtbot, services):
    """Search and rows arrive by signal from the database thread."""
    from akquise_desktop.ui.worker import DbWorker

    worker = DbWorker()
    threaded = Services(
        services.db,
        services.controller,
        worker,
        services.bus,
        services.user_id,
        clock=services.clock,
    )
    try:
        store = LookupStore(threaded)
        with qtbot.waitSignal(store.changed, timeout=5000):
            store.refresh()
        widget = RecordListView(threaded, store)
        qtbot.addWidget(widget)
        qtbot.waitUntil(lambda: widget.model.rowCount() == 40, timeout=5000)
        with qtbot.waitSignal(widget.model.loaded, timeout=5000):
            widget.search.setText("gmbh")
            widget.apply_filters()
        assert widget.model.ids == _sql_ids(services, RecordCriteria(text="gmbh"))
        model = widget.model
        model.data(model.index(0, 0))
        qtbot.waitUntil(lambda: model.cached(model.record_id(0)) is not None, timeout=5000)
        assert "gmbh" in model.data(model.index(0, 0)).lower()
    finally:
        qtbot.waitUntil(lambda: worker.pending() == 0, timeout=5000)
        worker.shutdown()
