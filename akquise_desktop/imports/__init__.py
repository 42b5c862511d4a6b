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

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .duplicates import Match, NewRecord, find_duplicates, possible_duplicates
    from .mapping import FIELDS, FirstFollowUp, ImportSettings, MappingFile, guess_mapping
    from .reading import NotATableError, Table, read_bytes, read_file
    from .validate import BadRow, Candidate, Reason, validate

# Loaded on first use: every start builds the command line, which names the
# import command (.cli), and must not pay for the reading and matching modules
# (SQLAlchemy's ORM, charset detection, the phone tables) then.
_WHERE = {
    **dict.fromkeys(("Match", "NewRecord", "find_duplicates", "possible_duplicates"), "duplicates"),
    **dict.fromkeys(
        ("FIELDS", "FirstFollowUp", "ImportSettings", "MappingFile", "guess_mapping"), "mapping"
    ),
    **dict.fromkeys(("NotATableError", "Table", "read_bytes", "read_file"), "reading"),
    **dict.fromkeys(("BadRow", "Candidate", "Reason", "validate"), "validate"),
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)


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
