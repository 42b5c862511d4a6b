"""The one domain error type and the catalogue of rules it can name.

Every refusal of the controller layer raises :class:`DomainError` with a
:class:`Rule`; the rule carries a stable id (for tests, logs and the UI) and a
message template in German and English. Nothing is written when it is raised.
"""

from __future__ import annotations

from enum import Enum
from typing import Any


class Rule(Enum):
    """Rules and input checks; value = (rule id, German template, English template)."""

    # --- the chain policies (role-group switchable) ---
    FOLLOW_UP_REQUIRES_ACTIVITY = (
        "chain.follow_up_requires_activity",
        "Keine Wiedervorlage ohne Aktivität: Eine Wiedervorlage muss aus einer Aktivität "
        "entstehen.",
        "No follow-up without an activity: a follow-up must result from an activity.",
    )
    ACTIVITY_REQUIRES_FOLLOW_UP = (
        "chain.activity_requires_follow_up",
        "Eine Aktivität braucht eine neue Wiedervorlage — oder einen finalen Status.",
        "An activity needs a new follow-up — or a final status.",
    )
    CANCEL_LEAVES_DEAD_RECORD = (
        "chain.cancel_leaves_dead_record",
        "Diese Wiedervorlage ist die letzte offene des Datensatzes „{record}“; ohne sie wäre "
        "der Kunde tot. Legen Sie zuerst eine neue Wiedervorlage an.",
        "This is the last open follow-up of record “{record}”; without it the customer would "
        "be dead. Create a new follow-up first.",
    )
    # --- always-on chain rules ---
    STATUS_NOT_ALLOWED = (
        "chain.status_not_allowed",
        "Der Status „{to}“ ist von „{current}“ aus nicht erlaubt (Kampagne „{campaign}“). "
        "Erlaubt: {allowed}.",
        "Status “{to}” is not allowed after “{current}” (campaign “{campaign}”). "
        "Allowed: {allowed}.",
    )
    FOLLOW_UP_NOT_OPEN = (
        "chain.follow_up_not_open",
        "Die Wiedervorlage #{id} ist nicht mehr offen.",
        "Follow-up #{id} is no longer open.",
    )
    FOLLOW_UP_OTHER_RECORD = (
        "chain.follow_up_other_record",
        "Die Wiedervorlage #{id} gehört zu einem anderen Datensatz.",
        "Follow-up #{id} belongs to another record.",
    )
    CAMPAIGN_INACTIVE = (
        "campaign.inactive",
        "Die Kampagne „{campaign}“ ist nicht aktiv.",
        "Campaign “{campaign}” is not active.",
    )
    STATUS_INACTIVE = (
        "campaign.status_inactive",
        "Der Status „{status}“ ist nicht aktiv.",
        "Status “{status}” is not active.",
    )
    STATUS_OTHER_CAMPAIGN = (
        "campaign.status_other_campaign",
        "Der Status #{status} gehört nicht zur Kampagne „{campaign}“.",
        "Status #{status} does not belong to campaign “{campaign}”.",
    )
    ALREADY_IN_CAMPAIGN = (
        "campaign.already_member",
        "Der Datensatz ist bereits in der Kampagne „{campaign}“.",
        "The record is already in campaign “{campaign}”.",
    )
    # --- rights ---
    NO_RIGHT = (
        "rights.missing",
        "Ihre Rechtegruppe „{group}“ erlaubt „{right}“ nicht für diesen Datensatz.",
        "Your role group “{group}” does not allow “{right}” for this record.",
    )
    NO_MODULE_RIGHT = (
        "rights.module_missing",
        "Ihre Rechtegruppe „{group}“ erlaubt „{right}“ nicht.",
        "Your role group “{group}” does not allow “{right}”.",
    )
    ADMIN_ONLY = (
        "rights.admin_only",
        "Nur Administratoren dürfen {action}.",
        "Only administrators may {action_en}.",
    )
    LAST_ADMIN = (
        "rights.last_admin",
        "Der letzte aktive Administrator kann weder gesperrt noch aus der Administratorgruppe "
        "genommen werden.",
        "The last active administrator can be neither deactivated nor taken out of the "
        "administrator group.",
    )
    OWN_ACCOUNT = (
        "rights.own_account",
        "Die eigene Rechtegruppe kann man nicht selbst ändern; das macht ein anderer "
        "Administrator.",
        "Nobody can change their own role group; another administrator does that.",
    )
    ADMIN_GROUP_UNRESTRICTED = (
        "rights.admin_group_unrestricted",
        "Die Administratorgruppe kann nicht eingeschränkt werden.",
        "The administrator group cannot be restricted.",
    )
    # --- lookups and input ---
    NOT_FOUND = (
        "input.not_found",
        "{what_de} #{id} gibt es nicht.",
        "{what_en} #{id} does not exist.",
    )
    UNKNOWN_USER = (
        "input.unknown_user",
        "Der Benutzer „{user}“ ist unbekannt oder nicht aktiv.",
        "User “{user}” is unknown or not active.",
    )
    REQUIRED = (
        "input.required",
        "„{field_de}“ darf nicht leer sein.",
        "“{field_en}” must not be empty.",
    )
    TOO_LONG = (
        "input.too_long",
        "„{field_de}“ ist zu lang ({length} Zeichen, höchstens {limit}).",
        "“{field_en}” is too long ({length} characters, at most {limit}).",
    )
    INVALID_VALUE = (
        "input.invalid",
        "Ungültiger Wert für „{field_de}“: {value}.",
        "Invalid value for “{field_en}”: {value}.",
    )
    DUPLICATE = (
        "input.duplicate",
        "„{value}“ gibt es bereits ({field_de}).",
        "“{value}” already exists ({field_en}).",
    )
    IN_USE = (
        "input.in_use",
        "„{name}“ wird noch verwendet ({count} {what_de}) und kann nicht gelöscht werden.",
        "“{name}” is still in use ({count} {what_en}) and cannot be deleted.",
    )
    LAST_ACTIVITY_TYPE = (
        "settings.last_activity_type",
        "Mindestens eine Aktivitätsart muss aktiv bleiben.",
        "At least one activity type must stay active.",
    )
    RECURRENCE_OFF = (
        "settings.recurrence_off",
        "Wiederkehrende Wiedervorlagen sind in den Systemeinstellungen ausgeschaltet.",
        "Recurring follow-ups are switched off in the system settings.",
    )
    DUE_BEFORE_ACTIVITY = (
        "input.due_before_activity",
        "Die Wiedervorlage ({due}) darf nicht vor der Aktivität ({activity}) fällig sein.",
        "The follow-up ({due}) must not be due before the activity ({activity}).",
    )
    ACTIVITY_IN_FUTURE = (
        "input.activity_in_future",
        "Eine Aktivität kann nicht in der Zukunft liegen ({when}).",
        "An activity cannot lie in the future ({when}).",
    )
    INVALID_RECURRENCE = (
        "input.invalid_recurrence",
        "Die Wiederholungsregel ist ungültig: {reason}",
        "The recurrence rule is invalid: {reason}",
    )
    STALE = (
        "concurrency.stale",
        "{what_de} #{id} wurde inzwischen von jemand anderem geändert. Bitte neu laden.",
        "{what_en} #{id} was changed by someone else meanwhile. Please reload.",
    )
    # --- the database (storage/postgres.py) ---
    DB_TIMEOUT = (
        "storage.timeout",
        "Die Datenbank hat {what_de} nach {limit} abgebrochen; nichts wurde gespeichert. "
        "Bitte erneut versuchen.",
        "The database cancelled {what_en} after {limit}; nothing was saved. Please try again.",
    )
    DB_NO_REPLY = (  # the connection was cut while waiting: a save in flight may have arrived
        "storage.no_reply",
        "Keine Antwort von der Datenbank ({where}) nach {seconds} s: Die Verbindung wurde "
        "getrennt. Bitte das Netzwerk prüfen, neu laden und erneut versuchen.",
        "No reply from the database ({where}) after {seconds} s: the connection was closed. "
        "Please check the network, reload and try again.",
    )
    # A chain trigger of the database refused a write (controller/chain_db.py):
    # a client that went around the controller's checks, or a controller bug.
    CHAIN_DB_REFUSED = (
        "storage.chain_refused",
        "Die Datenbank hat die Änderung abgelehnt: {reason_de} Nichts wurde gespeichert.",
        "The database refused the change: {reason_en} Nothing was saved.",
    )
    # Raised when the database still reported a deadlock or serialisation
    # failure after the controller's retries of the whole transaction.
    CONCURRENT_CONFLICT = (
        "concurrency.conflict",
        "Die Änderung ist {attempts}-mal mit gleichzeitigen Änderungen anderer zusammengetroffen "
        "und wurde nicht gespeichert. Bitte noch einmal versuchen.",
        "The change collided {attempts} times with simultaneous changes by others and was not "
        "saved. Please try again.",
    )

    @property
    def id(self) -> str:
        return self.value[0]


class DomainError(Exception):
    """A refused controller call. Nothing was written.

    ``rule`` names the violated rule, ``params`` fill its message templates.
    """

    def __init__(self, rule: Rule, **params: Any) -> None:
        self.rule = rule
        self.params = params
        super().__init__(self.message("en"))

    @property
    def rule_id(self) -> str:
        return self.rule.id

    def message(self, lang: str = "de") -> str:
        template = self.rule.value[1] if lang == "de" else self.rule.value[2]
        return template.format_map(_Lenient(self.params))

    @property
    def message_de(self) -> str:
        return self.message("de")

    @property
    def message_en(self) -> str:
        return self.message("en")

    def __repr__(self) -> str:
        return f"DomainError({self.rule.id!r}, {self.params!r})"


class _Lenient(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class AkquiseError(Exception):
    """An environment problem (bad URL, unreachable server, schema mismatch).

    Its message is one readable line for the user; the CLI prints it without a
    traceback.
    """
