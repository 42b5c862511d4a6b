"""Letter folding for search: ``Müller`` = ``Mueller`` = ``Muller``.

German users type an umlaut three ways — ``ü``, ``ue`` and ``u`` (a foreign
keyboard, a business card) — and ``ß`` as ``ss``; names from the rest of
Europe carry diacritics (é, ç, ł, ø …) that nobody types on a German keyboard.
:func:`fold` maps every such spelling to one form, so a search compares folded
word with folded text:

1. each letter with a diacritic becomes its base letter(s), upper and lower
   case alike (``Ä`` → ``a``, ``é`` → ``e``, ``ł`` → ``l``, ``ß`` → ``ss``,
   ``æ`` → ``ae``): the table :data:`LETTERS`;
2. lower case;
3. the German digraphs become one letter: ``ae`` → ``a``, ``oe`` → ``o``,
   ``ue`` → ``u`` (:data:`DIGRAPHS`, in this order).

So ``Müller``, ``Mueller`` and ``MULLER`` all fold to ``muller``, ``Straße``
and ``Strasse`` to ``strasse``, ``Koeln`` and ``Köln`` to ``koln``. Step 3
also folds digraphs that are no umlaut (``Michael`` → ``michal``); as both
sides are folded alike this finds the same records, a few more at most.

The search index keeps the folded text next to the original (migration
``0013``), computed by the index's triggers with the database function
``akq_fold``: on SQLite it is :func:`fold` itself, registered on each
connection (:func:`register_sqlite`; SQLite has no ``translate``, and 190
nested ``replace`` calls overflow its parser); on PostgreSQL SQL built from the
same table (:func:`sql_fold`), so the index and the Python side agree character
by character (``tests/test_folding.py`` compares them).
"""

from __future__ import annotations

import unicodedata
from typing import Any

# Letters that do not decompose into a base letter plus marks.
_SPECIAL = {
    "ß": "ss",
    "ẞ": "ss",
    "æ": "ae",
    "Æ": "ae",
    "œ": "oe",
    "Œ": "oe",
    "ø": "o",
    "Ø": "o",
    "ł": "l",
    "Ł": "l",
    "đ": "d",
    "Đ": "d",
    "ð": "d",
    "Ð": "d",
    "þ": "th",
    "Þ": "th",
    "ħ": "h",
    "Ħ": "h",
    "ı": "i",
    "ŧ": "t",
    "Ŧ": "t",
    "ĸ": "k",
    "ŀ": "l",
    "Ŀ": "l",
    "ŉ": "n",
    "ſ": "s",
}
# Romanian comma-below letters (Latin Extended-B), the rest of that block is rare.
_EXTRA = "ȘșȚț"


def _letters() -> dict[str, str]:
    table: dict[str, str] = {}
    for code in [*range(0xC0, 0x180), *(ord(ch) for ch in _EXTRA)]:
        ch = chr(code)
        if ch in _SPECIAL:
            table[ch] = _SPECIAL[ch]
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if base != ch and base.isascii() and base.isalpha():
            table[ch] = base.lower()
    for ch, base in _SPECIAL.items():
        table.setdefault(ch, base)
    return table


LETTERS: dict[str, str] = _letters()
DIGRAPHS: tuple[tuple[str, str], ...] = (("ae", "a"), ("oe", "o"), ("ue", "u"))
_TRANSLATE = str.maketrans(LETTERS)


def fold(text: str) -> str:
    """``text`` folded for search (see the module's docstring)."""
    folded = text.translate(_TRANSLATE).lower()
    for digraph, letter in DIGRAPHS:
        folded = folded.replace(digraph, letter)
    return folded


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sqlite_fold(text: object) -> object:
    return fold(text) if isinstance(text, str) else text


def register_sqlite(dbapi_connection: Any) -> None:
    """Make ``akq_fold(text)`` (:func:`fold`; NULL stays NULL) known to a
    SQLite connection: the search index's triggers call it. Every connection
    the app opens has it (``storage/database.py``, the migrations'
    ``env.py``); a tool without it (the ``sqlite3`` shell) can read the file
    but not change records or contact persons."""
    dbapi_connection.create_function("akq_fold", 1, _sqlite_fold, deterministic=True)


def sql_fold(expr: str) -> str:
    """PostgreSQL SQL computing :func:`fold` of the text expression ``expr``:
    the letters of :data:`LETTERS` replaced (one ``translate`` for the
    one-letter replacements, ``replace`` for the rest), then ``lower``, then
    the digraphs. ``lower`` differs from Python's only for letters outside the
    table, which the case-insensitive comparisons of the search absorb."""
    single = {ch: base for ch, base in LETTERS.items() if len(base) == 1}
    multi = {ch: base for ch, base in LETTERS.items() if len(base) != 1}
    sql = f"translate({expr}, {_quote(''.join(single))}, {_quote(''.join(single.values()))})"
    for ch, base in multi.items():
        sql = f"replace({sql}, {_quote(ch)}, {_quote(base)})"
    sql = f"lower({sql})"
    for digraph, letter in DIGRAPHS:
        sql = f"replace({sql}, {_quote(digraph)}, {_quote(letter)})"
    return sql
