"""Where the database is: the default local file, a path, or a server URL."""

from __future__ import annotations

import os
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
        raise AkquiseError(f"Ungültige Datenbank-URL: {text!r} ({exc})") from None
    backend = url.get_backend_name()
    if backend in ("postgres", "postgresql"):
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        return url.set(drivername="sqlite")
    raise AkquiseError(
        f"Nicht unterstützte Datenbank {backend!r}: erlaubt sind SQLite (Datei) und PostgreSQL."
    )


def describe(url: URL, lang: str = "de") -> str:
    """A user-facing description without the password."""
    if url.get_backend_name() == "sqlite":
        label = "Lokale Datei" if lang == "de" else "Local file"
        return f"{label} {url.database or ':memory:'}"
    return (
        f"PostgreSQL {url.username or ''}@{url.host or 'localhost'}:{url.port or 5432}/"
        f"{url.database or ''}"
    )
