"""The import as one bulk run: plan (rows checked, duplicates found, nothing
written), run (chunk by chunk, set-based, journaled, with progress and
cancel) and — through the bulk editor's ``undo`` — its removal as one step.

Every imported record gets the chosen owner, the campaign with its start (or
chosen) status, carried by a first activity (rule 5: a status changes only
through an activity; the database's chain triggers check it on PostgreSQL),
and a first follow-up from that activity (so it is not dead). All rows are
journaled as created by the run (``bulk_change``), so ``undo`` deletes exactly
them; a duplicate merged into an existing record fills that record's empty
fields (a journaled, versioned update that undo restores) and adds the
contact person.

Speed: the rows of a chunk go in with a handful of statements (pre-allocated
ids, ``insert_rows``), the audit trail and journal likewise; no ORM objects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from akquise_desktop import models as m
from akquise_desktop.core.changes import ChangeSummary, Entity
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.core.phones import stored_form
from akquise_desktop.imports.duplicates import Match, NewRecord, find_duplicates, sql_keys
from akquise_desktop.imports.mapping import ImportSettings
from akquise_desktop.imports.reading import Table
from akquise_desktop.imports.validate import BadRow, Candidate, validate
from akquise_desktop.models import Module, Scope
from akquise_desktop.models.phones import add_normal_forms, region_of
from akquise_desktop.queries.duplicates import duplicate_candidates

from .. import concurrency
from ..base import RIGHT_NAMES, _Op, clean_text
from .base import EditorBase, start_run
from .operations import CancelToken, ProgressFn, Refusal
from .rows import RowUpdate, Writer, batches, insert_rows, table_of

OPERATION = "import"
# Rows per transaction: an import's rows are cheap to write, and each chunk
# costs a commit; SQLite's write lock is still held only a second or two.
CHUNK_SIZE_SQLITE = 2000
DECISIONS = ("skip", "merge", "import")
# Record fields a merge may fill (only where the existing record has none).
MERGE_FIELDS = ("street", "postal_code", "city", "phone", "email", "website", "industry")


@dataclass(frozen=True)
class ImportPlan:
    """What an import would do; nothing written. ``duplicates``: candidate
    position -> its match (an existing record or an earlier row)."""

    table: Table
    mapping: Mapping[int, str]
    candidates: tuple[Candidate, ...]
    bad_rows: tuple[BadRow, ...]
    duplicates: Mapping[int, Match]

    @property
    def total(self) -> int:
        return len(self.table.rows)


@dataclass(frozen=True)
class ImportResult:
    run_id: int | None
    created: tuple[int, ...]  # new record ids
    merged: tuple[int, ...]  # existing record ids merged into
    skipped: tuple[int, ...]  # file row numbers left out as duplicates
    bad_rows: tuple[BadRow, ...]
    refused: tuple[Refusal, ...]  # merges refused (changed meanwhile, no right)
    not_reached: int  # rows after a cancel
    cancelled: bool
    summary: ChangeSummary


@dataclass
class _Item:
    """One thing to write: a new record (with its contacts) or a merge."""

    candidate: Candidate
    contacts: list[Mapping[str, str]] = field(default_factory=list)
    record: dict[str, str] = field(default_factory=dict)
    merge_into: int | None = None  # existing record id
    merge_version: int | None = None


def _new_record(c: Candidate) -> NewRecord:
    contact = c.contact or {}
    return NewRecord(
        name=c.record["name"],
        phone=c.record.get("phone"),
        email=c.record.get("email"),
        website=c.record.get("website"),
        phones=tuple(p for p in (contact.get("phone"), contact.get("mobile")) if p),
        emails=tuple(e for e in (contact.get("email"),) if e),
    )


class ImportOps(EditorBase):
    """``plan_import`` and ``run_import`` (undo: ``undo``)."""

    # --- plan ---------------------------------------------------------------------------

    def plan_import(
        self, table: Table, mapping: Mapping[int, str], *, check_duplicates: bool = True
    ) -> ImportPlan:
        """Check the rows and find duplicates (existing records, earlier rows)."""
        good, bad = validate(table, mapping)
        duplicates: dict[int, Match] = {}
        if check_duplicates and good:
            news = [_new_record(c) for c in good]
            with self.ctl.db.read() as session:
                existing = duplicate_candidates(session, sql_keys(news))
            for match in find_duplicates(news, existing):
                duplicates[match.index] = match
        return ImportPlan(table, dict(mapping), tuple(good), tuple(bad), duplicates)

    # --- run ----------------------------------------------------------------------------

    def run_import(
        self,
        plan: ImportPlan,
        settings: ImportSettings,
        decisions: Mapping[int, str] | None = None,
        *,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
        chunk_size: int | None = None,
    ) -> ImportResult:
        """Write the plan: ``decisions`` (candidate position -> "skip", "merge",
        "import") for its duplicates, else ``settings.duplicates``."""
        items, skipped = self._items(plan, settings, decisions or {})
        # The whole run's checks, before anything is written.
        with self.ctl.db.read() as s:
            self._check_settings_read(s, settings)
        run_id: int | None = None
        summary = ChangeSummary()
        created: list[int] = []
        merged: list[int] = []
        refused: list[Refusal] = []
        done = 0
        cancelled = False
        size = chunk_size or (CHUNK_SIZE_SQLITE if self.ctl.db.is_sqlite else self.chunk_size)
        chunks = list(batches(items, size)) or [[]]
        if progress:
            progress(0, len(items))
        try:
            for index, chunk in enumerate(chunks):
                if cancel is not None and cancel.cancelled:
                    cancelled = True
                    break
                out: dict[str, list[Any]] = {"created": [], "merged": [], "refused": []}

                def body(
                    op: _Op,
                    chunk: Sequence[_Item] = chunk,
                    out: dict[str, list[Any]] = out,
                    final: bool = index == len(chunks) - 1,
                    run_before: int | None = run_id,
                ) -> int | None:
                    nonlocal run_id
                    run_id = run_before
                    for v in out.values():
                        v.clear()
                    resolved = self._check_settings(op, settings)
                    if run_id is None:
                        run_id = self._start_import_run(op, plan, settings, len(items))
                    self._write_chunk(op, run_id, chunk, settings, resolved, out)
                    run = op.session.get(m.BulkRun, run_id)
                    assert run is not None
                    run.changed += len(out["created"]) + len(out["merged"])
                    run.refused += len(out["refused"])
                    if final:
                        run.state = m.BulkRunState.DONE
                        run.finished_at = op.now
                    return run_id

                summary = summary.merged(self.ctl._run("import", body))
                created.extend(out["created"])
                merged.extend(out["merged"])
                refused.extend(out["refused"])
                done += len(chunk)
                if progress:
                    progress(done, len(items))
        except BaseException:
            if run_id is not None:
                self._finish_run(run_id, m.BulkRunState.FAILED)
            raise
        if cancelled and run_id is not None:
            self._finish_run(run_id, m.BulkRunState.CANCELLED)
        return ImportResult(
            run_id=run_id,
            created=tuple(created),
            merged=tuple(merged),
            skipped=tuple(skipped),
            bad_rows=plan.bad_rows,
            refused=tuple(refused),
            not_reached=len(items) - done,
            cancelled=cancelled,
            summary=summary,
        )

    def _finish_run(self, run_id: int, state: m.BulkRunState) -> None:
        with self.ctl.db.write() as s:
            run = s.get(m.BulkRun, run_id)
            if run is not None and run.state == m.BulkRunState.RUNNING:
                run.state = state
                run.finished_at = self.ctl.clock.now()

    @staticmethod
    def _items(
        plan: ImportPlan, settings: ImportSettings, decisions: Mapping[int, str]
    ) -> tuple[list[_Item], list[int]]:
        """The plan's candidates as things to write, duplicates decided."""
        default = settings.duplicates
        if default not in DECISIONS:
            raise DomainError(
                Rule.INVALID_VALUE, value=default, field_de="Dubletten", field_en="duplicates"
            )
        items: list[_Item] = []
        by_position: dict[int, _Item] = {}
        merges: dict[int, _Item] = {}
        skipped: list[int] = []
        for position, cand in enumerate(plan.candidates):
            match = plan.duplicates.get(position)
            decision = decisions.get(position, default) if match else "import"
            if decision not in DECISIONS:
                raise DomainError(
                    Rule.INVALID_VALUE, value=decision, field_de="Dublette", field_en="duplicate"
                )
            contacts = [cand.contact] if cand.contact else []
            if match is not None and decision == "skip":
                skipped.append(cand.row)
                continue
            if match is not None and decision == "merge":
                if match.other_index is not None:
                    target = by_position.get(match.other_index)
                    if target is not None:  # into the earlier row of the file
                        for key, value in cand.record.items():
                            target.record.setdefault(key, value)
                        target.contacts.extend(contacts)
                        continue
                    skipped.append(cand.row)  # the earlier row itself was skipped
                    continue
                assert match.record_id is not None
                item = merges.get(match.record_id)
                if item is None:
                    item = _Item(
                        cand,
                        [],
                        dict(cand.record),
                        merge_into=match.record_id,
                        merge_version=match.record_version,
                    )
                    merges[match.record_id] = item
                    items.append(item)
                else:
                    for key, value in cand.record.items():
                        item.record.setdefault(key, value)
                item.contacts.extend(contacts)
                continue
            item = _Item(cand, contacts, dict(cand.record))
            by_position[position] = item
            items.append(item)
        return items, skipped

    # --- checks -------------------------------------------------------------------------

    def _check_settings_read(self, s: Session, settings: ImportSettings) -> None:
        actor = self.ctl._active_user(s, self.ctl.user_id)
        op = _Op(s, actor, None, self.ctl.clock.now())  # type: ignore[arg-type]
        self._check_settings(op, settings)

    def _check_settings(self, op: _Op, settings: ImportSettings) -> dict[str, Any]:
        """The right, the owner, campaign and status, the follow-up; their ids."""
        s = op.session
        self._require_import(op)
        owner_id = settings.owner_id or op.actor.id
        self.ctl._require_owner_in_scope(op, owner_id)
        if op.actor.role_group.scope(Module.ACTIVITIES) is Scope.NONE:
            raise DomainError(
                Rule.NO_RIGHT,
                group=op.actor.role_group.name,
                right=RIGHT_NAMES[Module.ACTIVITIES],
            )
        campaign = self.ctl._get(s, m.Campaign, settings.campaign_id)
        if not campaign.active:
            raise DomainError(Rule.CAMPAIGN_INACTIVE, campaign=campaign.name)
        status_id = settings.status_id
        if status_id is None:
            status_id = s.scalar(
                select(m.CampaignStatus.id)
                .where(m.CampaignStatus.campaign_id == campaign.id, m.CampaignStatus.is_active)
                .order_by(m.CampaignStatus.is_start.desc(), m.CampaignStatus.position)
                .limit(1)
            )
            if status_id is None:
                raise DomainError(
                    Rule.NOT_FOUND, what_de="Startstatus", what_en="Start status", id="?"
                )
        status = self.ctl._get(s, m.CampaignStatus, status_id)
        if status.campaign_id != campaign.id:
            raise DomainError(Rule.STATUS_OTHER_CAMPAIGN, status=status.id, campaign=campaign.name)
        if not status.is_active:
            raise DomainError(Rule.STATUS_INACTIVE, status=status.name)
        fu = settings.first_follow_up
        today = self.ctl.clock.today()
        due = fu.due(today)
        if due < today:
            raise DomainError(Rule.DUE_BEFORE_ACTIVITY, due=due.isoformat(), activity=today)
        if fu.assignee_id is not None:
            self.ctl._active_user(s, fu.assignee_id)
        subject = clean_text("subject", settings.subject) or "Import"
        instruction = clean_text("instruction", fu.instruction) or ""
        type_id = s.scalar(select(m.ActivityType.id).where(m.ActivityType.name == "Import"))
        if type_id is None:
            type_id = self.ctl._activity_type(s, None)
        return {
            "owner_id": owner_id,
            "campaign_id": campaign.id,
            "status_id": status.id,
            "due": due,
            "assignee_id": fu.assignee_id,
            "subject": subject,
            "instruction": instruction,
            "type_id": type_id,
        }

    # --- writing ------------------------------------------------------------------------

    @staticmethod
    def _start_import_run(op: _Op, plan: ImportPlan, settings: ImportSettings, total: int) -> int:
        params = {
            "kind": plan.table.kind,
            "rows": plan.total,
            "bad_rows": len(plan.bad_rows),
            "campaign_id": settings.campaign_id,
            "status_id": settings.status_id,
            "owner_id": settings.owner_id or op.actor.id,
        }
        return start_run(op, OPERATION, params, total)

    def _write_chunk(
        self,
        op: _Op,
        run_id: int,
        chunk: Sequence[_Item],
        settings: ImportSettings,
        resolved: Mapping[str, Any],
        out: dict[str, list[Any]],
    ) -> None:
        writer = Writer(op.session, op.uow, operation="import", user_id=op.actor.id, now=op.now)
        news = [item for item in chunk if item.merge_into is None]
        merges = [item for item in chunk if item.merge_into is not None]
        if merges:
            self._merge(op, writer, run_id, merges, out)
        if news:
            self._create(op, writer, run_id, news, resolved, out)
        writer.flush()

    def _create(
        self,
        op: _Op,
        writer: Writer,
        run_id: int,
        items: Sequence[_Item],
        resolved: Mapping[str, Any],
        out: dict[str, list[Any]],
    ) -> None:
        s = op.session
        now = op.now
        n = len(items)
        owner_id = resolved["owner_id"]
        due: date = resolved["due"]
        assignee_id = resolved["assignee_id"] or owner_id
        zone = op.actor.time_zone
        contacts_total = sum(len(i.contacts) for i in items)
        record_ids = _allocate(s, "record", n)
        contact_ids = iter(_allocate(s, "contact", contacts_total))
        activity_ids = _allocate(s, "activity", n)
        change_ids = _allocate(s, "status_change", n)
        membership_ids = _allocate(s, "campaign_membership", n)
        follow_up_ids = _allocate(s, "follow_up", n)
        records, contacts, activities, changes, memberships, follow_ups = [], [], [], [], [], []
        countries: dict[int, str | None] = {}
        for k, item in enumerate(items):
            rid = record_ids[k]
            values = item.record
            records.append(
                {
                    "id": rid,
                    "kind": item.candidate.kind,
                    "name": values["name"],
                    "street": values.get("street"),
                    "postal_code": values.get("postal_code"),
                    "city": values.get("city"),
                    "country": values.get("country", "DE"),
                    "phone": values.get("phone"),
                    "email": values.get("email"),
                    "website": values.get("website"),
                    "industry": values.get("industry"),
                    "notes": values.get("notes"),
                    "owner_id": owner_id,
                    "created_at": now,
                    "updated_at": now,
                    "last_activity_at": now,
                    "next_follow_up_date": due,
                    "version": 1,
                }
            )
            for contact in item.contacts:
                contacts.append(_contact_row(next(contact_ids), rid, contact, now))
            countries[rid] = records[-1]["country"]
            aid = activity_ids[k]
            activities.append(
                {
                    "id": aid,
                    "record_id": rid,
                    "user_id": op.actor.id,
                    "type_id": resolved["type_id"],
                    "occurred_at": now,
                    "subject": resolved["subject"],
                    "text": f"Zeile {item.candidate.row}",
                    "created_at": now,
                    "version": 1,
                }
            )
            changes.append(
                {
                    "id": change_ids[k],
                    "activity_id": aid,
                    "record_id": rid,
                    "campaign_id": resolved["campaign_id"],
                    "from_status_id": None,
                    "to_status_id": resolved["status_id"],
                }
            )
            memberships.append(
                {
                    "id": membership_ids[k],
                    "record_id": rid,
                    "campaign_id": resolved["campaign_id"],
                    "status_id": resolved["status_id"],
                    "since": now,
                    "version": 1,
                }
            )
            follow_ups.append(
                {
                    "id": follow_up_ids[k],
                    "record_id": rid,
                    "assignee_id": assignee_id,
                    "created_by_id": op.actor.id,
                    "due_date": due,
                    "time_zone": zone,
                    "priority": int(m.Priority.NORMAL),
                    "instruction": resolved["instruction"],
                    "source_activity_id": aid,
                    "recurrence_anchor": m.RecurrenceAnchor.DUE.value,
                    "occurrence": 1,
                    "state": m.FollowUpState.OPEN.value,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
            )
        add_normal_forms(s, "record", records)
        add_normal_forms(s, "contact", contacts, countries)
        if s.get_bind().dialect.name == "sqlite":
            # Contacts before their records: the search index (0004) then reads
            # each record's contact names once, at the record's insert, instead
            # of rewriting the record's entry for every contact. The foreign
            # keys are checked at commit.
            s.execute(text("PRAGMA defer_foreign_keys = ON"))
            first = [("contact", contacts, 1), ("record", records, 1)]
        else:
            first = [("record", records, 1), ("contact", contacts, 1)]
        tables: list[tuple[str, list[dict[str, Any]], int | None]] = [
            *first,
            ("activity", activities, None),
            ("status_change", changes, None),
            ("campaign_membership", memberships, 1),
            ("follow_up", follow_ups, 1),
        ]
        for table_name, rows, version in tables:
            insert_rows(s, table_of(table_name), rows)
            entity = _ENTITY[table_name]
            target_key = "id" if table_name == "record" else "record_id"
            for row in rows:
                op.uow.created[entity].add(row["id"])
                writer._audit("create", table_name, row["id"], None, row)
                writer.journal_created(
                    run_id, row[target_key], table_name, row["id"], version_after=version
                )
        out["created"].extend(record_ids)

    def _merge(
        self,
        op: _Op,
        writer: Writer,
        run_id: int,
        items: Sequence[_Item],
        out: dict[str, list[Any]],
    ) -> None:
        """Fill the existing records' empty fields and add the contacts."""
        s = op.session
        ids = sorted({i.merge_into for i in items if i.merge_into is not None})
        concurrency.lock_records(s, ids)
        rec = m.Record
        rows = {
            r.id: r
            for batch in batches(ids)
            for r in s.execute(
                select(
                    rec.id,
                    rec.name,
                    rec.version,
                    rec.owner_id,
                    rec.country,
                    *(rec.__table__.c[f] for f in MERGE_FIELDS),
                ).where(rec.id.in_(batch))
            )
        }
        owner_teams = dict(
            s.execute(
                select(m.User.id, m.User.team_id).where(
                    m.User.id.in_({r.owner_id for r in rows.values() if r.owner_id})
                )
            ).all()
        )
        from .base import RowRights

        rights = RowRights.of(op)
        updates: list[RowUpdate] = []
        contacts: list[tuple[int, Mapping[str, str]]] = []
        for item in items:
            rid = item.merge_into
            assert rid is not None
            row = rows.get(rid)
            label = row.name if row is not None else f"#{rid}"
            try:
                if row is None:
                    raise DomainError(Rule.NOT_FOUND, what_de="Datensatz", what_en="Record", id=rid)
                if item.merge_version is not None and row.version != item.merge_version:
                    raise concurrency.stale_error(
                        s, "record", rid, expected_version=item.merge_version,
                        zone=op.actor.time_zone,
                    )  # fmt: skip
                modules = (Module.RECORDS, Module.CONTACTS) if item.contacts else (Module.RECORDS,)
                rights.check(modules, row.owner_id, owner_teams.get(row.owner_id))
            except DomainError as error:
                out["refused"].append(Refusal.of(rid, label, error))
                continue
            after: dict[str, str | None] = {
                f: item.record[f]
                for f in MERGE_FIELDS
                if item.record.get(f) and not getattr(row, f)
            }
            if after.get("phone"):
                after["phone_normalized"] = stored_form(after["phone"], region_of(s, row.country))
            if after:
                before = {f: getattr(row, f, None) for f in after}
                updates.append(RowUpdate(rid, rid, row.version, before, after))
            contacts.extend((rid, c) for c in item.contacts)
            out["merged"].append(rid)
        if updates:
            writer.update_versioned("record", updates, run_id=run_id, touch=True)
        if contacts:
            now = op.now
            ids_ = _allocate(s, "contact", len(contacts))
            rows_ = [
                _contact_row(cid, rid, c, now) for cid, (rid, c) in zip(ids_, contacts, strict=True)
            ]
            add_normal_forms(s, "contact", rows_)
            insert_rows(s, table_of("contact"), rows_)
            for row_ in rows_:
                op.uow.created[Entity.CONTACT].add(row_["id"])
                op.uow.note_updated(Entity.RECORD, row_["record_id"])
                writer._audit("create", "contact", row_["id"], None, row_)
                writer.journal_created(
                    run_id, row_["record_id"], "contact", row_["id"], version_after=1
                )


_ENTITY = {
    "record": Entity.RECORD,
    "contact": Entity.CONTACT,
    "activity": Entity.ACTIVITY,
    "status_change": Entity.STATUS_CHANGE,
    "campaign_membership": Entity.MEMBERSHIP,
    "follow_up": Entity.FOLLOW_UP,
}


def _contact_row(cid: int, rid: int, c: Mapping[str, str], now: Any) -> dict[str, Any]:
    return {
        "id": cid,
        "record_id": rid,
        "salutation": c.get("salutation"),
        "title": c.get("title"),
        "first_name": c.get("first_name"),
        "last_name": c["last_name"],
        "position": c.get("position"),
        "phone": c.get("phone"),
        "mobile": c.get("mobile"),
        "email": c.get("email"),
        "notes": None,
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }


def _allocate(s: Session, table_name: str, n: int) -> list[int]:
    """``n`` fresh ids for ``table_name`` (PostgreSQL: from its sequence;
    SQLite: after the highest, under the write transaction's lock)."""
    if n <= 0:
        return []
    if s.get_bind().dialect.name == "postgresql":
        return list(
            s.scalars(
                text(
                    "SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"
                ),
                {"t": table_name, "n": n},
            )
        )
    table = table_of(table_name)
    top = s.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0
    return list(range(top + 1, top + 1 + n))


ImportProgress = Callable[[int, int], None]
