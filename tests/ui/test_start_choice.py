"""Which database the GUI starts on without --db: the start dialog comes only
when there is something to choose (a server profile, or --choose)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from akquise_desktop import cli
from akquise_desktop.desktop.profiles import ConnectionProfile, ProfileStore
from akquise_desktop.ui import i18n
from akquise_desktop.ui.start import StartChoice


@pytest.fixture
def store(tmp_path, qapp):
    yield ProfileStore(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    i18n.uninstall()


def server(store: ProfileStore) -> ConnectionProfile:
    return store.save(
        ConnectionProfile(name="Zentrale", host="db.example.de", database="crm", user="kb")
    )


class Dialog:
    """Stands for the start dialog: answers with a profile (or cancels)."""

    def __init__(self, pick: ConnectionProfile | None) -> None:
        self.pick, self.shown = pick, 0

    def __call__(self, store, passwords, *, lang):
        self.shown += 1
        if self.pick is None:
            return None
        return StartChoice(self.pick, self.pick.url("geheim"))


def test_only_the_local_database_starts_without_asking(store):
    dialog = Dialog(None)
    assert cli.choose_start(store, "de", ask=False, choose=dialog) is None
    assert dialog.shown == 0


def test_a_server_profile_brings_the_dialog_and_its_url(store):
    profile = server(store)
    dialog = Dialog(profile)
    url = cli.choose_start(store, "de", ask=False, choose=dialog)
    assert dialog.shown == 1
    assert (url.host, url.database, url.username, url.password) == (
        "db.example.de", "crm", "kb", "geheim",
    )  # fmt: skip


def test_local_chosen_in_the_dialog_is_the_default_file(store):
    server(store)
    local = store.profiles("de")[0]
    assert local.is_local
    assert cli.choose_start(store, "de", ask=False, choose=Dialog(local)) is None


def test_choose_asks_even_without_servers_and_cancel_ends_the_start(store):
    dialog = Dialog(None)
    assert cli.choose_start(store, "de", ask=True, choose=dialog) is cli.CANCELLED
    assert dialog.shown == 1
