"""Where a link leads, as each user sees it (both backends)."""

from __future__ import annotations

from sqlalchemy import select

from akquise_desktop import models as m
from akquise_desktop.controller import RoleGroupData
from akquise_desktop.models import Module, Scope
from akquise_desktop.queries import links as q
from tests.factories import make_world


def target(db, kind, ident, user_id) -> q.LinkTarget:
    with db.read() as s:
        return q.link_target(s, kind, ident, user_id)


def test_records_and_follow_ups_by_rights(db):
    w = make_world(db)
    rid = w.in_campaign("Nord GmbH", w.sales)  # owned by sales (team Nord)
    with db.read() as s:
        fu = s.scalar(select(m.FollowUp.id).where(m.FollowUp.record_id == rid))
    assert fu is not None
    for user in (w.sales_id, w.colleague_id, w.admin_id, w.lax_id):
        assert target(db, q.RECORD, rid, user) == q.LinkTarget(q.RECORD, rid, rid)
        found = target(db, q.FOLLOW_UP, fu, user)
        assert (found.record_id, found.follow_up_id, found.problem) == (rid, fu, None)
    # Another team's user with team scope: no right, for the record and its follow-up.
    assert target(db, q.RECORD, rid, w.other_id).problem == q.NO_RIGHT
    assert target(db, q.FOLLOW_UP, fu, w.other_id).record_id is None
    assert target(db, q.FOLLOW_UP, fu, w.other_id).problem == q.NO_RIGHT


def test_unknown_ids_are_not_found(db):
    w = make_world(db)
    assert target(db, q.RECORD, 987654, w.admin_id).problem == q.NOT_FOUND
    assert target(db, q.FOLLOW_UP, 987654, w.admin_id).problem == q.NOT_FOUND


def test_the_widest_read_scope_counts(db):
    w = make_world(db)
    rid = w.record("Fremd AG", w.other)  # team Süd
    only_contacts = w.admin.create_role_group(
        RoleGroupData("Nur Kontakte", rights={Module.CONTACTS: Scope.ALL})
    ).result_id
    nothing = w.admin.create_role_group(RoleGroupData("Nichts", rights={})).result_id
    reader = w.admin.create_user("leser", "Lea Leser", role_group_id=only_contacts).result_id
    blind = w.admin.create_user("blind", "Bea Blind", role_group_id=nothing).result_id
    assert target(db, q.RECORD, rid, reader).record_id == rid
    assert target(db, q.RECORD, rid, blind).problem == q.NO_RIGHT
    assert target(db, q.RECORD, rid, 424242).problem == q.NO_RIGHT  # no such user
