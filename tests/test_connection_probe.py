"""Connection profiles, the keyring and "test connection": each failure named,
no password kept anywhere but the keyring.

The failures need a server that asks for passwords and knows TLS, which the
shared test server (trust, no TLS) is not: a private cluster
(:mod:`tests.pg_cluster`) is started once for this module.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from PySide6.QtCore import QSettings
from sqlalchemy.engine import URL

from akquise_desktop.controller import bootstrap
from akquise_desktop.desktop.profiles import (
    LOCAL_ID,
    ConnectionProfile,
    ProfileError,
    ProfileStore,
)
from akquise_desktop.desktop.secrets import PasswordStore
from akquise_desktop.storage import Database
from akquise_desktop.storage.probe import Problem, classify, probe
from akquise_desktop.storage.schema import SchemaState

from .pg_cluster import PrivateCluster, unavailable_reason

ALICE_PASSWORD = "Alice-Pa$$word-7"


class MemoryKeyring(KeyringBackend):
    """A keyring in memory (tests only)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.kept.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.kept[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.kept.pop((service, username), None)


@pytest.fixture(scope="module")
def cluster() -> Iterator[PrivateCluster]:
    reason = unavailable_reason()
    if reason:
        if os.environ.get("AKQUISE_REQUIRE_PG") == "1":
            pytest.fail(f"AKQUISE_REQUIRE_PG=1 but no private cluster: {reason}")
        pytest.skip(reason)
    c = PrivateCluster(plain_roles=("plain",)).start()
    try:
        # CREATEROLE: the first upgrade makes the database's roles (migration 0009).
        c.psql(f"CREATE ROLE alice LOGIN CREATEROLE PASSWORD '{ALICE_PASSWORD}'")
        c.psql("CREATE ROLE plain LOGIN PASSWORD 'plain-pw'")
        c.psql("CREATE DATABASE crm OWNER alice")
        c.psql("CREATE DATABASE empty OWNER alice")
        db = Database(
            c.url("alice", ALICE_PASSWORD, "crm").update_query_dict({"sslmode": "require"})
        )
        db.upgrade()
        db.dispose()
        yield c
    finally:
        c.stop()


def _url(c: PrivateCluster, **kw) -> URL:
    values = {"user": "alice", "password": ALICE_PASSWORD, "database": "crm"}
    values.update({k: v for k, v in kw.items() if k in values})
    url = c.url(values["user"], values["password"], values["database"])
    return url.update_query_dict({"sslmode": kw.get("sslmode", "require")})


@pytest.mark.postgresql
def test_each_connection_failure_is_named(cluster):
    cases = [
        (_url(cluster, password="falsch"), Problem.WRONG_PASSWORD),
        (_url(cluster, user="niemand"), Problem.WRONG_PASSWORD),
        (_url(cluster, database="gibtsnicht"), Problem.NO_DATABASE),
        (_url(cluster, sslmode="disable"), Problem.TLS_REQUIRED),
        (_url(cluster).set(port=1), Problem.UNREACHABLE),
        (_url(cluster).set(host="nonexistent.invalid"), Problem.HOST_UNKNOWN),
        (_url(cluster, sslmode="verify-full").update_query_dict(
            {"sslrootcert": "/nonexistent/root.crt"}), Problem.TLS_CERTIFICATE),
        (_url(cluster, database="empty"), Problem.SCHEMA_EMPTY),
    ]  # fmt: skip
    for url, expected in cases:
        result = probe(url)
        assert result.problem is expected, (url.render_as_string(), result)
        for lang in ("de", "en"):
            assert ALICE_PASSWORD not in result.message(lang)
        assert ALICE_PASSWORD not in result.detail


@pytest.mark.postgresql
def test_a_password_is_needed(cluster):
    url = URL.create(
        "postgresql+psycopg", username="alice", host="127.0.0.1", port=cluster.port,
        database="crm", query={"sslmode": "require"},
    )  # fmt: skip
    assert probe(url).problem is Problem.PASSWORD_NEEDED


@pytest.mark.postgresql
def test_a_working_connection_says_encrypted_and_checks_the_user(cluster):
    # No users yet: "alice" may log in, as the first administrator.
    first = probe(_url(cluster))
    assert first.ok and first.first_user and first.login == "alice"
    db = Database(_url(cluster))
    try:
        bootstrap(db, "bob")
    finally:
        db.dispose()
    result = probe(_url(cluster))
    # The schema is current, but "alice" is no user of the application.
    assert result.problem is Problem.NOT_A_USER and result.login == "alice"
    assert result.encrypted is True and result.schema is SchemaState.CURRENT
    assert not result.first_user
    assert probe(_url(cluster), require_user=False).ok
    plain = URL.create(
        "postgresql+psycopg", username="plain", password="plain-pw", host="127.0.0.1",
        port=cluster.port, database="crm", query={"sslmode": "disable"},
    )  # fmt: skip
    refused = probe(plain, require_user=False)
    assert refused.problem is Problem.NO_PERMISSION and refused.encrypted is None
    cluster.psql("GRANT SELECT ON alembic_version TO plain", database="crm")
    assert probe(plain, require_user=False).encrypted is False


@pytest.mark.postgresql
def test_server_without_tls(pg_url):
    from sqlalchemy.engine import make_url

    url = make_url(pg_url).update_query_dict({"sslmode": "require"})
    assert probe(url).problem is Problem.TLS_UNAVAILABLE


def test_german_server_messages_are_recognised():
    assert classify("Passwort-Authentifizierung für Benutzer „x“ fehlgeschlagen") is (
        Problem.WRONG_PASSWORD
    )
    assert classify("Datenbank „crm“ existiert nicht") is Problem.NO_DATABASE
    assert (
        classify(
            "kein pg_hba.conf-Eintrag für Host „10.0.0.1“, Benutzer „x“, Datenbank „y“, "
            "keine Verschlüsselung"
        )
        is Problem.TLS_REQUIRED
    )
    assert classify("something else entirely") is Problem.OTHER


@pytest.mark.parametrize("kind", ["missing", "current"])
def test_local_database_probe(tmp_path, kind):
    path = tmp_path / "lokal.sqlite3"
    if kind == "current":
        Database(f"sqlite:///{path}").upgrade()
    result = probe(URL.create("sqlite", database=str(path)))
    assert result.ok
    assert result.schema is (SchemaState.EMPTY if kind == "missing" else SchemaState.CURRENT)
    assert path.exists() is (kind == "current")  # a probe creates nothing


# --- profiles and the keyring --------------------------------------------------------------


@pytest.fixture
def store(tmp_path) -> ProfileStore:
    return ProfileStore(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


def test_profiles_keep_no_password(store, tmp_path):
    profile = ConnectionProfile(
        name="Zentrale", host="crm.example.de", database="akquise", user="anna",
        sslmode="verify-full", sslrootcert="/etc/ssl/ca.pem",
    )  # fmt: skip
    saved = store.save(profile)
    url = saved.url("geheim-123")
    assert url.password == "geheim-123" and "geheim-123" not in str(url)
    assert url.query == {"sslmode": "verify-full", "sslrootcert": "/etc/ssl/ca.pem"}
    found = store.profiles()
    assert [p.id for p in found] == [LOCAL_ID, saved.id]
    assert found[1] == saved
    store.last_used = saved.id
    assert store.last_used == saved.id
    assert "geheim" not in (tmp_path / "settings.ini").read_text()
    store.remove(saved.id)
    assert [p.id for p in store.profiles()] == [LOCAL_ID]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "  "}, "name"),
        ({"host": ""}, "host"),
        ({"host": "a b"}, "host"),
        ({"port": 0}, "port"),
        ({"port": 70000}, "port"),
        ({"database": ""}, "database"),
        ({"user": " "}, "user"),
        ({"sslmode": "sometimes"}, "sslmode"),
    ],
)
def test_bad_profiles_are_refused(store, change, field):
    base = {"name": "Server", "host": "db", "database": "crm", "user": "anna"}
    with pytest.raises(ProfileError) as info:
        store.save(ConnectionProfile(**{**base, **change}))
    assert info.value.field == field and info.value.message("de") and info.value.message("en")
    assert [p.id for p in store.profiles()] == [LOCAL_ID]


def test_a_damaged_profile_entry_is_skipped(store):
    store.qsettings.setValue("connections/x1/name", "Kaputt")
    store.qsettings.setValue("connections/x1/port", "abc")
    assert [p.id for p in store.profiles()] == [LOCAL_ID]


def test_keyring_keeps_and_forgets():
    backend = MemoryKeyring()
    secrets = PasswordStore(backend)
    assert secrets.available and secrets.reason() == ""
    assert secrets.keep("anna@db:5432/crm", "pw1")
    assert secrets.get("anna@db:5432/crm") == "pw1"
    secrets.forget("anna@db:5432/crm")
    assert secrets.get("anna@db:5432/crm") is None


def test_no_keyring_backend_means_asking():
    secrets = PasswordStore(fail.Keyring())
    assert not secrets.available
    assert "Schlüsselbund" in secrets.reason("de") and "keyring" in secrets.reason("en")
    assert secrets.keep("anna@db:5432/crm", "pw") is False
    assert secrets.get("anna@db:5432/crm") is None


@pytest.mark.postgresql
def test_the_database_says_whether_its_connection_is_encrypted(cluster, tmp_path):
    tls = Database(_url(cluster))
    plain = Database(
        URL.create(
            "postgresql+psycopg", username="plain", password="plain-pw", host="127.0.0.1",
            port=cluster.port, database="crm", query={"sslmode": "disable"},
        )
    )  # fmt: skip
    local = Database(f"sqlite:///{tmp_path}/x.sqlite3")
    try:
        assert (tls.encrypted(), plain.encrypted(), local.encrypted()) == (True, False, None)
    finally:
        for db in (tls, plain, local):
            db.dispose()
