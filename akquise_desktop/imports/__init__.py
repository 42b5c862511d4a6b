"""Import of records and contact persons from CSV, Excel (.xlsx) and vCard.

* :mod:`.reading` — a file to a :class:`Table` (encoding and delimiter
  detected, overridable); :class:`NotATableError` for what is no table;
* :mod:`.mapping` — the fields, guesses from German and English headers,
  :class:`ImportSettings` and the headless import's :class:`MappingFile`;
* :mod:`.validate` — good rows (:class:`Candidate`) and bad rows with the
  reason (:class:`BadRow`);
* :mod:`.duplicates` — the duplicate check (phone, e-mail, domain, similar
  name) against existing records (narrowed in SQL) and earlier rows;
* writing is the controller's: ``BulkEditor(ctl).plan_import`` /
  ``run_import`` / ``undo`` (:mod:`akquise_desktop.controller.bulk.importing`);
* :mod:`.cli` — ``akquise-desktop import FILE --mapping MAPPING.json``.
"""

from __future__ import annotations

from .duplicates import Match, NewRecord, find_duplicates, possible_duplicates
from .mapping import FIELDS, FirstFollowUp, ImportSettings, MappingFile, guess_mapping
from .reading import NotATableError, Table, read_bytes, read_file
from .validate import BadRow, Candidate, Reason, validate

__all__ = [
    "FIELDS",
    "BadRow",
    "Candidate",
    "FirstFollowUp",
    "ImportSettings",
    "MappingFile",
    "Match",
    "NewRecord",
    "NotATableError",
    "Reason",
    "Table",
    "find_duplicates",
    "guess_mapping",
    "possible_duplicates",
    "read_bytes",
    "read_file",
    "validate",
]
