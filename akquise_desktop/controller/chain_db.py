"""The database's side of the activity chain (PostgreSQL, migration 0010).

The chain triggers refuse a write that breaks the chain with SQLSTATE
:data:`CHAIN_SQLSTATE` (class 23, so the driver raises an integrity error and
the controller does not retry it) and put the rule's key in the error's
constraint name (e.g. ``activity_append_only``). :func:`chain_refusal` turns
such an error into a :class:`DomainError` (``storage.chain_refused``) with a
readable reason in both languages, for the rare case that one reaches the UI:
the controller checks the same rules first, so normally only a client that
goes around the controller meets them.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from akquise_desktop.core.errors import DomainError, Rule

CHAIN_SQLSTATE = "23C01"

# The triggers' rule keys -> (German, English) reason.
REASONS: dict[str, tuple[str, str]] = {
    "activity_append_only": (
        "Aktivitäten sind Historie: Sie werden nie gelöscht, nur Betreff und Text werden "
        "korrigiert.",
        "Activities are history: they are never deleted; only subject and text are corrected.",
    ),
    "activity_correction_unaudited": (
        "Eine Korrektur einer Aktivität muss im Änderungsprotokoll stehen.",
        "A correction of an activity must be in the audit trail.",
    ),
    "audit_append_only": (
        "Das Änderungsprotokoll kann weder geändert noch gelöscht werden.",
        "The audit trail can be neither changed nor deleted.",
    ),
    "journal_not_fresh": (
        "Das Journal einer Massenänderung nennt nur Zeilen, die sie selbst geschrieben hat.",
        "A bulk change's journal names only rows it wrote itself.",
    ),
    "journal_fixed": (
        "Das Journal einer Massenänderung kann nicht geändert werden.",
        "A bulk change's journal cannot be changed.",
    ),
    "status_change_needs_activity": (
        "Ein Statuswechsel braucht eine neue Aktivität desselben Datensatzes.",
        "A status change needs a new activity of the same record.",
    ),
    "status_change_fixed": (
        "Statuswechsel sind Historie und werden nicht geändert oder gelöscht.",
        "Status changes are history and are neither changed nor deleted.",
    ),
    "membership_fixed": (
        "Ein Kampagnenstatus bleibt bei seinem Datensatz und seiner Kampagne.",
        "A campaign status stays with its record and campaign.",
    ),
    "membership_needs_activity": (
        "Der Kampagnenstatus ändert sich nur mit einer Aktivität, die den Wechsel festhält.",
        "The campaign status changes only with an activity that records the change.",
    ),
    "follow_up_fixed": (
        "Eine Wiedervorlage bleibt bei ihrem Datensatz und ihrer Aktivität und wird nicht "
        "gelöscht (stornieren Sie sie stattdessen).",
        "A follow-up stays with its record and activity and is not deleted (cancel it instead).",
    ),
    "follow_up_done_fixed": (
        "Eine erledigte Wiedervorlage bleibt erledigt, durch dieselbe Aktivität.",
        "A done follow-up stays done, by the same activity.",
    ),
    "follow_up_done_needs_activity": (
        "Eine Wiedervorlage wird nur durch eine neue Aktivität ihres Datensatzes erledigt.",
        "A follow-up is done only by a new activity of its record.",
    ),
    "follow_up_state": (
        "Dieser Zustandswechsel einer Wiedervorlage ist nicht erlaubt.",
        "This change of a follow-up's state is not allowed.",
    ),
    "history_truncate": (
        "Tabellen mit Historie können nicht geleert werden.",
        "Tables holding history cannot be emptied.",
    ),
}


def chain_refusal(exc: BaseException) -> DomainError | None:
    """The :class:`DomainError` for a chain trigger's refusal, or None if
    ``exc`` is not one."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    if getattr(orig, "sqlstate", None) != CHAIN_SQLSTATE:
        return None
    diag = getattr(orig, "diag", None)
    key = getattr(diag, "constraint_name", None) or ""
    detail = getattr(diag, "message_primary", None) or str(orig).splitlines()[0]
    de, en = REASONS.get(key, (detail, detail))
    return DomainError(Rule.CHAIN_DB_REFUSED, reason_de=de, reason_en=en, key=key, detail=detail)
