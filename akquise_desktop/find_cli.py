"""``akquise-desktop find TEXT``: the records matching TEXT, as the search box of
the record list finds them for the acting user — as a table, or with ``--json``
as a list of objects.

``find -`` reads the text from standard input (all of it, as UTF-8; one trailing
line break dropped). The text is taken as the search box takes it: cut at 200
characters, stripped; control characters are no search words. A text without
search words is refused (exit 2) instead of listing every record. The rows come
from the record list's own query in its default order (by name), within the
acting user's scope (:mod:`akquise_desktop.queries.records.find`). Nothing found
is no error: an empty table, ``[]`` with ``--json``, exit 0.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Sequence
from typing import TextIO

from akquise_desktop.core.errors import AkquiseError

DEFAULT_LIMIT = 50
# (heading, the row's field, the widest the column gets)
COLUMNS: Sequence[tuple[str, str, int | None]] = (
    ("Nr.", "id", None),
    ("Name", "name", 40),
    ("Ort", "city", 24),
    ("Telefon", "phone", 24),
    ("Betreuer", "owner", 24),
)
GAP = "  "


def add_parser(sub, common: argparse.ArgumentParser) -> None:
    cmd = sub.add_parser(
        "find",
        parents=[common],
        help="Datensätze suchen wie das Suchfeld der Datensatzliste (Tabelle oder JSON)",
    )
    cmd.add_argument(
        "text",
        metavar="TEXT",
        help="Suchtext (wie im Suchfeld: alle Wörter müssen vorkommen); - liest ihn von der "
        "Standardeingabe; ein Text, der mit - beginnt, nach --",
    )
    cmd.add_argument(
        "--json", action="store_true", help="als JSON-Liste (id, name, city, phone, owner, …)"
    )
    cmd.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"höchstens N Datensätze, nach Name (Vorgabe {DEFAULT_LIMIT})",
    )


def read_text(given: str, stdin: TextIO | None = None) -> str:
    """The search text: ``given``, or for ``-`` all of standard input (UTF-8,
    a byte order mark and one trailing line break dropped)."""
    if given != "-":
        return given
    stdin = stdin or sys.stdin
    buffer = getattr(stdin, "buffer", None)
    if buffer is None:
        text = stdin.read()
    else:
        try:
            text = buffer.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise AkquiseError("find: Die Standardeingabe ist kein UTF-8-Text.") from None
    for ending in ("\r\n", "\n", "\r"):
        if text.endswith(ending):
            return text[: -len(ending)]
    return text


def run(
    db,
    args: argparse.Namespace,
    acting_login: str,
    strict: bool,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
) -> int:
    import json

    from akquise_desktop.cli import _acting_user
    from akquise_desktop.queries.records.find import find_records, search_box_text
    from akquise_desktop.queries.search import words
    from akquise_desktop.queries.users import has_users

    if args.limit < 1:
        raise AkquiseError("find: --limit muss mindestens 1 sein.")
    text = search_box_text(read_text(args.text, stdin))
    if not words(text):
        raise AkquiseError(
            "find: Kein Suchtext – bitte einen Text angeben (oder - und den Text auf der "
            "Standardeingabe)."
        )
    db.open(create=False)
    with db.read() as s:
        if not has_users(s):
            raise AkquiseError("Diese Datenbank hat noch keine Benutzer und keine Datensätze.")
    user_id = _acting_user(db, acting_login, strict=strict)  # (has users: creates nothing)
    with db.read() as s:
        found = find_records(s, user_id, text, args.limit)
    out = _utf8(out or sys.stdout)
    if args.json:
        out.write(json.dumps([_as_json(r) for r in found.rows], ensure_ascii=False, indent=2))
        out.write("\n")
    else:
        out.write(table(found, text))
    return 0


def _utf8(out: TextIO) -> TextIO:
    """Standard output as UTF-8 whatever the locale says (a pipe on Windows)."""
    encoding = (getattr(out, "encoding", None) or "utf-8").lower().replace("_", "-")
    if encoding not in ("utf-8", "utf8") and hasattr(out, "reconfigure"):
        out.flush()
        out.reconfigure(encoding="utf-8")
    return out


def _as_json(row) -> dict:
    return {
        "id": row.id,
        "name": row.name,
        "kind": row.kind,
        "city": row.city,
        "phone": row.phone,
        "owner": row.owner,
        "campaign": row.campaign,
        "status": row.status,
        "next_follow_up": row.next_follow_up.isoformat() if row.next_follow_up else None,
    }


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def table(found, text: str) -> str:
    """The rows as a table with German headings, and a line on how many."""
    if not found.rows:
        return f"Keine Datensätze gefunden für „{_cell(text)}“.\n"
    cells = [
        [_cell("" if getattr(row, f) is None else str(getattr(row, f))) for _h, f, _w in COLUMNS]
        for row in found.rows
    ]
    widths = []
    for n, (heading, _field, widest) in enumerate(COLUMNS):
        width = max(_width(heading), *(_width(c[n]) for c in cells))
        widths.append(width if widest is None else min(width, widest))
    lines = [
        _line([h for h, _f, _w in COLUMNS], widths),
        _line(["-" * w for w in widths], widths),
        *(_line(c, widths) for c in cells),
    ]
    shown = len(found.rows)
    if found.more:
        total = found.total
        of = (
            ""
            if total is None
            else f" von {_number(total.value)}"
            if total.exact
            else f" von mehr als {_number(total.value)}"
        )
        lines.append(
            f"… und weitere: {_number(shown)}{of} Treffern angezeigt (mehr mit --limit N)."
        )
    else:
        lines.append(f"{_number(shown)} {'Datensatz' if shown == 1 else 'Datensätze'}.")
    return "\n".join(lines) + "\n"


def _line(cells: list[str], widths: list[int]) -> str:
    parts = [
        _fit(c, w, right=field == "id")
        for c, w, (_h, field, _w) in zip(cells, widths, COLUMNS, strict=True)
    ]
    return GAP.join(parts).rstrip()


def _cell(value: str) -> str:
    """One line of printable text: control characters and line breaks become spaces."""
    return "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in value
    ).strip()


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) == "Cf":
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _width(text: str) -> int:
    """Columns ``text`` takes on a terminal (wide East Asian characters two, combining none)."""
    return sum(_char_width(ch) for ch in text)


def _fit(text: str, width: int, *, right: bool = False) -> str:
    """``text`` in ``width`` columns: cut with … when longer, padded when shorter
    (``right``: aligned right)."""
    if _width(text) > width:
        kept, used = [], 0
        for ch in text:
            w = _char_width(ch)
            if used + w > width - 1:
                break
            kept.append(ch)
            used += w
        text = "".join(kept) + "…"
    pad = " " * (width - _width(text))
    return pad + text if right else text + pad
