"""Records and contacts: create and change a record's master data and its
contact persons (rights: ``Module.RECORDS`` / ``Module.CONTACTS``)."""

from __future__ import annotations

from dataclasses import fields

from akquise_desktop import models as m
from akquise_desktop.core.changes import ChangeSummary
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.models import Module

from . import concurrency
from .base import ControllerBase, _field, _Op, clean_text
from .commands import ContactData, RecordData


class RecordOps(ControllerBase):
    """Records and contacts."""

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
