"""Where the database is: the default local file, a path, or a server URL."""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

from platformdirs import user_data_path
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from akquise_desktop.core.errors import AkquiseError

APP_NAME = "AkquiseDesktop"
DB_ENV = "AKQUISE_DB"


def default_database_path() -> Path:
    return user_data_path(APP_NAME, appauthor=False) / "akquise.sqlite3"


def resolve_url(given: str | None = None) -> URL:
    """The database URL from ``--db``, then ``AKQUISE_DB``, then the default file.

    Accepts SQLAlchemy URLs (``sqlite:///…``, ``postgresql://…``) and plain file
    paths. ``postgresql://`` and ``postgres://`` mean psycopg 3.
    """
    text = given or os.environ.get(DB_ENV) or ""
    if not text:
        return URL.create("sqlite", database=str(default_database_path()))
    if "://" not in text:
        return URL.create("sqlite", database=str(Path(text).expanduser()))
    try:
        url = make_url(text)
        url.port  # noqa: B018 - a non-numeric port fails only here
    except (ArgumentError, ValueError) as exc:
        detail = hide_passwords(str(exc), text)
        raise AkquiseError(f"Ungültige Datenbank-URL: {mask_password(text)!r} ({detail})") from None
    backend = url.get_backend_name()
    if backend in ("postgres", "postgresql"):
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        return url.set(drivername="sqlite")
    raise AkquiseError(
        f"Nicht unterstützte Datenbank {backend!r}: erlaubt sind SQLite (Datei) und PostgreSQL."
    )


# user:password@ up to the last @ (a password with an unencoded @ or / stays hidden),
# and a password given as a query parameter.
_USERINFO = re.compile(r"^(?P<head>[^:/?#@]*://[^:/?#@]*:)(?P<secret>.*)@")
_QUERY = re.compile(r"(?P<head>[?&]password=)(?P<secret>[^&#]*)", re.IGNORECASE)
MASK = "***"


def passwords(text: str | URL | None) -> list[str]:
    """The passwords in a database URL, parsable or not (for hiding them)."""
    if not text:
        return []
    if isinstance(text, URL):
        found = [text.password or ""]
        query = text.query.get("password")
        found += [query] if isinstance(query, str) else list(query or ())
    else:
        found = [m["secret"] for pattern in (_USERINFO, _QUERY) for m in pattern.finditer(text)]
        with contextlib.suppress(ArgumentError, ValueError):
            found.append(make_url(text).password or "")
    return sorted({str(p) for p in found if p}, key=len, reverse=True)


def mask_password(text: str) -> str:
    """A database URL as given, parsable or not, with its passwords as ``***``."""
    text = _USERINFO.sub(lambda m: m["head"] + MASK + "@", text, count=1)
    return _QUERY.sub(lambda m: m["head"] + MASK, text)


def hide_passwords(message: str, url: str | URL | None) -> str:
    """``message`` with every password of ``url`` replaced by ``***``."""
    for secret in passwords(url):
        message = message.replace(secret, MASK)
    return message


def describe(url: URL, lang: str = "de") -> str:
    """A user-facing description without the password."""
    if url.get_backend_name() == "sqlite":
        label = "Lokale Datei" if lang == "de" else "Local file"
        return f"{label} {url.database or ':memory:'}"
    return (
        f"PostgreSQL {url.username or ''}@{url.host or 'localhost'}:{url.port or 5432}/"
        f"{url.database or ''}"
    )
