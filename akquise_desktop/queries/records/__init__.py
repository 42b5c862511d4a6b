"""The record list and the record view's data, all done in SQL.

The list pages by key: :func:`record_page` returns the rows after the last one
shown (search, filters and sort in SQL), :func:`record_total` the count of all
matches; :func:`record_ids` gives every matching id, for bulk editing of a whole
result. Nothing loads a whole table into Python.

What lives where (this module only re-exports):

* ``criteria`` — :class:`RecordCriteria` (search text, filters, sort; the content
  of a saved search), the conditions it makes (the search and the filters), and
  the sort keys with the keyset conditions every way of paging uses (``_Key``,
  ``_keys``, ``_order_by``, ``_after``, ``_up_to``).
* ``page`` — the entry point :func:`record_page` (it chooses how a page is
  found), :class:`RecordPage`, :class:`RecordCount`, and :func:`record_total`,
  :func:`record_count`, :func:`record_ids`.
* ``keyset`` — pages by key: :class:`RecordRow`, a page's statement, the page of
  a list without search text built once per sort and filters (``_plain_page``),
  running it (``_fetch``), and the walk of the sort order (``_walk``).
* ``sets`` — results taken as sets of ids: a small one collected and sorted
  (``_filter_candidates``, ``_among``), every match at once (``_every_match``).
* ``grouped`` — the sorts by account manager and by campaign status, group by
  group (``_grouped_page``).
* ``limits`` — the sizes at which the choice changes (``SMALL_RESULT``,
  ``LARGE_RESULT``, ``PROBE_WINDOW``) and ``COUNT_CAP``; read at run time, so
  a test lowers them there (``limits.SMALL_RESULT``), not on this module.
* ``detail`` — the record view: :func:`record_detail` (record, contact persons,
  memberships, open follow-ups), :func:`record_view` (with the timeline's first
  page), :func:`record_exists`.
* ``saved`` — :func:`saved_searches`; ``touched`` — :func:`records_touched`, the
  records a change summary concerns.
* ``find`` — the headless search (``akquise-desktop find``): the text as the
  search box takes it, the user's scope as the list's own filters, then
  :func:`record_page`.

How :func:`record_page` chooses (its docstring and comments give the measured
reasons):

1. No search text, not a grouped sort and — on SQLite — no campaign or status
   filter: a plain keyset page, one statement per sort, filters and NULL pattern
   of the key it follows, built once (``keyset._plain_page``).
2. Otherwise a small result first: at most ``SMALL_RESULT`` matching ids
   (PostgreSQL, a search of long words: ``LARGE_RESULT``) collected unsorted by
   an index; fewer than that, and the page is sorted from those ids and its
   count is known (``sets``).
3. A grouped sort (account manager, status) goes through its groups
   (``grouped``); each group chooses again between its few records and a walk.
4. Else a walk: the next ``PROBE_WINDOW`` records of the sort order, each
   checked (``keyset._walk``); should they not fill the page, every match is
   collected as a set and sorted (``sets._every_match``).

Not to be confused with :mod:`akquise_desktop.queries.search`: the search index
and the collection of matching ids (``candidates``) that this package asks.
"""

from __future__ import annotations

from . import limits
from .criteria import MAX_TEXT, SORT_KEYS, RecordCriteria
from .detail import (
    ContactRow,
    MembershipRow,
    OpenFollowUp,
    RecordDetail,
    contacts,
    memberships,
    open_follow_ups,
    record_detail,
    record_exists,
    record_view,
)
from .grouped import GROUPED_SORTS
from .keyset import RecordRow
from .page import RecordCount, RecordPage, record_count, record_ids, record_page, record_total
from .saved import SavedSearchRow, saved_searches
from .touched import records_touched

__all__ = [
    "GROUPED_SORTS",
    "MAX_TEXT",
    "SORT_KEYS",
    "ContactRow",
    "MembershipRow",
    "OpenFollowUp",
    "RecordCount",
    "RecordCriteria",
    "RecordDetail",
    "RecordPage",
    "RecordRow",
    "SavedSearchRow",
    "contacts",
    "limits",
    "memberships",
    "open_follow_ups",
    "record_count",
    "record_detail",
    "record_exists",
    "record_ids",
    "record_page",
    "record_total",
    "record_view",
    "records_touched",
    "saved_searches",
]
