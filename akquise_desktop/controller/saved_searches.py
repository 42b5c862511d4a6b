"""Saved searches (Selektionen): each user's named record-list criteria.

Writes, so they run inside a controller operation (``Controller._run``):
one transaction, a change summary and the audit trail like every other call.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from akquise_desktop import models as m
from akquise_desktop.core.changes import ChangeSummary
from akquise_desktop.core.errors import DomainError, Rule

from .controller import Controller

NAME_MAX = 100
CRITERIA_MAX_BYTES = 4_000
FIELD = {"field_de": "Name der Selektion", "field_en": "saved search name"}


def _check_name(name: str) -> str:
    text = (name or "").strip()
    if not text:
        raise DomainError(Rule.REQUIRED, **FIELD)
    if len(text) > NAME_MAX:
        raise DomainError(Rule.TOO_LONG, length=len(text), limit=NAME_MAX, **FIELD)
    return text


def _check_criteria(criteria: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(criteria, dict):
        raise DomainError(
            Rule.INVALID_VALUE, value=type(criteria).__name__, field_de="Kriterien",
            field_en="criteria",
        )  # fmt: skip
    try:
        encoded = json.dumps(criteria, ensure_ascii=False)
    except (TypeError, ValueError):
        raise DomainError(
            Rule.INVALID_VALUE, value="?", field_de="Kriterien", field_en="criteria"
        ) from None
    if len(encoded.encode()) > CRITERIA_MAX_BYTES:
        raise DomainError(
            Rule.TOO_LONG, length=len(encoded), limit=CRITERIA_MAX_BYTES, field_de="Kriterien",
            field_en="criteria",
        )  # fmt: skip
    return json.loads(encoded)


def save_search(controller: Controller, name: str, criteria: dict[str, Any]) -> ChangeSummary:
    """Save ``criteria`` under ``name`` for the acting user; a search of the
    same name is overwritten. ``result_id`` is the saved search's id."""
    clean = _check_name(name)
    data = _check_criteria(criteria)

    def body(op) -> int:
        existing = op.session.scalar(
            select(m.SavedSearch).where(
                m.SavedSearch.user_id == op.actor.id, m.SavedSearch.name == clean
            )
        )
        if existing is None:
            existing = m.SavedSearch(user_id=op.actor.id, name=clean, created_at=op.now)
            op.session.add(existing)
        existing.criteria = data
        op.session.flush()
        return existing.id

    return controller._run("save_search", body)


def delete_search(controller: Controller, search_id: int) -> ChangeSummary:
    """Delete one of the acting user's saved searches."""

    def body(op) -> int:
        search = op.session.get(m.SavedSearch, search_id)
        if search is None or search.user_id != op.actor.id:
            raise DomainError(
                Rule.NOT_FOUND, what_de="Selektion", what_en="Saved search", id=search_id
            )
        op.session.delete(search)
        op.session.flush()
        return search_id

    return controller._run("delete_search", body)
