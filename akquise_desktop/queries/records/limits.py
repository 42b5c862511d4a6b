"""The sizes at which :func:`~.page.record_page` changes its way of paging, and
where the count of a filtered list stops.

The modules read them as ``limits.NAME`` when a page is built, not imported by
name, so that a test lowers one here, in one place, for every way of paging.
"""

# A search whose matches are fewer than this is answered from its set of ids;
# more, and the list walks the sort index, checking each record (the first
# page of a one-letter search without sorting 100,000 records).
SMALL_RESULT = 500
LARGE_RESULT = 5_000  # PostgreSQL: up to this many matches of long words are sorted
PROBE_WINDOW = 5_000  # records of the sort order a page of a big result looks at
COUNT_CAP = 10_000  # counts of a filtered list stop here ("10,000+")
