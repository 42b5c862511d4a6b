"""The wire form of a change announcement (PostgreSQL ``NOTIFY``).

When a controller call commits on PostgreSQL, the other clients are told what
changed, by kind and id only (never a value: each client re-reads through its
own connection, so row-level security decides what it sees). The payload is
compact JSON::

    {"v": 1, "s": "<sender>", "c": {"activity": [17]}, "u": {"record": [3]}}

``c``/``u``/``d``: created, updated, deleted ids by kind. A payload that would
not fit PostgreSQL's limit (:data:`MAX_BYTES`) names the kinds only
(``{"v": 1, "s": …, "w": ["record", "activity"]}``): the receivers reload
those views fully (:attr:`ChangeSummary.whole`).

``s`` is the sending client's id (:attr:`Database.client_id`): a client skips
its own announcements, it already has their summary.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .changes import ChangeSummary, Entity

CHANNEL = "akquise_changes"
VERSION = 1
# PostgreSQL refuses a payload of 8000 bytes or more (in the server encoding).
MAX_BYTES = 7999

_PARTS = (("c", "created"), ("u", "updated"), ("d", "deleted"))


@dataclass(frozen=True)
class Announcement:
    sender: str
    summary: ChangeSummary


def _ids(m: Mapping[Entity, frozenset[int]]) -> dict[str, list[int]]:
    return {entity.value: sorted(ids) for entity, ids in m.items() if ids}


def encode(summary: ChangeSummary, sender: str, *, limit: int = MAX_BYTES) -> str:
    """The payload for ``summary`` sent by ``sender``: with ids if it fits in
    ``limit`` bytes, else the kinds only."""
    message: dict[str, Any] = {"v": VERSION, "s": sender}
    for key, attr in _PARTS:
        ids = _ids(getattr(summary, attr))
        if ids:
            message[key] = ids
    if summary.whole:
        message["w"] = sorted(e.value for e in summary.whole)
    text = json.dumps(message, separators=(",", ":"))
    if len(text.encode()) <= limit:
        return text
    kinds = {e for _key, attr in _PARTS for e in getattr(summary, attr)} | set(summary.whole)
    short = {"v": VERSION, "s": sender, "w": sorted(e.value for e in kinds)}
    return json.dumps(short, separators=(",", ":"))


def _entity(name: Any) -> Entity | None:
    try:
        return Entity(name)
    except ValueError:  # a kind a newer client knows: skipped
        return None


def decode(payload: str) -> Announcement | None:
    """The announcement in ``payload``; None for anything malformed or of another version."""
    try:
        message = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(message, dict) or message.get("v") != VERSION:
        return None
    sender = message.get("s")
    if not isinstance(sender, str):
        return None
    parts: dict[str, dict[Entity, list[int]]] = {}
    try:
        for key, attr in _PARTS:
            found: dict[Entity, list[int]] = {}
            for name, ids in dict(message.get(key) or {}).items():
                entity = _entity(name)
                if entity is not None:
                    found[entity] = [int(i) for i in ids]
            parts[attr] = found
        whole = {e for name in message.get("w") or () if (e := _entity(name)) is not None}
    except (TypeError, ValueError):
        return None
    summary = ChangeSummary.build(parts["created"], parts["updated"], parts["deleted"], whole=whole)
    return Announcement(sender, summary)
