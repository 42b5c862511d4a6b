"""The ``akquise-desktop`` command: the GUI, and the database and demo tools.

Errors print one readable line and exit non-zero; no tracebacks for things a
user can fix (bad URL, unreachable server, schema mismatch, refused input).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence
from contextlib import nullcontext

from akquise_desktop import __version__, startup
from akquise_desktop.core.errors import AkquiseError, DomainError

DEMO_RECORDS_ON_FIRST_START = 300


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="Datenbank: Datei, sqlite:///PFAD oder postgresql://… "
        "(sonst $AKQUISE_DB, sonst die lokale Datei im Benutzerordner)",
    )
    common.add_argument(
        "--user",
        metavar="LOGIN",
        default=argparse.SUPPRESS,
        help="Anmeldename (sonst $AKQUISE_USER, sonst der Systembenutzer)",
    )
    parser = argparse.ArgumentParser(
        prog="akquise-desktop",
        description="AkquiseDesktop – CRM mit lückenloser Aktivitäten-/Wiedervorlagen-Kette.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--lang", choices=["de", "en"], help="Sprache der Oberfläche")
    parser.add_argument(
        "--demo",
        nargs="?",
        const=DEMO_RECORDS_ON_FIRST_START,
        type=int,
        metavar="N",
        help=f"eine leere Datenbank vor dem Start mit N Demo-Datensätzen füllen "
        f"(Vorgabe {DEMO_RECORDS_ON_FIRST_START})",
    )
    parser.add_argument(
        "--choose",
        action="store_true",
        help="beim Start die Verbindung wählen (lokale Datenbank oder ein Server); "
        "ohne --db kommt die Auswahl von selbst, sobald ein Server eingerichtet ist",
    )
    _desktop_arguments(parser)
    sub = parser.add_subparsers(dest="command", metavar="BEFEHL")

    db = sub.add_parser("db", parents=[common], help="Datenbankschema")
    db_sub = db.add_subparsers(dest="db_command", metavar="AKTION", required=True)
    db_sub.add_parser("upgrade", parents=[common], help="Schema anlegen oder aktualisieren")
    db_sub.add_parser("status", parents=[common], help="Schemastand anzeigen")

    demo = sub.add_parser("demo", parents=[common], help="Demodaten in eine leere Datenbank")
    demo.add_argument("--records", type=int, default=2000, metavar="N")
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument(
        "--scale",
        choices=["small", "large"],
        default="small",
        help="large: 100.000 Datensätze, 2 Mio. Aktivitäten … (mal --factor), als Massenimport",
    )
    demo.add_argument("--factor", type=float, default=1.0, metavar="F", help="für --scale large")

    check = sub.add_parser("check", parents=[common], help="Ketten-Invarianten prüfen")
    check.add_argument(
        "--strict",
        action="store_true",
        help="auch tote Kunden (nicht finaler Status ohne Wiedervorlage) als Fehler werten",
    )

    bench = sub.add_parser(
        "bench", parents=[common], help="Leistungsmessung (p50/p95, JSON und Tabelle)"
    )
    bench.add_argument("--json", metavar="FILE", help="Ergebnis als JSON-Datei")
    bench.add_argument("--repeat", type=int, default=10, metavar="N", help="Messrunden")
    bench.add_argument("--warmup", type=int, default=2, metavar="N", help="Aufwärmrunden")
    bench.add_argument("--starts", type=int, default=5, metavar="N", help="Kaltstarts")
    bench.add_argument(
        "--no-processes", action="store_true", help="ohne Kaltstart und Speichermessung"
    )
    bench.add_argument(
        "--only",
        metavar="KEYS",
        default="",
        help="nur diese Messungen, durch Komma getrennt (z. B. search_keystroke,cold_start)",
    )

    load = sub.add_parser(
        "bench-load",
        parents=[common],
        help="Lasttest eines Teamservers (PostgreSQL): N Clients als eigene Datenbankrollen",
    )
    from akquise_desktop.bench.load_args import add_arguments as add_load_arguments

    add_load_arguments(load)

    shots = sub.add_parser(
        "screenshots",
        parents=[common],
        help="alle Ansichten als PNG rendern (ohne --db: frische Demodatenbank)",
    )
    shots.add_argument("--out", required=True, metavar="DIR", help="Zielordner")
    shots.add_argument("--lang", choices=["de", "en"], default=argparse.SUPPRESS)

    ical = sub.add_parser(
        "export-ical",
        parents=[common],
        help="offene Wiedervorlagen eines Benutzers (--user) als iCalendar-Datei",
    )
    ical.add_argument("--out", required=True, metavar="FILE", help="Zieldatei (.ics)")
    ical.add_argument(
        "--events",
        action="store_true",
        help="ganztägige als Termine (VEVENT) statt Aufgaben (VTODO), z. B. für Outlook",
    )
    from akquise_desktop import admin_cli, backup_cli, call_cli, find_cli
    from akquise_desktop.imports import cli as import_cli

    call_cli.add_parser(sub, common)
    admin_cli.add_parser(sub, common)
    backup_cli.add_parsers(sub, common)
    find_cli.add_parser(sub, common)
    import_cli.add_parser(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv, link = _take_link(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(argv)
    args.link = link
    if args.command == "call":  # the app, with the call as its link (call_cli.py)
        from akquise_desktop import call_cli

        try:
            call_cli.prepare(args)
        except AkquiseError as exc:
            _error(str(exc), args)
            return 2
    gui = args.command is None
    if gui:
        startup.pause_gc()  # until the first screen is up (ui.app.Application)
    try:
        return _dispatch(args)
    except (AkquiseError, DomainError) as exc:
        message = exc.message_de if isinstance(exc, DomainError) else str(exc)
        _error(message, args)
        return 2 if isinstance(exc, AkquiseError) else 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        from sqlalchemy.exc import SQLAlchemyError

        if not isinstance(exc, SQLAlchemyError):
            raise
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        _error(f"Datenbankfehler: {reason}", args)
        return 2
    finally:
        if gui:
            startup.resume_gc()


def _error(message: str, args: argparse.Namespace) -> None:
    """One line on stderr, without the database URL's password (if a message
    should ever quote it)."""
    from akquise_desktop.storage.url import DB_ENV, hide_passwords

    given = getattr(args, "db", None) or os.environ.get(DB_ENV)
    print(f"akquise-desktop: {hide_passwords(message, given)}", file=sys.stderr)


# Commands that only look: their database is opened read-only (nothing created or changed).
READ_ONLY_COMMANDS = {("db", "status"), ("check", None), ("export-ical", None), ("find", None)}


def _login(args: argparse.Namespace) -> tuple[str, bool]:
    """(login, strict): an explicit --user or $AKQUISE_USER must exist."""
    explicit = getattr(args, "user", None) or os.environ.get("AKQUISE_USER")
    if explicit:
        return explicit, True
    try:
        return getpass.getuser(), False
    except (OSError, KeyError):
        return "admin", False


def _dispatch(args: argparse.Namespace) -> int:
    from akquise_desktop.storage import Database
    from akquise_desktop.storage.url import DB_ENV

    if (done := _desktop_command(args)) is not None:
        return done
    if args.command == "screenshots":
        from akquise_desktop.ui.screenshots import main as screenshots

        return screenshots(getattr(args, "db", None), args.out, args.lang or "de")
    read_only = (args.command, getattr(args, "db_command", None)) in READ_ONLY_COMMANDS
    # The large demo's bulk load runs statements longer than the usual limit.
    bulk = args.command == "demo" and args.scale == "large"
    url = getattr(args, "db", None)
    if args.command is None and url is None and not os.environ.get(DB_ENV):
        if _handed_to_linked_instance(args.link):
            return 0
        if getattr(args, "call", False):
            from akquise_desktop import call_cli

            if call_cli.handed_to_running(args.link):
                return 0
        url = _chosen_connection(args)
        if url is CANCELLED:
            return 0
    db = Database(url, read_only=read_only, bulk=bulk)
    try:
        if args.command == "db":
            return _db_command(db, args.db_command)
        if args.command == "demo":
            db.open(create=True)
            if args.scale == "large":
                from akquise_desktop.demo.large import command as large_demo

                return large_demo(db, args.factor, args.seed)
            return _demo(db, args.records, args.seed)
        if args.command == "bench":
            from akquise_desktop.bench.runner import Settings, command

            settings = Settings(
                warmup=max(0, args.warmup),
                repeat=max(1, args.repeat),
                process_runs=max(1, args.starts),
                processes=not args.no_processes,
                only=frozenset(k.strip() for k in args.only.split(",") if k.strip()),
            )
            return command(db, args.json, settings)
        if args.command == "bench-load":
            from akquise_desktop.bench import load

            return load.run_args(db, args)
        if args.command == "admin":
            from akquise_desktop import admin_cli

            acting, strict = _login(args)
            return admin_cli.create_user(db, args, acting, strict)
        if args.command in ("backup", "restore"):
            from akquise_desktop import backup_cli

            return backup_cli.command(db, args)
        if args.command == "import":
            from akquise_desktop.imports import cli as import_cli

            acting, strict = _login(args)
            return import_cli.run(db, args, acting, strict)
        if args.command == "find":
            from akquise_desktop import find_cli

            acting, strict = _login(args)
            return find_cli.run(db, args, acting, strict)
        if args.command == "check":
            db.open(create=False)
            return _check(db, args.strict)
        if args.command == "export-ical":
            from akquise_desktop.export.ical import cli_export

            login = getattr(args, "user", None) or os.environ.get("AKQUISE_USER")
            return cli_export(db, login, args.out, all_day_as_events=args.events)
        return _gui(db, args)
    finally:
        db.dispose()


CANCELLED = object()


def _chosen_connection(args: argparse.Namespace):
    """Where the GUI starts without --db (see :func:`choose_start`)."""
    from akquise_desktop.desktop.profiles import ProfileStore
    from akquise_desktop.ui.app import create_application
    from akquise_desktop.ui.settings import Settings

    create_application()  # the settings' organisation and application name
    settings = Settings()
    store = ProfileStore(settings.qsettings)
    ask = _link_chooses_profile(store, args.link) or args.choose
    return choose_start(store, args.lang or settings.language, ask=ask)


def choose_start(store, lang: str, *, ask: bool, choose=None):
    """The start dialog when a server profile exists (or ``ask``), else the
    local database (None). The URL carries the password for this process
    only; CANCELLED when the user closes the dialog. ``choose`` stands for
    :func:`akquise_desktop.ui.start.choose_connection` (tests)."""
    if not ask and len(store.profiles(lang)) < 2:
        return None  # only the local database: nothing to choose
    from akquise_desktop.desktop.secrets import PasswordStore
    from akquise_desktop.ui import i18n

    if choose is None:
        from akquise_desktop.ui.start import choose_connection as choose

    i18n.install(lang)
    choice = choose(store, PasswordStore(), lang=lang)
    if choice is None:
        return CANCELLED
    return None if choice.profile.is_local else choice.url


def _db_command(db, action: str) -> int:
    from akquise_desktop.storage import SchemaState

    if action == "status":
        state, rev = db.schema_state()
        print(f"{db.describe()}: {state.value} ({rev or '—'})")
        return 0 if state is SchemaState.CURRENT else 1
    before, after = db.upgrade()
    if before == after:
        print(f"{db.describe()}: Schema ist aktuell ({after}).")
    else:
        print(f"{db.describe()}: Schema aktualisiert {before or 'leer'} → {after}.")
    return 0


def _demo(db, records: int, seed: int) -> int:
    from akquise_desktop.demo import generate

    if records < 1:
        raise AkquiseError("--records muss mindestens 1 sein.")

    def progress(done: int, total: int) -> None:
        if done == total or done % max(1, total // 20) == 0:
            print(f"\rDemodaten: {done}/{total} Datensätze", end="", file=sys.stderr, flush=True)

    try:
        result = generate(db, records, seed=seed, progress=progress)
    except ValueError as exc:
        raise AkquiseError(str(exc)) from None
    print(file=sys.stderr)
    print(
        f"{result.records} Datensätze, {result.activities} Aktivitäten, "
        f"{result.follow_ups_open} offene Wiedervorlagen in {db.describe()}."
    )
    return 0


def _check(db, strict: bool) -> int:
    from akquise_desktop.queries.invariants import DEAD_RECORDS, check_invariants

    with db.read() as s:
        violations = check_invariants(s)
    hard = [v for v in violations if strict or v.check != DEAD_RECORDS]
    for v in violations:
        marker = "FEHLER" if v in hard else "Hinweis"
        ids = ", ".join(str(i) for i in v.sample)
        print(f"{marker}: {v.description}: {v.count} (z. B. #{ids})")
    if not violations:
        print("Alle Invarianten erfüllt.")
    return 1 if hard else 0


def _gui(db, args: argparse.Namespace) -> int:
    from akquise_desktop.storage import SchemaState

    instance = _single_instance(db, args.link)
    if instance is None:
        return 0  # the running instance of this database took over
    login, strict = _login(args)
    state, rev = db.schema_state()
    # Creates a new database's schema, refuses the rest (and a read-only file).
    with startup.collecting() if state is not SchemaState.CURRENT else nullcontext():
        db.open(create=True, state=(state, rev))
    if args.demo is not None and (state is SchemaState.EMPTY or _is_empty(db)):
        with startup.collecting():
            _demo(db, args.demo, 1)
    if db.is_sqlite and args.demo is None and _without_users(db):
        with startup.collecting():
            user_id = _first_run(db, args, login if strict else None)
        if user_id is None:
            return 0  # cancelled: nothing written, the next start asks again
    else:
        user_id = _acting_user(db, login, strict=strict)
    from akquise_desktop.ui.app import run

    return run(db, user_id, lang=args.lang, instance=instance, link=args.link)


def _without_users(db) -> bool:
    from akquise_desktop.queries.users import has_users

    with db.read() as s:
        return not has_users(s)


def _first_run(db, args: argparse.Namespace, login: str | None) -> int | None:
    """A new local database: the first-run wizard (name, company, a campaign
    template, demo data if asked) makes its first administrator. (On a new
    server database the role that set it up is that administrator:
    :func:`_acting_user`.)"""
    from akquise_desktop.core.clock import SYSTEM_CLOCK
    from akquise_desktop.ui import first_run, i18n
    from akquise_desktop.ui.app import create_application
    from akquise_desktop.ui.settings import Settings

    create_application()
    i18n.install(args.lang or Settings().language)
    return first_run.run_first_run(db, clock=SYSTEM_CLOCK, login=login)


def _acting_user(db, login: str, *, strict: bool) -> int:
    """The user's id; in a database without users, ``login`` becomes its first
    administrator. On PostgreSQL the database role is the identity
    (:func:`~akquise_desktop.queries.users.server_user_id`). (The controller is
    imported only to set up a new database: a start that only reads does not
    need it.)"""
    from akquise_desktop.queries.users import (
        acting_user_id,
        has_users,
        server_login,
        server_user_id,
    )

    with db.read() as s:
        if has_users(s):
            if not db.is_sqlite:
                return server_user_id(s, login if strict else None)
            return acting_user_id(s, login, strict=strict)
        if not db.is_sqlite:
            role, superuser = server_login(s)
            if not superuser:
                login = role  # the first administrator is the role that set it up
    from akquise_desktop.controller import bootstrap

    return bootstrap(db, login)


def _is_empty(db, *, users: bool = False) -> bool:
    from sqlalchemy import func, select

    from akquise_desktop import models as m

    table = m.User if users else m.Record
    with db.read() as s:
        return not s.scalar(select(func.count()).select_from(table))


# --- desktop integration: links, single instance, URL scheme, self-test ----------------------


def _desktop_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="prüfen, ob das Programm hier läuft (temporäre Datenbank, eine Aktivität mit "
        "Wiedervorlage, Übersetzungen, Migrationen, Schlüsselbund); Exit-Code 0 = in Ordnung",
    )
    parser.add_argument(
        "--register-url-scheme",
        action="store_true",
        help="Linux: akquise://-Links (Desktop-Verknüpfungen) mit diesem Programm öffnen",
    )


def _take_link(argv: Sequence[str]) -> tuple[list[str], str | None]:
    """The arguments without the ``akquise://`` link, and the link (the URL
    scheme's handlers and ``akquise-desktop akquise://record/12`` give it as a
    positional argument; argparse would take it for a command)."""
    from akquise_desktop.desktop.urls import is_link

    links = [a for a in argv if is_link(a)]
    return [a for a in argv if not is_link(a)], (links[0] if links else None)


def _desktop_command(args: argparse.Namespace) -> int | None:
    if args.self_test:
        from akquise_desktop.desktop.self_test import main as self_test

        return self_test()
    if args.register_url_scheme:
        from akquise_desktop.desktop.scheme import register

        return register()
    return None


def _handed_to_linked_instance(link: str | None) -> bool:
    """A link naming its database, and an instance of that database runs:
    the link goes there (before any start dialog)."""
    from akquise_desktop.desktop import urls
    from akquise_desktop.desktop.single_instance import hand_over, server_name

    try:
        db = urls.parse(link).db if link else None
    except urls.LinkError:
        return False
    return db is not None and hand_over(server_name(db), link or "")


def _link_chooses_profile(store, link: str | None) -> bool:
    """A link to a server database of the user's profiles: the start dialog
    comes with that profile selected (True: ask)."""
    from akquise_desktop.desktop import urls

    try:
        db = urls.parse(link).db if link else None
    except urls.LinkError:
        return False
    profile = urls.matching_profile(db, store.profiles()) if db else None
    if profile is None or profile.is_local:
        return False
    store.last_used = profile.id
    return True


def _single_instance(db, link: str | None):
    """This start becomes the instance of ``db`` for this OS user (a
    :class:`~akquise_desktop.desktop.single_instance.SingleInstance`
    listening), or hands ``link`` (or "show the window") to the one running
    and returns None."""
    from akquise_desktop.desktop import urls
    from akquise_desktop.desktop.single_instance import SingleInstance, hand_over, server_name
    from akquise_desktop.ui.app import create_application

    create_application()  # (a local server needs the application's event loop)
    name = server_name(urls.database_id(db.url))
    instance = SingleInstance(name)
    if instance.claim() or not hand_over(name, link or ""):
        return instance  # (not heard: this start goes on, without hand-over)
    return None
