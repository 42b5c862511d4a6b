"""The controller's shared base: the transaction frame, lookups and rights.

:class:`ControllerBase` holds what every operation of
:class:`~akquise_desktop.controller.controller.Controller` runs in and checks:

* the transaction frame (``_operation``, ``_run``, ``_attempts``,
  ``_integrity_error``): one public call = one write transaction = one
  :class:`ChangeSummary`, retried as a whole after a deadlock or a
  serialisation failure (:mod:`.concurrency`);
* lookups and rights (``_get``, ``_active_user``, ``_require``,
  ``_require_admin``, ``_require_settings``, ``_require_owner_in_scope``,
  ``_check_version``, ``_unique``);
* what the chain and the follow-ups both read or keep right on a record: its
  memberships (``_memberships``, ``_final_after``, the input of the chain
  policies) and its derived columns (``_refresh_derived``).

Also here: the operation's state (:class:`_Op`), the free-text limits
(:data:`LIMITS`, :func:`clean_text`) and the names used in refusals
(:data:`WHAT`, :data:`RIGHT_NAMES`, :func:`_field`, :func:`_zone`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Integer, Select, Table, Update, bindparam, case, func, or_, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, joinedload, object_session
from sqlalchemy.orm.exc import StaleDataError

from akquise_desktop import models as m
from akquise_desktop.core import announce
from akquise_desktop.core.changes import ChangeSummary, Entity
from akquise_desktop.core.clock import SYSTEM_CLOCK, Clock
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.models import FollowUpState, Module, Scope
from akquise_desktop.storage import Database

from . import concurrency
from .chain_db import chain_refusal
from .labels import FIELD_NAMES
from .unit_of_work import UnitOfWork

# Limits of free-text input (characters).
LIMITS = {
    "name": 200, "street": 200, "postal_code": 20, "city": 100, "country": 2, "phone": 50,
    "email": 254, "website": 254, "industry": 100, "notes": 20_000, "first_name": 100,
    "last_name": 100, "salutation": 30, "title": 50, "position": 100, "mobile": 50,
    "subject": m.SUBJECT_MAX, "text": m.TEXT_MAX, "instruction": m.INSTRUCTION_MAX,
    "login": 63, "display_name": 200, "description": 2_000, "reason": 500,
    "company_name": 200,
}  # fmt: skip
WHAT: dict[type, tuple[str, str]] = {
    m.Record: ("Datensatz", "Record"), m.Contact: ("Ansprechpartner", "Contact"),
    m.FollowUp: ("Wiedervorlage", "Follow-up"), m.Activity: ("Aktivität", "Activity"),
    m.Campaign: ("Kampagne", "Campaign"), m.CampaignStatus: ("Status", "Status"),
    m.ActivityType: ("Aktivitätsart", "Activity type"), m.User: ("Benutzer", "User"),
    m.Team: ("Team", "Team"), m.RoleGroup: ("Rechtegruppe", "Role group"),
}  # fmt: skip
RIGHT_NAMES = {
    Module.RECORDS: "Datensätze", Module.CONTACTS: "Ansprechpartner",
    Module.ACTIVITIES: "Aktivitäten/Wiedervorlagen",
    Module.CANCEL_FOLLOW_UPS: "Wiedervorlagen stornieren", Module.BULK_EDIT: "Massenbearbeitung",
    Module.IMPORT_EXPORT: "CSV-Import/Export", Module.STATISTICS: "Statistik",
    Module.CAMPAIGNS: "Kampagnen", Module.SETTINGS: "Einstellungen",
}  # fmt: skip


def _field(name: str) -> dict[str, str]:
    de, en = FIELD_NAMES.get(name, (name, name))
    return {"field_de": de, "field_en": en}


def clean_text(
    name: str, value: str | None, *, required: bool = False, column: Any = None
) -> str | None:
    """Strip, check length (that of ``column`` if given); None for an empty optional field."""
    text = (value or "").strip()
    if not text:
        if required:
            raise DomainError(Rule.REQUIRED, **_field(name))
        return None
    limit = column.type.length if column is not None else LIMITS.get(name)
    if limit is not None and len(text) > limit:
        raise DomainError(Rule.TOO_LONG, length=len(text), limit=limit, **_field(name))
    return text


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DomainError(Rule.INVALID_VALUE, value=name, **_field("time_zone")) from None


_ACTOR_WITH_RIGHTS = (joinedload(m.User.role_group).joinedload(m.RoleGroup.rights),)

# A membership with its campaign and current status.
_Membership = tuple[m.CampaignMembership, m.Campaign, m.CampaignStatus]


_NOTIFY = text("SELECT pg_notify(:channel, :payload)")

# Statements of the frequent calls, built once (building one costs about as much
# as running it).


@cache
def _memberships_statement() -> Select:
    cm = m.CampaignMembership
    return (
        select(cm, m.Campaign, m.CampaignStatus)
        .join(m.Campaign, m.Campaign.id == cm.campaign_id)
        .join(m.CampaignStatus, m.CampaignStatus.id == cm.status_id)
        .where(cm.record_id == bindparam("record_id", type_=Integer))
    )


@cache
def _refresh_derived_statement(with_activity: bool) -> Update:
    """Set ``:record_id``'s next follow-up date from its open follow-ups and, with
    an activity, its last activity time to ``:activity_at`` if that is later."""
    table = cast(Table, m.Record.__table__)
    fu = m.FollowUp.__table__
    values: dict[str, Any] = {
        "next_follow_up_date": select(func.min(fu.c.due_date))
        .where(fu.c.record_id == table.c.id, fu.c.state == FollowUpState.OPEN.value)
        .scalar_subquery()
    }
    if with_activity:
        last = table.c.last_activity_at
        at = bindparam("activity_at", type_=m.UTCDateTime())
        values["last_activity_at"] = case((or_(last.is_(None), last < at), at), else_=last)
    record_id = bindparam("record_id", type_=Integer)
    return table.update().where(table.c.id == record_id).values(values)


@dataclass
class _Op:
    session: Session
    actor: m.User
    uow: UnitOfWork
    now: datetime
    # Set by a keyed save found already written: the first save's summary.
    replayed: ChangeSummary | None = None


class ControllerBase:
    """The frame every operation runs in, lookups and rights checks; the
    domain parts (:mod:`.records`, :mod:`.chain`, :mod:`.follow_ups`,
    :mod:`.campaigns`, :mod:`.admin`) build on it."""

    max_attempts = concurrency.MAX_ATTEMPTS

    def __init__(self, db: Database, user_id: int, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.db = db
        self.user_id = user_id
        self.clock = clock
        # Transactions run again, by reason ("deadlock", "serialization",
        # "stale_data", "disconnect"): for tests and the contention benchmark.
        self.retries: Counter[str] = Counter()

    # --- transaction frame ---------------------------------------------------

    @contextmanager
    def _operation(self, name: str) -> Iterator[_Op]:
        with self.db.write() as session:
            # The role group and its rights decide every call: one statement.
            actor = session.get(m.User, self.user_id, options=_ACTOR_WITH_RIGHTS)
            if actor is None or not actor.active:
                raise DomainError(Rule.UNKNOWN_USER, user=self.user_id)
            now = self.clock.now()
            uow = UnitOfWork(session, name, actor.id, now)
            try:
                yield _Op(session, actor, uow, now)
            except BaseException:
                uow.abandon()
                raise

    def _run(
        self, name: str, body: Callable[[_Op], int | None], *, replayable: bool = False
    ) -> ChangeSummary:
        """Run ``body`` in one write transaction; the whole transaction again
        after a deadlock or serialisation failure (and, if ``replayable``, a lost
        connection), at most :attr:`max_attempts` times. ``body`` must not keep
        state of a failed attempt."""

        def once() -> ChangeSummary:
            with self._operation(name) as op:
                result_id = body(op)
                summary = op.uow.finish(result_id)
                self._announce(op, summary)
            return op.replayed or summary

        return self._attempts(once, replayable=replayable)

    def _announce(self, op: _Op, summary: ChangeSummary) -> None:
        """Tell the other clients what this transaction changed (PostgreSQL:
        ``pg_notify`` in the transaction, delivered only if it commits; ids
        only, :mod:`akquise_desktop.core.announce`). SQLite: nobody to tell."""
        if self.db.is_sqlite or summary.empty:
            return
        op.session.connection().execute(
            _NOTIFY,
            {"channel": announce.CHANNEL, "payload": announce.encode(summary, self.db.client_id)},
        )

    def _attempts(self, once: Callable[[], Any], *, replayable: bool = False) -> Any:
        attempt = 0
        reconnected = False
        while True:
            attempt += 1
            try:
                return once()
            except IntegrityError as exc:
                raise self._integrity_error(exc) from None
            except (DBAPIError, StaleDataError, DomainError) as exc:
                reason = concurrency.retry_reason(exc, replayable=replayable)
                if reason is None:
                    raise
                if reason == "disconnect":
                    # Once: the key makes it safe, a dead server makes it slow.
                    if reconnected or attempt >= self.max_attempts:
                        raise
                    reconnected = True
                self.retries[reason] += 1
                if attempt >= self.max_attempts:
                    raise DomainError(Rule.CONCURRENT_CONFLICT, attempts=attempt) from exc
            concurrency.pause(attempt)

    @staticmethod
    def _integrity_error(exc: IntegrityError) -> DomainError:
        refused = chain_refusal(exc)  # a chain trigger of the database (PostgreSQL)
        if refused is not None:
            return refused
        text = str(exc.orig)
        if "unique" in text.lower() or "duplicate" in text.lower():
            return DomainError(
                Rule.DUPLICATE, value="?", field_de="eindeutiger Wert", field_en="unique value"
            )
        return DomainError(
            Rule.INVALID_VALUE,
            value=text.splitlines()[0],
            field_de="Datenbank",
            field_en="database",
        )

    # --- lookups and rights ----------------------------------------------------

    @staticmethod
    def _get(session: Session, cls: type, ident: int | None, *, lock: bool = False) -> Any:
        """``cls`` #``ident`` or NOT_FOUND; with ``lock`` locked (``FOR NO KEY
        UPDATE`` on PostgreSQL) and read afresh. Lock in the lock order: a
        record before its follow-ups (:mod:`.concurrency`)."""
        obj = None
        if ident is not None:
            if lock:
                obj = session.get(
                    cls, ident, with_for_update={"key_share": True}, populate_existing=True
                )
            else:
                obj = session.get(cls, ident)
        if obj is None:
            de, en = WHAT[cls]
            raise DomainError(Rule.NOT_FOUND, what_de=de, what_en=en, id=ident)
        return obj

    @staticmethod
    def _active_user(session: Session, user_id: int) -> m.User:
        user = session.get(m.User, user_id)
        if user is None or not user.active:
            raise DomainError(Rule.UNKNOWN_USER, user=user_id)
        return user

    def _require(self, op: _Op, module: Module, record: m.Record | None = None) -> None:
        """Refuse unless the actor's role group grants ``module`` on ``record``."""
        group = op.actor.role_group
        scope = group.scope(module)
        if scope is Scope.NONE:
            allowed = False
        elif record is None or scope is Scope.ALL:
            allowed = True
        elif scope is Scope.OWN:
            allowed = record.owner_id == op.actor.id
        else:  # TEAM
            allowed = record.owner_id == op.actor.id or (
                op.actor.team_id is not None
                and record.owner_id is not None
                and op.session.scalar(select(m.User.team_id).where(m.User.id == record.owner_id))
                == op.actor.team_id
            )
        if not allowed:
            raise DomainError(Rule.NO_RIGHT, group=group.name, right=RIGHT_NAMES[module])

    @staticmethod
    def _require_admin(op: _Op, action_de: str, action_en: str) -> None:
        if not op.actor.role_group.is_admin:
            raise DomainError(Rule.ADMIN_ONLY, action=action_de, action_en=action_en)

    def _require_settings(self, op: _Op) -> None:
        if op.actor.role_group.scope(Module.SETTINGS) is not Scope.ALL:
            raise DomainError(
                Rule.NO_RIGHT, group=op.actor.role_group.name, right=RIGHT_NAMES[Module.SETTINGS]
            )

    def _require_owner_in_scope(self, op: _Op, owner_id: int) -> None:
        """A record may be given only to an owner inside the actor's records scope."""
        self._active_user(op.session, owner_id)
        probe = m.Record(owner_id=owner_id)
        self._require(op, Module.RECORDS, probe)

    @staticmethod
    def _check_version(obj: Any, expected: int, op: _Op | None = None) -> None:
        """Refuse (``concurrency.stale``, with the current values and the last
        change) unless ``obj`` still has the version the user saw. ``obj``
        must be locked in this transaction."""
        if obj.version != expected:
            session = object_session(obj)
            assert session is not None
            zone = op.actor.time_zone if op is not None else "Europe/Berlin"
            raise concurrency.stale_error(
                session, obj.__tablename__, obj.id, expected_version=expected, zone=zone
            )

    @staticmethod
    def _unique(s: Session, column: Any, value: Any) -> None:
        if s.scalar(select(func.count()).where(column == value)):
            raise DomainError(Rule.DUPLICATE, value=value, field_de="Name", field_en="name")

    # --- the record's memberships and derived columns (chain and follow-ups) ----

    @staticmethod
    def _memberships(s: Session, record_id: int) -> list[_Membership]:
        """The record's memberships, each with its campaign and current status."""
        found = s.execute(_memberships_statement(), {"record_id": record_id})
        return [(ms, campaign, status) for ms, campaign, status in found]

    @staticmethod
    def _final_after(
        s: Session,
        record: m.Record,
        changes: list[tuple[m.CampaignMembership | None, m.Campaign, m.CampaignStatus]],
        memberships: list[_Membership] | None = None,
    ) -> Iterator[bool]:
        """For each membership in an active campaign after ``changes``: is its status
        final? Reads the memberships (unless given) only when iterated: the policy
        asks only when no next follow-up is set."""
        if memberships is None:
            memberships = ControllerBase._memberships(s, record.id)
        status_after = {c.id: st for _ms, c, st in memberships if c.active}
        for _membership, campaign, status in changes:
            status_after[campaign.id] = status
        yield from (st.is_final for st in status_after.values())

    @staticmethod
    def _refresh_derived(op: _Op, record_id: int, *, activity_at: datetime | None = None) -> None:
        """Keep the record's derived columns (next follow-up date, last activity)
        right, in one UPDATE that does not bump the record's version: a
        colleague's activity is no edit conflict for someone editing master data."""
        op.session.flush()
        op.session.connection().execute(
            _refresh_derived_statement(activity_at is not None),
            {"record_id": record_id, "activity_at": activity_at},
        )
        op.uow.note_updated(Entity.RECORD, record_id)
