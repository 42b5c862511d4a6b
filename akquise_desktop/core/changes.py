"""Change summaries: what one controller call changed, by kind and id."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Entity(StrEnum):
    RECORD = "record"
    CONTACT = "contact"
    ACTIVITY = "activity"
    FOLLOW_UP = "follow_up"
    MEMBERSHIP = "membership"
    STATUS_CHANGE = "status_change"
    CAMPAIGN = "campaign"
    CAMPAIGN_STATUS = "campaign_status"
    ACTIVITY_TYPE = "activity_type"
    USER = "user"
    TEAM = "team"
    ROLE_GROUP = "role_group"
    SAVED_SEARCH = "saved_search"
    SETTINGS = "settings"


def _freeze(m: Mapping[Entity, Iterable[int]]) -> dict[Entity, frozenset[int]]:
    return {k: frozenset(v) for k, v in m.items() if v}


@dataclass(frozen=True)
class ChangeSummary:
    """What a controller call created, updated and deleted.

    ``result_id`` is the id of the main thing the call produced (the new
    activity of *log activity*, the new record of *create record*), if any.

    ``whole``: kinds changed whose ids are not known (a colleague's change
    announced without ids, or "everything" after the live connection came
    back): a view showing any of them reloads what it shows of it.
    """

    created: Mapping[Entity, frozenset[int]] = field(default_factory=dict)
    updated: Mapping[Entity, frozenset[int]] = field(default_factory=dict)
    deleted: Mapping[Entity, frozenset[int]] = field(default_factory=dict)
    result_id: int | None = None
    whole: frozenset[Entity] = frozenset()

    @classmethod
    def build(
        cls,
        created: Mapping[Entity, Iterable[int]] | None = None,
        updated: Mapping[Entity, Iterable[int]] | None = None,
        deleted: Mapping[Entity, Iterable[int]] | None = None,
        result_id: int | None = None,
        whole: Iterable[Entity] = (),
    ) -> ChangeSummary:
        return cls(
            _freeze(created or {}),
            _freeze(updated or {}),
            _freeze(deleted or {}),
            result_id,
            frozenset(whole),
        )

    @classmethod
    def everything(cls) -> ChangeSummary:
        """Anything may have changed: every view reloads (after a lost connection)."""
        return cls(whole=frozenset(Entity))

    def ids(self, entity: Entity) -> frozenset[int]:
        """Every id of ``entity`` this call touched, however."""
        return (
            self.created.get(entity, frozenset())
            | self.updated.get(entity, frozenset())
            | self.deleted.get(entity, frozenset())
        )

    def touches(self, *entities: Entity) -> bool:
        return any(e in self.whole or self.ids(e) for e in entities)

    def unknown(self, *entities: Entity) -> bool:
        """Were any of ``entities`` changed without their ids being known (``whole``)?"""
        return any(e in self.whole for e in entities)

    @property
    def empty(self) -> bool:
        return not (self.created or self.updated or self.deleted or self.whole)

    def merged(self, other: ChangeSummary) -> ChangeSummary:
        def union(a: Mapping[Entity, frozenset[int]], b: Mapping[Entity, frozenset[int]]):
            return {k: a.get(k, frozenset()) | b.get(k, frozenset()) for k in set(a) | set(b)}

        return ChangeSummary(
            union(self.created, other.created),
            union(self.updated, other.updated),
            union(self.deleted, other.deleted),
            other.result_id if other.result_id is not None else self.result_id,
            self.whole | other.whole,
        )
