"""``akquise-desktop --self-test``: does the program work here (an installed
bundle, a fresh machine)?

In a temporary folder, never touching the user's database or settings:

1. migrations: Alembic finds the migrations and their one head is the schema
   this program works with; a new database is made by running them;
2. the chain: a first administrator, a record in a campaign, and one full
   *Aktivität erfassen* save (a status change and the next follow-up) through
   the controller; the follow-up is read back;
3. translations: the German catalogue loads and translates;
4. the keyring: which backend ``keyring`` chose, and whether passwords can be
   kept (reported; a missing keyring is no failure: the login then asks).

Each step prints one line; the exit code is 0 when all passed, 1 otherwise,
with the reason in the failing step's line.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from akquise_desktop import __version__


class SelfTestError(Exception):
    pass


def check_migrations(tmp: Path) -> str:
    from akquise_desktop.storage import Database, schema

    heads = schema.script_directory().get_heads()
    if heads != [schema.head_revision()]:
        raise SelfTestError(f"migration heads {heads}, expected {schema.head_revision()}")
    db = Database(f"sqlite:///{tmp / 'migrations.sqlite3'}")
    try:
        before, after = db.upgrade()
        state, rev = db.schema_state()
    finally:
        db.dispose()
    if state is not schema.SchemaState.CURRENT:
        raise SelfTestError(f"schema after upgrade: {state.value} ({rev})")
    n = len(schema.known_revisions())
    return f"{n} migrations, {before or 'empty'} → {after}"


def check_chain(tmp: Path) -> str:
    from sqlalchemy import select

    from akquise_desktop import models as m
    from akquise_desktop.controller import (
        Controller,
        LogActivity,
        NextFollowUp,
        RecordData,
        StatusSpec,
        bootstrap,
    )
    from akquise_desktop.storage import Database

    db = Database(f"sqlite:///{tmp / 'chain.sqlite3'}").open(create=True)
    try:
        admin_id = bootstrap(db, "selftest", "Self-Test")
        ctl = Controller(db, admin_id)
        campaign_id = ctl.create_campaign(
            "Self-Test",
            [
                StatusSpec("Lead", next=("Kontaktiert",), is_start=True),
                StatusSpec("Kontaktiert"),
            ],
        ).result_id
        record_id = ctl.create_record(RecordData(name="Self-Test GmbH", city="Köln")).result_id
        assert campaign_id is not None and record_id is not None
        today = ctl.clock.today()
        ctl.assign_to_campaign(
            record_id, campaign_id, next_follow_up=NextFollowUp(today + timedelta(days=1))
        )
        with db.read() as s:
            open_ids = tuple(
                s.scalars(
                    select(m.FollowUp.id).where(
                        m.FollowUp.record_id == record_id, m.FollowUp.state == "open"
                    )
                )
            )
            contacted = s.scalar(
                select(m.CampaignStatus.id).where(
                    m.CampaignStatus.campaign_id == campaign_id,
                    m.CampaignStatus.name == "Kontaktiert",
                )
            )
        assert contacted is not None
        due = today + timedelta(days=7)
        summary = ctl.log_activity(
            LogActivity(
                record_id,
                "Self-Test",
                "Anruf",
                completes=open_ids,
                status_changes={campaign_id: contacted},
                next_follow_up=NextFollowUp(due, instruction="Angebot nachfassen"),
            )
        )
        with db.read() as s:
            follow_ups = s.execute(
                select(m.FollowUp.due_date, m.FollowUp.state).where(
                    m.FollowUp.record_id == record_id
                )
            ).all()
    finally:
        db.dispose()
    if sorted((str(state), d) for d, state in follow_ups) != sorted(
        [("done", today + timedelta(days=1)), ("open", due)]
    ):
        raise SelfTestError(f"unexpected follow-ups after the save: {follow_ups}")
    return f"activity #{summary.result_id} saved, next follow-up on {due.isoformat()}"


def check_translations(tmp: Path) -> str:
    from PySide6.QtCore import QCoreApplication, QTranslator

    from akquise_desktop.ui import i18n

    if QCoreApplication.instance() is None:
        app = QCoreApplication([sys.argv[0]])  # noqa: F841 - kept for the check
    catalogue = i18n.compiled_catalogue("de", cache=tmp / "cache")
    if catalogue is None:
        raise SelfTestError(f"no German catalogue (looked in {i18n.translations_dir()})")
    translator = QTranslator()
    if not translator.load(str(catalogue)) or translator.isEmpty():
        raise SelfTestError(f"German catalogue does not load: {catalogue}")
    german = translator.translate("RecordView", "&Back")
    if not german or german == "&Back":
        raise SelfTestError("German catalogue translates nothing known")
    return f"de: {catalogue.name} ({german!r})"


def check_keyring(_tmp: Path) -> str:
    from akquise_desktop.desktop.secrets import PasswordStore

    store = PasswordStore()
    usable = "usable" if store.available else "not usable (the login asks for the password)"
    return f"{store.backend_name}: {usable}"


CHECKS: list[tuple[str, Callable[[Path], str]]] = [
    ("migrations", check_migrations),
    ("activity and follow-up", check_chain),
    ("translations", check_translations),
    ("keyring", check_keyring),
]


def main(out=None) -> int:
    out = out or sys.stdout
    frozen = " (bundle)" if getattr(sys, "frozen", False) else ""
    python = sys.version.split()[0]
    print(f"AkquiseDesktop {__version__} self-test{frozen}, Python {python}", file=out)
    failed = 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="akquise-self-test-") as folder:
        tmp = Path(folder)
        for name, check in CHECKS:
            t0 = time.perf_counter()
            try:
                result = check(tmp)
            except Exception as exc:
                failed += 1
                reason = str(exc) or type(exc).__name__
                print(f"FAIL {name}: {reason}", file=out)
                if os.environ.get("AKQUISE_SELF_TEST_TRACE"):
                    traceback.print_exc(file=out)
            else:
                ms = (time.perf_counter() - t0) * 1000
                print(f"ok   {name}: {result} [{ms:.0f} ms]", file=out)
    total = time.perf_counter() - started
    verdict = "passed" if not failed else f"{failed} check(s) failed"
    print(f"self-test {verdict} in {total:.1f} s", file=out)
    return 1 if failed else 0
