"""Connection profiles: the local database and the PostgreSQL servers a user
works with, as the start dialog lists them.

A profile holds where and as whom, never a password (that is in the keyring,
:mod:`.secrets`, under :attr:`ConnectionProfile.account`). Profiles are kept
in the application's settings (``QSettings``), one group per profile; the
local database is always there and always first.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from sqlalchemy.engine import URL

LOCAL_ID = "local"
SSL_MODES = ("disable", "prefer", "require", "verify-ca", "verify-full")
DEFAULT_PORT = 5432


class ProfileError(ValueError):
    """A profile that can't be used; ``field`` names the input, messages in de and en."""

    def __init__(self, field: str, de: str, en: str) -> None:
        super().__init__(en)
        self.field = field
        self.de = de
        self.en = en

    def message(self, lang: str = "de") -> str:
        return self.de if lang == "de" else self.en


@dataclass(frozen=True)
class ConnectionProfile:
    name: str
    kind: str = "postgresql"  # "local" (a SQLite file) or "postgresql"
    path: str = ""  # local: the file ("" = the default file in the user's data folder)
    host: str = ""
    port: int = DEFAULT_PORT
    database: str = ""
    user: str = ""
    sslmode: str = "prefer"
    sslrootcert: str = ""  # a CA file for verify-ca / verify-full ("" = libpq's default)
    remember_password: bool = True
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])

    @property
    def is_local(self) -> bool:
        return self.kind == "local"

    @property
    def account(self) -> str:
        """The keyring's name for this login (no secret in it)."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def checked(self) -> ConnectionProfile:
        """The profile with its text trimmed; :class:`ProfileError` if unusable."""
        clean = replace(
            self,
            name=self.name.strip(),
            path=self.path.strip(),
            host=self.host.strip(),
            database=self.database.strip(),
            user=self.user.strip(),
            sslrootcert=self.sslrootcert.strip(),
        )
        if not clean.name:
            raise ProfileError("name", "Bitte einen Namen angeben.", "Please give a name.")
        if clean.is_local:
            return clean
        if clean.kind != "postgresql":
            raise ProfileError(
                "kind", f"Unbekannte Art {clean.kind!r}.", f"Unknown kind {clean.kind!r}."
            )
        if not clean.host or re.search(r"[\s/@?#]", clean.host):
            raise ProfileError(
                "host",
                "Bitte den Server angeben (Name oder IP-Adresse, ohne Leerzeichen).",
                "Please give the server (name or IP address, no spaces).",
            )
        if not 1 <= int(clean.port) <= 65535:
            raise ProfileError(
                "port", "Der Port liegt zwischen 1 und 65535.", "The port lies between 1 and 65535."
            )
        if not clean.database:
            raise ProfileError(
                "database", "Bitte die Datenbank angeben.", "Please give the database."
            )
        if not clean.user:
            raise ProfileError(
                "user", "Bitte den Anmeldenamen angeben.", "Please give the login name."
            )
        if clean.sslmode not in SSL_MODES:
            raise ProfileError(
                "sslmode", f"Unbekannte Verschlüsselung {clean.sslmode!r}.",
                f"Unknown encryption mode {clean.sslmode!r}.",
            )  # fmt: skip
        return clean

    def url(self, password: str | None = None) -> URL:
        """The database URL (with ``password`` inside the URL object only:
        SQLAlchemy renders it hidden)."""
        if self.is_local:
            from akquise_desktop.storage.url import default_database_path

            return URL.create("sqlite", database=self.path or str(default_database_path()))
        query = {"sslmode": self.sslmode}
        if self.sslrootcert:
            query["sslrootcert"] = self.sslrootcert
        return URL.create(
            "postgresql+psycopg",
            username=self.user,
            password=password or None,
            host=self.host,
            port=int(self.port),
            database=self.database,
            query=query,
        )

    def describe(self, lang: str = "de") -> str:
        if self.is_local:
            from akquise_desktop.storage.url import describe

            return describe(self.url(), lang)
        return f"{self.user}@{self.host}:{self.port}/{self.database}"


def local_profile(lang: str = "de") -> ConnectionProfile:
    return ConnectionProfile(
        name="Lokale Datenbank" if lang == "de" else "Local database",
        kind="local",
        remember_password=False,
        id=LOCAL_ID,
    )


_FIELDS = [f for f in fields(ConnectionProfile)]


class ProfileStore:
    """The profiles in a ``QSettings`` (group ``connections``)."""

    GROUP = "connections"

    def __init__(self, qsettings: Any) -> None:
        self.qsettings = qsettings

    def profiles(self, lang: str = "de") -> list[ConnectionProfile]:
        """The local database first, then the servers by name."""
        found: dict[str, ConnectionProfile] = {LOCAL_ID: local_profile(lang)}
        q = self.qsettings
        q.beginGroup(self.GROUP)
        try:
            for key in q.childGroups():
                q.beginGroup(key)
                try:
                    profile = self._read(q, key)
                finally:
                    q.endGroup()
                if profile is not None:
                    found[profile.id] = profile
        finally:
            q.endGroup()
        local = found.pop(LOCAL_ID)
        return [local, *sorted(found.values(), key=lambda p: p.name.casefold())]

    @staticmethod
    def _read(q: Any, key: str) -> ConnectionProfile | None:
        values: dict[str, Any] = {}
        for f in _FIELDS:
            raw = q.value(f.name)
            if raw is None:
                continue
            if f.type in ("int", int):
                try:
                    values[f.name] = int(raw)
                except (TypeError, ValueError):
                    return None
            elif f.type in ("bool", bool):
                values[f.name] = raw in (True, "true", "1", 1)
            else:
                values[f.name] = str(raw)
        values["id"] = key if key != LOCAL_ID else values.get("id", key)
        try:
            return ConnectionProfile(**values).checked()
        except (ProfileError, TypeError, ValueError):
            return None  # a damaged entry is skipped, not fatal

    def save(self, profile: ConnectionProfile) -> ConnectionProfile:
        """Keep ``profile`` (checked); the local one keeps only its file."""
        profile = profile.checked()
        q = self.qsettings
        q.beginGroup(f"{self.GROUP}/{profile.id}")
        try:
            q.remove("")
            for key, value in asdict(profile).items():
                q.setValue(key, value)
        finally:
            q.endGroup()
        q.sync()
        return profile

    def remove(self, profile_id: str) -> None:
        if profile_id == LOCAL_ID:
            return
        self.qsettings.remove(f"{self.GROUP}/{profile_id}")
        self.qsettings.sync()

    def find(self, profile_id: str, lang: str = "de") -> ConnectionProfile | None:
        return next((p for p in self.profiles(lang) if p.id == profile_id), None)

    @property
    def last_used(self) -> str:
        value = self.qsettings.value(f"{self.GROUP}_last", LOCAL_ID)
        return str(value) if value else LOCAL_ID

    @last_used.setter
    def last_used(self, profile_id: str) -> None:
        self.qsettings.setValue(f"{self.GROUP}_last", profile_id)
