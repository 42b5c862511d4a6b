"""The controller: the only code that changes data.

One public call = one write transaction = one :class:`ChangeSummary`. Every
call checks the acting user's role group (rights per module and scope, chain
policies) before it writes; a refusal raises :class:`DomainError` and the
transaction is rolled back, so nothing is written.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Integer, Select, Update, bindparam, case, func, or_, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, joinedload, object_session
from sqlalchemy.orm.exc import StaleDataError

from akquise_desktop import models as m
from akquise_desktop.core import holidays_calendar, policies, recurrence
from akquise_desktop.core.changes import ChangeSummary, Entity
from akquise_desktop.core.clock import SYSTEM_CLOCK, Clock
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.models import FollowUpState, Module, Scope
from akquise_desktop.storage import Database

from . import concurrency
from .commands import (
    UNSET,
    ContactData,
    LogActivity,
    NextFollowUp,
    RecordData,
    RoleGroupData,
    StatusSpec,
    _Unset,
)
from .labels import FIELD_NAMES
from .unit_of_work import UnitOfWork

# Limits of free-text input (characters).
LIMITS = {
    "name": 200, "street": 200, "postal_code": 20, "city": 100, "country": 2, "phone": 50,
    "email": 254, "website": 254, "industry": 100, "notes": 20_000, "first_name": 100,
    "last_name": 100, "salutation": 30, "title": 50, "position": 100, "mobile": 50,
    "subject": m.SUBJECT_MAX, "text": m.TEXT_MAX, "instruction": m.INSTRUCTION_MAX,
    "login": 63, "display_name": 200, "description": 2_000, "reason": 500,
}  # fmt: skip
WHAT = {
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
    Module.SETTINGS: "Einstellungen",
}  # fmt: skip
FUTURE_TOLERANCE = timedelta(minutes=5)
MAX_DURATION_MINUTES = 24 * 60


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


# Statements of the frequent calls, built once (building one costs about as much
# as running it).


@cache
def _activity_type_statement(given: bool) -> Select:
    """The active activity type ``:type_id``, or the first active one."""
    at = m.ActivityType
    query = select(at.id).where(at.active)
    if given:
        query = query.where(at.id == bindparam("type_id", type_=Integer))
    return query.order_by(at.position, at.id).limit(1)


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
def _transition_statement() -> Select:
    """Whether ``:to_id`` is an allowed next status of ``:from_id``."""
    tr = m.StatusTransition
    return select(tr.to_status_id).where(
        tr.from_status_id == bindparam("from_id", type_=Integer),
        tr.to_status_id == bindparam("to_id", type_=Integer),
    )


@cache
def _refresh_derived_statement(with_activity: bool) -> Update:
    """Set ``:record_id``'s next follow-up date from its open follow-ups and, with
    an activity, its last activity time to ``:activity_at`` if that is later."""
    table = m.Record.__table__
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


class Controller:
    """All data changes, on behalf of one user.

    Concurrent writers: see :mod:`.concurrency` (one lock order, record first;
    whole-transaction retries of deadlocks and serialisation failures, counted
    in :attr:`retries`; version conflicts as ``concurrency.stale`` with the
    current values)."""

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
            return op.replayed or summary

        return self._attempts(once, replayable=replayable)

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

    # --- records and contacts ----------------------------------------------------

    def create_record(self, data: RecordData) -> ChangeSummary:
        def body(op: _Op) -> int:
            owner_id = data.owner_id or op.actor.id
            self._require_owner_in_scope(op, owner_id)
            record = m.Record(owner_id=owner_id, created_at=op.now, updated_at=op.now)
            self._apply_record_data(record, data)
            op.session.add(record)
            op.session.flush()
            return record.id

        return self._run("create_record", body)

    def update_record(
        self, record_id: int, data: RecordData, *, expected_version: int
    ) -> ChangeSummary:
        def body(op: _Op) -> int:
            record = self._get(op.session, m.Record, record_id, lock=True)
            self._require(op, Module.RECORDS, record)
            self._check_version(record, expected_version, op)
            owner_id = data.owner_id or record.owner_id
            if owner_id != record.owner_id and owner_id is not None:
                self._require_owner_in_scope(op, owner_id)
            self._apply_record_data(record, data)
            record.owner_id = owner_id
            record.updated_at = op.now
            return record.id

        return self._run("update_record", body)

    @staticmethod
    def _apply_record_data(record: m.Record, data: RecordData) -> None:
        kind = m.RecordKind(data.kind) if data.kind in {k.value for k in m.RecordKind} else None
        if kind is None:
            raise DomainError(Rule.INVALID_VALUE, value=data.kind, **_field("kind"))
        record.kind = kind.value
        record.name = clean_text("name", data.name, required=True)  # type: ignore[assignment]
        for f in fields(RecordData):
            if f.name in {"name", "kind", "owner_id"}:
                continue
            setattr(record, f.name, clean_text(f.name, getattr(data, f.name)))
        if record.country:
            record.country = record.country.upper()

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

    def add_contact(self, record_id: int, data: ContactData) -> ChangeSummary:
        def body(op: _Op) -> int:
            record = self._get(op.session, m.Record, record_id, lock=True)
            self._require(op, Module.CONTACTS, record)
            contact = m.Contact(record_id=record.id, created_at=op.now, updated_at=op.now)
            self._apply_contact_data(contact, data)
            op.session.add(contact)
            op.session.flush()
            return contact.id

        return self._run("add_contact", body)

    def update_contact(
        self, contact_id: int, data: ContactData, *, expected_version: int
    ) -> ChangeSummary:
        def body(op: _Op) -> int:
            concurrency.lock_record_of(op.session, m.Contact.__table__, contact_id)
            contact = self._get(op.session, m.Contact, contact_id, lock=True)
            self._require(op, Module.CONTACTS, contact.record)
            self._check_version(contact, expected_version, op)
            self._apply_contact_data(contact, data)
            contact.updated_at = op.now
            return contact.id

        return self._run("update_contact", body)

    @staticmethod
    def _apply_contact_data(contact: m.Contact, data: ContactData) -> None:
        for f in fields(ContactData):
            value = clean_text(f.name, getattr(data, f.name), required=f.name == "last_name")
            setattr(contact, f.name, value)

    # --- the chain: activities, status changes, follow-ups ------------------------

    def log_activity(self, cmd: LogActivity) -> ChangeSummary:
        """The activity mask's save: activity, completed follow-ups, status
        changes and the next follow-up, in one transaction.

        With ``cmd.client_key`` the save is idempotent: when an activity with
        that key exists (the first save committed, its answer was lost), the
        first save's summary is returned and nothing is written; a lost
        connection is then retried by the controller itself."""
        if cmd.client_key is not None:
            cmd = _with_clean_key(cmd)
        return self._run(
            "log_activity",
            lambda op: self._log_activity(op, cmd),
            replayable=cmd.client_key is not None,
        )

    def activity_saved(self, client_key: str | uuid.UUID) -> int | None:
        """The id of the activity saved with ``client_key``, or None: the
        dialog's "did it save?" after a connection error."""
        key = _normalize_key(client_key)
        if key is None:
            return None
        with self.db.read() as s:
            return s.scalar(select(m.Activity.id).where(m.Activity.client_key == key))

    def assign_to_campaign(
        self,
        record_id: int,
        campaign_id: int,
        status_id: int | None = None,
        *,
        subject: str | None = None,
        text: str = "",
        occurred_at: datetime | None = None,
        next_follow_up: NextFollowUp | None = None,
    ) -> ChangeSummary:
        """Put a record into a campaign. The first status is a status change
        too, so it is carried by an activity (rule 5)."""

        def body(op: _Op) -> int:
            self._get(op.session, m.Record, record_id, lock=True)  # the lock order's first
            campaign = self._get(op.session, m.Campaign, campaign_id)
            already = op.session.scalar(
                select(m.CampaignMembership.id).where(
                    m.CampaignMembership.record_id == record_id,
                    m.CampaignMembership.campaign_id == campaign.id,
                )
            )
            if already is not None:
                raise DomainError(Rule.ALREADY_IN_CAMPAIGN, campaign=campaign.name)
            target = status_id
            if target is None:
                target = op.session.scalar(
                    select(m.CampaignStatus.id)
                    .where(m.CampaignStatus.campaign_id == campaign.id, m.CampaignStatus.is_active)
                    .order_by(m.CampaignStatus.is_start.desc(), m.CampaignStatus.position)
                    .limit(1)
                )
                if target is None:
                    raise DomainError(
                        Rule.NOT_FOUND, what_de="Startstatus", what_en="Start status", id="?"
                    )
            cmd = LogActivity(
                record_id=record_id,
                subject=subject or f"Kampagne „{campaign.name}“ zugeordnet",
                text=text,
                type_id=self._campaign_activity_type(op),
                occurred_at=occurred_at,
                status_changes={campaign.id: target},
                next_follow_up=next_follow_up,
            )
            return self._log_activity(op, cmd)

        return self._run("assign_to_campaign", body)

    @staticmethod
    def _campaign_activity_type(op: _Op) -> int | None:
        return op.session.scalar(select(m.ActivityType.id).where(m.ActivityType.name == "Kampagne"))

    def _log_activity(self, op: _Op, cmd: LogActivity) -> int:
        s = op.session
        record = self._get(s, m.Record, cmd.record_id, lock=True)
        if cmd.client_key is not None:
            # Under the record's lock: a second save with this key waits for
            # the first and then finds it.
            first = self._saved_with_key(op, cmd)
            if first is not None:
                return first
        self._require(op, Module.ACTIVITIES, record)
        subject = clean_text("subject", cmd.subject, required=True)
        text = clean_text("text", cmd.text) or ""
        occurred_at = self._check_occurred_at(op, cmd.occurred_at)
        if cmd.duration_minutes is not None and not (
            0 <= cmd.duration_minutes <= MAX_DURATION_MINUTES
        ):
            raise DomainError(
                Rule.INVALID_VALUE, value=cmd.duration_minutes, **_field("duration_minutes")
            )
        type_id = self._activity_type(s, cmd.type_id)
        if cmd.contact_id is not None:
            contact = self._get(s, m.Contact, cmd.contact_id)
            if contact.record_id != record.id:
                raise DomainError(
                    Rule.NOT_FOUND,
                    what_de="Ansprechpartner",
                    what_en="Contact",
                    id=cmd.contact_id,
                )

        completing = self._open_follow_ups_to_complete(op, record, cmd.completes)
        memberships = self._memberships(s, record.id) if cmd.status_changes else None
        changes = self._planned_status_changes(s, record, cmd.status_changes, memberships or [])
        local_day = occurred_at.astimezone(_zone(op.actor.time_zone)).date()
        if cmd.next_follow_up is not None:
            self._check_next_follow_up(s, cmd.next_follow_up, local_day)

        # Recurring follow-ups re-create themselves when completed.
        recurring_next = [
            (fu, nxt) for fu in completing if (nxt := self._next_occurrence(fu, local_day))
        ]
        if policies.activity_needs_follow_up(
            policy_on=op.actor.role_group.activity_requires_follow_up,
            final_after=self._final_after(s, record, changes, memberships),
            next_follow_up_given=cmd.next_follow_up is not None,
            series_continues=bool(recurring_next),
        ):
            raise DomainError(Rule.ACTIVITY_REQUIRES_FOLLOW_UP)

        activity = m.Activity(
            record_id=record.id,
            contact_id=cmd.contact_id,
            user_id=op.actor.id,
            type_id=type_id,
            occurred_at=occurred_at,
            duration_minutes=cmd.duration_minutes,
            subject=subject,
            text=text,
            created_at=op.now,
            client_key=cmd.client_key,
        )
        s.add(activity)
        s.flush()
        for membership, campaign, status in changes:
            s.add(
                m.StatusChange(
                    activity_id=activity.id,
                    record_id=record.id,
                    campaign_id=campaign.id,
                    from_status_id=membership.status_id if membership else None,
                    to_status_id=status.id,
                )
            )
            if membership is None:
                s.add(
                    m.CampaignMembership(
                        record_id=record.id,
                        campaign_id=campaign.id,
                        status_id=status.id,
                        since=occurred_at,
                    )
                )
            else:
                membership.status_id = status.id
                membership.since = occurred_at
        for fu in completing:
            fu.state = FollowUpState.DONE
            fu.completed_by_activity_id = activity.id
            fu.completed_at = op.now
            fu.updated_at = op.now
        for fu, due in recurring_next:
            s.add(
                m.FollowUp(
                    record_id=record.id,
                    assignee_id=fu.assignee_id,
                    created_by_id=op.actor.id,
                    due_date=due,
                    due_time=fu.due_time,
                    time_zone=fu.time_zone,
                    priority=fu.priority,
                    instruction=fu.instruction,
                    source_activity_id=activity.id,
                    recurrence=fu.recurrence,
                    recurrence_anchor=fu.recurrence_anchor,
                    recurrence_shift=fu.recurrence_shift,
                    series_start_date=fu.series_start_date,
                    occurrence=fu.occurrence + 1,
                    previous_id=fu.id,
                    created_at=op.now,
                    updated_at=op.now,
                )
            )
        if cmd.next_follow_up is not None:
            s.add(self._new_follow_up(op, record, cmd.next_follow_up, activity.id))
        self._refresh_derived(op, record.id, activity_at=occurred_at)
        return activity.id

    def _check_occurred_at(self, op: _Op, occurred_at: datetime | None) -> datetime:
        if occurred_at is None:
            return op.now
        if occurred_at.tzinfo is None or occurred_at.utcoffset() is None:
            raise DomainError(
                Rule.INVALID_VALUE, value="ohne Zeitzone / no time zone", **_field("occurred_at")
            )
        if occurred_at > op.now + FUTURE_TOLERANCE:
            raise DomainError(Rule.ACTIVITY_IN_FUTURE, when=occurred_at.isoformat())
        return occurred_at

    @staticmethod
    def _activity_type(s: Session, type_id: int | None) -> int:
        query = _activity_type_statement(type_id is not None)
        found = s.connection().execute(query, {"type_id": type_id}).scalar()
        if found is None:
            raise DomainError(
                Rule.NOT_FOUND,
                what_de="Aktivitätsart",
                what_en="Activity type",
                id=type_id if type_id is not None else "?",
            )
        return found

    @staticmethod
    def _open_follow_ups_to_complete(
        op: _Op, record: m.Record, completes: Iterable[int] | Mapping[int, int]
    ) -> list[m.FollowUp]:
        """The follow-ups to complete, locked in id order (the record is locked
        already). ``completes`` maps each to the version the user saw (checked),
        or just lists them (not checked)."""
        s = op.session
        seen: Mapping[int, int] = completes if isinstance(completes, Mapping) else {}
        wanted = list(dict.fromkeys(int(i) for i in completes))
        if not wanted:
            return []
        fu = m.FollowUp
        found = {
            f.id: f
            for f in s.scalars(
                select(fu)
                .where(fu.id.in_(wanted), fu.record_id == record.id)
                .order_by(fu.id)
                .with_for_update(key_share=True)
                .execution_options(populate_existing=True)
            )
        }
        result = []
        for fu_id in wanted:
            f = found.get(fu_id)
            if f is None:
                elsewhere = s.scalar(select(fu.record_id).where(fu.id == fu_id))
                if elsewhere is not None:
                    raise DomainError(Rule.FOLLOW_UP_OTHER_RECORD, id=fu_id)
                raise DomainError(
                    Rule.NOT_FOUND, what_de="Wiedervorlage", what_en="Follow-up", id=fu_id
                )
            if fu_id in seen:
                Controller._check_version(f, seen[fu_id], op)
            if f.state != FollowUpState.OPEN:
                raise DomainError(Rule.FOLLOW_UP_NOT_OPEN, id=fu_id)
            result.append(f)
        return result

    def _saved_with_key(self, op: _Op, cmd: LogActivity) -> int | None:
        """The activity an earlier save with ``cmd.client_key`` wrote, its
        summary kept in ``op.replayed``; None if there is none."""
        s = op.session
        act = m.Activity
        found = s.execute(
            select(act.id, act.record_id, act.user_id).where(act.client_key == cmd.client_key)
        ).first()
        if found is None:
            return None
        activity_id, record_id, user_id = found
        if record_id != cmd.record_id or user_id != op.actor.id:
            raise DomainError(
                Rule.DUPLICATE,
                value=cmd.client_key,
                field_de="Schlüssel der Speicherung",
                field_en="save key",
            )
        op.replayed = _logged_summary(s, activity_id, record_id)
        return activity_id

    @staticmethod
    def _memberships(s: Session, record_id: int) -> list[_Membership]:
        """The record's memberships, each with its campaign and current status."""
        found = s.execute(_memberships_statement(), {"record_id": record_id})
        return [(ms, campaign, status) for ms, campaign, status in found]

    @staticmethod
    def _planned_status_changes(
        s: Session, record: m.Record, wanted: dict[int, int] | Any, memberships: list[_Membership]
    ) -> list[tuple[m.CampaignMembership | None, m.Campaign, m.CampaignStatus]]:
        """Check each wanted status change against the record's ``memberships``;
        returns (membership or None, campaign, status)."""
        current = {ms.campaign_id: (ms, st) for ms, _campaign, st in memberships}
        planned = []
        for campaign_id, status_id in wanted.items():
            campaign = Controller._get(s, m.Campaign, campaign_id)
            if not campaign.active:
                raise DomainError(Rule.CAMPAIGN_INACTIVE, campaign=campaign.name)
            status = Controller._get(s, m.CampaignStatus, status_id)
            if status.campaign_id != campaign.id:
                raise DomainError(
                    Rule.STATUS_OTHER_CAMPAIGN, status=status_id, campaign=campaign.name
                )
            if not status.is_active:
                raise DomainError(Rule.STATUS_INACTIVE, status=status.name)
            membership, now = current.get(campaign.id, (None, None))
            if membership is not None and now is not None:
                if membership.status_id == status.id:
                    continue  # no change
                allowed = (
                    s.connection()
                    .execute(_transition_statement(), {"from_id": now.id, "to_id": status.id})
                    .first()
                )
                if allowed is None:
                    raise DomainError(
                        Rule.STATUS_NOT_ALLOWED,
                        to=status.name,
                        current=now.name,
                        campaign=campaign.name,
                        allowed=", ".join(a.name for a in now.next_statuses) or "—",
                    )
            planned.append((membership, campaign, status))
        return planned

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
            memberships = Controller._memberships(s, record.id)
        status_after = {c.id: st for _ms, c, st in memberships if c.active}
        for _membership, campaign, status in changes:
            status_after[campaign.id] = status
        yield from (st.is_final for st in status_after.values())

    def _check_next_follow_up(self, s: Session, nf: NextFollowUp, not_before: date) -> None:
        if nf.due_date < not_before:
            raise DomainError(
                Rule.DUE_BEFORE_ACTIVITY,
                due=nf.due_date.isoformat(),
                activity=not_before.isoformat(),
            )
        assignee = self._active_user(s, nf.assignee_id or self.user_id)
        if nf.priority not in {p.value for p in m.Priority}:
            raise DomainError(Rule.INVALID_VALUE, value=nf.priority, **_field("priority"))
        clean_text("instruction", nf.instruction)
        if nf.recurrence:
            recurrence.validate(nf.recurrence, nf.due_date, nf.due_time, zone=assignee.time_zone)
            if nf.recurrence_shift:
                holidays_calendar.normalize_region(nf.recurrence_shift)

    def _new_follow_up(
        self, op: _Op, record: m.Record, nf: NextFollowUp, source_activity_id: int | None
    ) -> m.FollowUp:
        # Checked by _check_next_follow_up before.
        assignee = self._active_user(op.session, nf.assignee_id or op.actor.id)
        rule = recurrence.normalize(nf.recurrence) if nf.recurrence else None
        return m.FollowUp(
            record_id=record.id,
            assignee_id=assignee.id,
            created_by_id=op.actor.id,
            due_date=nf.due_date,
            due_time=nf.due_time,
            time_zone=assignee.time_zone,
            priority=int(nf.priority),
            instruction=clean_text("instruction", nf.instruction) or "",
            source_activity_id=source_activity_id,
            recurrence=rule,
            recurrence_anchor=m.RecurrenceAnchor(nf.recurrence_anchor).value,
            recurrence_shift=(
                holidays_calendar.normalize_region(nf.recurrence_shift)
                if rule and nf.recurrence_shift
                else None
            ),
            series_start_date=nf.due_date if rule else None,
            occurrence=1,
            created_at=op.now,
            updated_at=op.now,
        )

    @staticmethod
    def _next_occurrence(fu: m.FollowUp, completed_on: date) -> date | None:
        if not fu.recurrence:
            return None
        from_completion = fu.recurrence_anchor == m.RecurrenceAnchor.COMPLETION
        return recurrence.next_occurrence(
            fu.recurrence,
            series_start=fu.series_start_date or fu.due_date,
            due=fu.due_date,
            at=fu.due_time,
            occurrence=fu.occurrence,
            from_completion=completed_on if from_completion else None,
            shift=fu.recurrence_shift,
            zone=fu.time_zone,
        )

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

    def create_follow_up(
        self, record_id: int, follow_up: NextFollowUp, *, source_activity_id: int | None = None
    ) -> ChangeSummary:
        """A follow-up on its own: from an existing activity (rule 3), or, where
        the role group allows it, without one."""

        def body(op: _Op) -> int:
            s = op.session
            record = self._get(s, m.Record, record_id, lock=True)
            self._require(op, Module.ACTIVITIES, record)
            if source_activity_id is None:
                if policies.follow_up_needs_activity(
                    policy_on=op.actor.role_group.follow_up_requires_activity,
                    source_activity_given=False,
                ):
                    raise DomainError(Rule.FOLLOW_UP_REQUIRES_ACTIVITY)
                not_before = op.now.astimezone(_zone(op.actor.time_zone)).date()
            else:
                source = self._get(s, m.Activity, source_activity_id)
                if source.record_id != record.id:
                    raise DomainError(
                        Rule.NOT_FOUND,
                        what_de="Aktivität",
                        what_en="Activity",
                        id=source_activity_id,
                    )
                not_before = source.occurred_at.astimezone(_zone(op.actor.time_zone)).date()
            self._check_next_follow_up(s, follow_up, not_before)
            fu = self._new_follow_up(op, record, follow_up, source_activity_id)
            s.add(fu)
            s.flush()
            self._refresh_derived(op, record.id)
            return fu.id

        return self._run("create_follow_up", body)

    def update_follow_up(
        self,
        follow_up_id: int,
        *,
        expected_version: int,
        due_date: date | _Unset = UNSET,
        due_time: time | _Unset | None = UNSET,
        assignee_id: int | _Unset = UNSET,
        priority: m.Priority | _Unset = UNSET,
        instruction: str | _Unset = UNSET,
    ) -> ChangeSummary:
        """Reschedule, reassign, re-prioritise an open follow-up."""

        def body(op: _Op) -> int:
            s = op.session
            concurrency.lock_record_of(s, m.FollowUp.__table__, follow_up_id)
            fu = self._get(s, m.FollowUp, follow_up_id, lock=True)
            self._require(op, Module.ACTIVITIES, fu.record)
            self._check_version(fu, expected_version, op)
            if fu.state != FollowUpState.OPEN:
                raise DomainError(Rule.FOLLOW_UP_NOT_OPEN, id=fu.id)
            # Check everything first, then assign: a look-up in between would
            # flush half of the change (and bump the version twice).
            changes: dict[str, Any] = {}
            if not isinstance(due_date, _Unset):
                if fu.source_activity is not None:
                    not_before = fu.source_activity.occurred_at.astimezone(
                        _zone(op.actor.time_zone)
                    ).date()
                    if due_date < not_before:
                        raise DomainError(
                            Rule.DUE_BEFORE_ACTIVITY,
                            due=due_date.isoformat(),
                            activity=not_before.isoformat(),
                        )
                changes["due_date"] = due_date
                if fu.recurrence and fu.occurrence == 1:
                    changes["series_start_date"] = due_date
            if not isinstance(due_time, _Unset):
                changes["due_time"] = due_time
            if not isinstance(assignee_id, _Unset):
                assignee = self._active_user(s, assignee_id)
                changes["assignee_id"] = assignee.id
                # Due date and time are the new assignee's local ones.
                changes["time_zone"] = assignee.time_zone
            if not isinstance(priority, _Unset):
                if priority not in {p.value for p in m.Priority}:
                    raise DomainError(Rule.INVALID_VALUE, value=priority, **_field("priority"))
                changes["priority"] = int(priority)
            if not isinstance(instruction, _Unset):
                changes["instruction"] = clean_text("instruction", instruction) or ""
            for key, value in changes.items():
                setattr(fu, key, value)
            fu.updated_at = op.now
            s.flush()
            self._refresh_derived(op, fu.record_id)
            return fu.id

        return self._run("update_follow_up", body)

    def cancel_follow_up(
        self, follow_up_id: int, *, expected_version: int, reason: str = ""
    ) -> ChangeSummary:
        """Cancel an open follow-up (right needed); ends a recurring series."""

        def body(op: _Op) -> int:
            s = op.session
            # The lock order: the record first, then its follow-up.
            record_id = s.scalar(select(m.FollowUp.record_id).where(m.FollowUp.id == follow_up_id))
            record = self._get(s, m.Record, record_id, lock=True) if record_id else None
            fu = self._get(s, m.FollowUp, follow_up_id, lock=True)
            assert record is not None
            self._require(op, Module.CANCEL_FOLLOW_UPS, record)
            self._check_version(fu, expected_version, op)
            if fu.state != FollowUpState.OPEN:
                raise DomainError(Rule.FOLLOW_UP_NOT_OPEN, id=fu.id)
            op.uow.annotate(fu, reason=clean_text("reason", reason))
            if op.actor.role_group.activity_requires_follow_up:
                others = s.scalar(
                    select(func.count())
                    .select_from(m.FollowUp)
                    .where(
                        m.FollowUp.record_id == record.id,
                        m.FollowUp.state == FollowUpState.OPEN,
                        m.FollowUp.id != fu.id,
                    )
                )
                if not others and not all(self._final_after(s, record, [])):
                    raise DomainError(Rule.CANCEL_LEAVES_DEAD_RECORD, record=record.name)
            fu.state = FollowUpState.CANCELLED
            fu.cancelled_at = op.now
            fu.cancelled_by_id = op.actor.id
            fu.updated_at = op.now
            s.flush()
            self._refresh_derived(op, record.id)
            return fu.id

        return self._run("cancel_follow_up", body)

    def correct_activity(
        self, activity_id: int, *, expected_version: int, subject: str, text: str, reason: str
    ) -> ChangeSummary:
        """Correct an activity's subject or text; the author or an administrator
        only, with a reason. The audit trail keeps before and after.
        ``expected_version``: the activity's version the user corrected (a
        correction made meanwhile by someone else is refused, not overwritten)."""

        def body(op: _Op) -> int:
            activity = self._get(op.session, m.Activity, activity_id, lock=True)
            self._require(op, Module.ACTIVITIES, activity.record)
            if activity.user_id != op.actor.id:
                self._require_admin(
                    op, "fremde Aktivitäten korrigieren", "correct other users' activities"
                )
            self._check_version(activity, expected_version, op)
            op.uow.annotate(activity, reason=clean_text("reason", reason, required=True))
            activity.subject = clean_text("subject", subject, required=True)  # type: ignore
            activity.text = clean_text("text", text) or ""
            activity.corrected_at = op.now
            return activity.id

        return self._run("correct_activity", body)

    # --- administration -------------------------------------------------------------

    def create_team(self, name: str) -> ChangeSummary:
        def body(op: _Op) -> int:
            self._require_admin(op, "Teams anlegen", "create teams")
            clean = clean_text("name", name, required=True, column=m.Team.name)
            self._unique(op.session, m.Team.name, clean)
            team = m.Team(name=clean, created_at=op.now)
            op.session.add(team)
            op.session.flush()
            return team.id

        return self._run("create_team", body)

    def create_role_group(self, data: RoleGroupData) -> ChangeSummary:
        def body(op: _Op) -> int:
            self._require_admin(op, "Rechtegruppen anlegen", "create role groups")
            clean = clean_text("name", data.name, required=True, column=m.RoleGroup.name)
            self._unique(op.session, m.RoleGroup.name, clean)
            group = m.RoleGroup(name=clean, created_at=op.now)
            self._apply_role_group(group, data)
            op.session.add(group)
            op.session.flush()
            return group.id

        return self._run("create_role_group", body)

    def update_role_group(self, group_id: int, data: RoleGroupData) -> ChangeSummary:
        def body(op: _Op) -> int:
            self._require_admin(op, "Rechtegruppen ändern", "change role groups")
            group = self._get(op.session, m.RoleGroup, group_id)
            if group.is_admin and (
                not data.is_admin or any(Scope(s) is not Scope.ALL for s in data.rights.values())
            ):
                raise DomainError(Rule.ADMIN_GROUP_UNRESTRICTED)
            group.name = clean_text("name", data.name, required=True, column=m.RoleGroup.name)  # type: ignore
            self._apply_role_group(group, data)
            return group.id

        return self._run("update_role_group", body)

    @staticmethod
    def _apply_role_group(group: m.RoleGroup, data: RoleGroupData) -> None:
        group.is_admin = data.is_admin
        group.follow_up_requires_activity = data.follow_up_requires_activity
        group.activity_requires_follow_up = data.activity_requires_follow_up
        wanted = {Module(k).value: Scope(v).value for k, v in data.rights.items()}
        existing = {r.module: r for r in group.rights}
        for module, right in existing.items():
            if module not in wanted:
                group.rights.remove(right)
        for module, scope in wanted.items():
            if module in existing:
                existing[module].scope = scope
            else:
                group.rights.append(m.RoleGroupRight(module=module, scope=scope))

    def create_user(
        self,
        login: str,
        display_name: str,
        *,
        role_group_id: int,
        team_id: int | None = None,
        email: str | None = None,
        time_zone: str = "Europe/Berlin",
    ) -> ChangeSummary:
        def body(op: _Op) -> int:
            self._require_admin(op, "Benutzer anlegen", "create users")
            return _add_user(
                op.session,
                login,
                display_name,
                role_group_id=role_group_id,
                team_id=team_id,
                email=email,
                time_zone=time_zone,
                now=op.now,
            )

        return self._run("create_user", body)

    def set_user_active(self, user_id: int, active: bool) -> ChangeSummary:
        def body(op: _Op) -> int:
            self._require_admin(op, "Benutzer sperren", "deactivate users")
            user = self._get(op.session, m.User, user_id)
            if not active and user.role_group.is_admin:
                other_admins = op.session.scalar(
                    select(func.count())
                    .select_from(m.User)
                    .join(m.RoleGroup)
                    .where(m.RoleGroup.is_admin, m.User.active, m.User.id != user.id)
                )
                if not other_admins:
                    raise DomainError(Rule.LAST_ADMIN)
            user.active = active
            return user.id

        return self._run("set_user_active", body)

    def create_campaign(
        self, name: str, statuses: list[StatusSpec], *, description: str | None = None
    ) -> ChangeSummary:
        """A campaign with its statuses and workflow (allowed next statuses)."""

        def body(op: _Op) -> int:
            self._require_settings(op)
            s = op.session
            clean = clean_text("name", name, required=True, column=m.Campaign.name)
            self._unique(s, m.Campaign.name, clean)
            if not statuses:
                raise DomainError(Rule.REQUIRED, field_de="Status", field_en="statuses")
            campaign = m.Campaign(
                name=clean, description=clean_text("description", description), created_at=op.now
            )
            s.add(campaign)
            s.flush()
            by_name: dict[str, m.CampaignStatus] = {}
            for position, spec in enumerate(statuses):
                status_name = clean_text(
                    "name", spec.name, required=True, column=m.CampaignStatus.name
                )
                assert status_name is not None
                if status_name in by_name:
                    raise DomainError(
                        Rule.DUPLICATE, value=status_name, field_de="Status", field_en="status"
                    )
                if not 0 <= spec.progress <= 100:
                    raise DomainError(Rule.INVALID_VALUE, value=spec.progress, **_field("progress"))
                _check_color(spec.color)
                status = m.CampaignStatus(
                    campaign_id=campaign.id,
                    name=status_name,
                    position=position,
                    color=spec.color,
                    progress=spec.progress,
                    is_final=spec.is_final,
                    is_start=spec.is_start
                    or (position == 0 and not any(x.is_start for x in statuses)),
                )
                s.add(status)
                by_name[status_name] = status
            s.flush()
            for spec in statuses:
                source = by_name[spec.name.strip()]
                for position, target_name in enumerate(spec.next):
                    target = by_name.get(target_name)
                    if target is None:
                        raise DomainError(
                            Rule.NOT_FOUND,
                            what_de="Folgestatus",
                            what_en="Next status",
                            id=target_name,
                        )
                    s.add(
                        m.StatusTransition(
                            from_status_id=source.id,
                            to_status_id=target.id,
                            position=position,
                            is_default=position == 0,
                        )
                    )
            return campaign.id

        return self._run("create_campaign", body)

    def set_campaign_active(self, campaign_id: int, active: bool) -> ChangeSummary:
        def body(op: _Op) -> int:
            self._require_settings(op)
            campaign = self._get(op.session, m.Campaign, campaign_id)
            campaign.active = active
            return campaign.id

        return self._run("set_campaign_active", body)

    def create_activity_type(
        self, name: str, icon: str = "mdi6.note-text-outline"
    ) -> ChangeSummary:
        def body(op: _Op) -> int:
            self._require_settings(op)
            clean = clean_text("name", name, required=True, column=m.ActivityType.name)
            self._unique(op.session, m.ActivityType.name, clean)
            position = (
                op.session.scalar(select(func.coalesce(func.max(m.ActivityType.position), 0))) + 1
            )
            atype = m.ActivityType(name=clean, icon=icon, position=position)
            op.session.add(atype)
            op.session.flush()
            return atype.id

        return self._run("create_activity_type", body)

    @staticmethod
    def _unique(s: Session, column: Any, value: Any) -> None:
        if s.scalar(select(func.count()).where(column == value)):
            raise DomainError(Rule.DUPLICATE, value=value, field_de="Name", field_en="name")


def _check_color(color: str) -> None:
    text = color.lstrip("#")
    if not (
        color.startswith("#")
        and len(text) in (6, 8)
        and all(c in "0123456789abcdefABCDEF" for c in text)
    ):
        raise DomainError(Rule.INVALID_VALUE, value=color, **_field("color"))


def _add_user(
    s: Session,
    login: str,
    display_name: str,
    *,
    role_group_id: int,
    team_id: int | None,
    email: str | None,
    time_zone: str,
    now: datetime,
) -> int:
    clean_login = clean_text("login", login, required=True)
    Controller._unique(s, m.User.login, clean_login)
    Controller._get(s, m.RoleGroup, role_group_id)
    if team_id is not None:
        Controller._get(s, m.Team, team_id)
    _zone(time_zone)
    user = m.User(
        login=clean_login,
        display_name=clean_text("display_name", display_name, required=True),
        email=clean_text("email", email),
        team_id=team_id,
        role_group_id=role_group_id,
        time_zone=time_zone,
        created_at=now,
    )
    s.add(user)
    s.flush()
    return user.id


# --- keyed saves ---------------------------------------------------------------------


def _normalize_key(key: str | uuid.UUID | None) -> str | None:
    """The canonical text of a UUID key (lower case, hyphens), None if it is none."""
    if key is None:
        return None
    try:
        return str(key if isinstance(key, uuid.UUID) else uuid.UUID(str(key).strip()))
    except ValueError:
        return None


def _with_clean_key(cmd: LogActivity) -> LogActivity:
    key = _normalize_key(cmd.client_key)
    if key is None:
        raise DomainError(
            Rule.INVALID_VALUE,
            value=str(cmd.client_key)[:60],
            field_de="Schlüssel der Speicherung",
            field_en="save key",
        )
    return replace(cmd, client_key=key)


def _logged_summary(s: Session, activity_id: int, record_id: int) -> ChangeSummary:
    """What the save that wrote ``activity_id`` reported, read back: the
    activity, its status changes, the follow-ups it created (next one,
    recurring successors) and completed, the memberships it set, the record."""
    fu = m.FollowUp
    sc = m.StatusChange
    created_fus = set(s.scalars(select(fu.id).where(fu.source_activity_id == activity_id)))
    completed = set(s.scalars(select(fu.id).where(fu.completed_by_activity_id == activity_id)))
    changes = s.execute(
        select(sc.id, sc.campaign_id, sc.from_status_id).where(sc.activity_id == activity_id)
    ).all()
    created_ms: set[int] = set()
    updated_ms: set[int] = set()
    for _sc_id, campaign_id, from_status_id in changes:
        ms_id = s.scalar(
            select(m.CampaignMembership.id).where(
                m.CampaignMembership.record_id == record_id,
                m.CampaignMembership.campaign_id == campaign_id,
            )
        )
        if ms_id is not None:
            (created_ms if from_status_id is None else updated_ms).add(ms_id)
    return ChangeSummary.build(
        created={
            Entity.ACTIVITY: {activity_id},
            Entity.FOLLOW_UP: created_fus,
            Entity.STATUS_CHANGE: {c[0] for c in changes},
            Entity.MEMBERSHIP: created_ms,
        },
        updated={
            Entity.RECORD: {record_id},
            Entity.FOLLOW_UP: completed - created_fus,
            Entity.MEMBERSHIP: updated_ms,
        },
        result_id=activity_id,
    )
