"""``akquise-desktop call NUMBER``: what a phone system runs on an incoming call
(Fritz!Box call monitor, 3CX, Estos ProCall, Teams …).

The number (``tel:`` / ``callto:`` links accepted too) is checked
(:func:`akquise_desktop.desktop.urls.phone_number`: a bad or withheld number is
one line on stderr, exit 2, nothing opened) and becomes the call message
(:func:`~akquise_desktop.desktop.urls.call_url`). Then it goes the way of an
``akquise://`` link: to the running instance through the single-instance
channel (it opens the caller's record, offers a choice, or *Neuer Datensatz*),
or, with none running, it starts the app, which then takes the call.

Without ``--db`` the running instance of any of the user's databases takes it
(the local file and the connection profiles: :func:`hand_to_running`), so a
call never brings up the start dialog while the app runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable

from akquise_desktop.core.errors import AkquiseError


def add_parser(sub, common: argparse.ArgumentParser) -> None:
    call = sub.add_parser(
        "call",
        parents=[common],
        help="Anrufer nachschlagen (für die Telefonanlage): den Datensatz zur Nummer im "
        "laufenden Programm öffnen, bei mehreren zur Wahl, sonst als neuen Datensatz",
    )
    call.add_argument("number", metavar="NUMMER", help="Rufnummer des Anrufers (auch tel:+49…)")


def message(number: str) -> str:
    """The call message for ``number``; :class:`AkquiseError` (German) if it is none."""
    from akquise_desktop.desktop import urls

    try:
        return urls.call_url(number)
    except urls.NumberError as exc:
        raise AkquiseError(exc.message("de")) from None


def prepare(args: argparse.Namespace) -> None:
    """Turn ``call NUMBER`` into a start of the app with the call message as
    its link (``args.link``); the rest is the GUI start's."""
    args.link = message(args.number)
    args.command = None
    args.call = True


def database_ids(store) -> list[str]:
    """The ids of the user's databases (the local file first, then the profiles)."""
    from akquise_desktop.desktop import urls

    ids: list[str] = []
    for profile in store.profiles():
        try:
            db_id = urls.profile_id(profile)
        except (ValueError, OSError):
            continue
        if db_id not in ids:
            ids.append(db_id)
    return ids


def hand_to_running(
    text: str,
    db_ids: Iterable[str],
    hand_over: Callable[[str, str], bool] | None = None,
) -> bool:
    """Give the call message ``text`` to the first running instance among the
    databases ``db_ids``; True when one took it."""
    from akquise_desktop.desktop import single_instance

    give = hand_over or single_instance.hand_over
    return any(give(single_instance.server_name(db_id), text) for db_id in db_ids)


def handed_to_running(text: str) -> bool:
    """:func:`hand_to_running` over the user's databases (no ``--db`` given)."""
    from akquise_desktop.desktop.profiles import ProfileStore
    from akquise_desktop.ui.app import create_application
    from akquise_desktop.ui.settings import Settings

    create_application()  # the settings' organisation and application name
    return hand_to_running(text, database_ids(ProfileStore(Settings().qsettings)))
