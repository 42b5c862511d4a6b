"""Record list, record detail, lookups and saved searches (both backends)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from akquise_desktop import models as m
from akquise_desktop.controller import ContactData, LogActivity, NextFollowUp, RecordData
from akquise_desktop.controller.saved_searches import delete_search, save_search
from akquise_desktop.core.changes import Entity
from akquise_desktop.core.errors import DomainError
from akquise_desktop.queries import lookups
from akquise_desktop.queries import records as record_pages
from akquise_desktop.queries.records import (
    RecordCriteria,
    record_count,
    record_detail,
    record_ids,
    record_page,
    saved_searches,
)

from .factories import STATUSES, make_world


@pytest.fixture
def world(db):
    return make_world(db)


def _ids(db, **kw) -> list[int]:
    with db.read() as s:
        return record_ids(s, RecordCriteria(**kw))


def _rows(db, **kw) -> list:
    """The list's rows for these criteria, in list order (one page holds all)."""
    with db.read() as s:
        return record_page(s, RecordCriteria(**kw), None, 10_000).rows


def _names(db, **kw) -> list[str]:
    rows = _rows(db, **kw)
    assert [r.id for r in rows] == _ids(db, **kw)
    return [r.name for r in rows]


def test_search_matches_name_city_phone_email_and_contacts(world, db):
    a = world.sales.create_record(RecordData(name="Alpha GmbH", city="Köln", phone="0221 555"))
    b = world.sales.create_record(RecordData(name="Beta AG", city="Bonn", email="info@beta.de"))
    world.sales.add_contact(b.result_id, ContactData(last_name="Zimmermann", first_name="Eva"))
    assert _ids(db, text="alpha") == [a.result_id]
    assert _ids(db, text="köln") == [a.result_id]
    assert _ids(db, text="ALPHA") == [a.result_id]
    assert _ids(db, text="0221") == [a.result_id]
    assert _ids(db, text="beta.de") == [b.result_id]
    assert _ids(db, text="zimmer eva") == [b.result_id]
    assert _ids(db, text="alpha zimmer") == []
    assert sorted(_ids(db)) == sorted([a.result_id, b.result_id])


def test_sort_by_every_column_in_both_directions(world, db):
    for name in ["Cäsar KG", "anton AG", "Berta GmbH"]:
        world.sales.create_record(RecordData(name=name, city="Ort " + name[0].upper()))
    assert _names(db) == ["anton AG", "Berta GmbH", "Cäsar KG"]
    assert _names(db, descending=True) == ["Cäsar KG", "Berta GmbH", "anton AG"]
    assert _names(db, sort="city") == ["anton AG", "Berta GmbH", "Cäsar KG"]
    for key in ("phone", "status", "next_follow_up", "inactivity", "owner"):
        for desc in (False, True):
            assert sorted(_ids(db, sort=key, descending=desc)) == sorted(_ids(db))


def test_sort_by_next_follow_up_and_inactivity(world, db):
    soon = world.in_campaign("Bald")
    later = world.in_campaign("Später")
    plain = world.record("Ohne")
    row = next(r for r in _rows(db) if r.id == soon)
    fu_id = _open_follow_up(db, soon)
    world.sales.update_follow_up(fu_id, expected_version=1, due_date=world.today)
    # Ascending: soonest first, records without a follow-up last.
    assert _ids(db, sort="next_follow_up") == [soon, later, plain]
    assert _ids(db, sort="next_follow_up", descending=True)[-1] == plain
    # Inactivity ascending = most inactive first; "never" is the most inactive.
    old = world.record("Alt")
    world.sales.log_activity(
        LogActivity(
            record_id=old, subject="Telefonat", occurred_at=world.clock.now() - timedelta(days=3)
        )
    )
    assert _ids(db, sort="inactivity") == [plain, old, soon, later]
    assert _ids(db, sort="inactivity", descending=True) == [later, soon, old, plain]
    assert row.status == "Lead" and row.campaign == "Neukunden"


def _open_follow_up(db, record_id: int) -> int:
    with db.read() as s:
        detail = record_detail(s, record_id)
    assert detail is not None
    return detail.follow_ups[0].id


def test_filters_campaign_status_owner_team(world, db):
    in_campaign = world.in_campaign("Kampagne")
    other_team = world.in_campaign("Süden", owner=world.other)
    mine = world.record("Nur Stammdaten")
    assert set(_ids(db, campaign_id=world.campaign_id)) == {in_campaign, other_team}
    assert _ids(db, status_id=world.status["Kontaktiert"]) == []
    assert set(_ids(db, status_id=world.status["Lead"])) == {in_campaign, other_team}
    assert set(_ids(db, owner_id=world.sales_id)) == {in_campaign, mine}
    with db.read() as s:
        nord = next(t.id for t in lookups.teams(s) if t.name == "Nord")
        assert record_count(s, RecordCriteria(team_id=nord)) == 2
    assert set(_ids(db, team_id=nord, text="kampagne")) == {in_campaign}


def test_status_column_follows_campaign_filter_and_sorts_by_progress(world, db):
    a = world.in_campaign("A")
    b = world.in_campaign("B")
    fu = _open_follow_up(db, b)
    world.sales.log_activity(
        LogActivity(
            record_id=b,
            subject="Angerufen",
            completes=(fu,),
            status_changes={world.campaign_id: world.status["Kontaktiert"]},
            next_follow_up=NextFollowUp(world.today + timedelta(days=3)),
        )
    )
    rows = {r.id: r for r in _rows(db, campaign_id=world.campaign_id)}
    assert rows[b].status == "Kontaktiert"
    assert rows[a].status == "Lead"
    assert rows[a].status_color is not None
    assert _ids(db, sort="status", campaign_id=world.campaign_id) == [a, b]
    assert _ids(db, sort="status", descending=True) == [b, a]


def test_record_detail_has_contacts_memberships_follow_ups(world, db):
    rid = world.in_campaign("Detail GmbH")
    world.sales.add_contact(rid, ContactData(last_name="Zander", first_name="Ute"))
    world.sales.add_contact(rid, ContactData(last_name="Albers"))
    with db.read() as s:
        detail = record_detail(s, rid)
        assert record_detail(s, 999_999) is None
    assert detail is not None
    assert detail.name == "Detail GmbH" and detail.owner == "Sven Sales"
    assert [c.last_name for c in detail.contacts] == ["Albers", "Zander"]
    assert detail.contacts[1].full_name == "Ute Zander"
    assert [(mm.campaign, mm.status) for mm in detail.memberships] == [("Neukunden", "Lead")]
    assert len(detail.follow_ups) == 1
    fu = detail.follow_ups[0]
    assert fu.assignee == "Sven Sales" and fu.source_subject is not None
    assert detail.next_follow_up == fu.due_date


def test_lookups(world, db):
    with db.read() as s:
        data = lookups.load(s)
    assert {u.display_name for u in data.users} >= {"Sven Sales", "Susi Süd"}
    assert {t.name for t in data.teams} == {"Nord", "Süd"}
    campaign = data.campaign(world.campaign_id)
    assert campaign is not None
    assert [st.name for st in campaign.statuses][:2] == ["Lead", "Kontaktiert"]
    assert data.status(world.status["Kunde"]).is_final
    assert "Telefonat" in {t.name for t in data.activity_types}


def test_saved_searches_save_overwrite_list_delete(world, db):
    criteria = RecordCriteria(text="müller", campaign_id=world.campaign_id, sort="city")
    first = save_search(world.sales, "Müller in Köln", criteria.to_dict())
    assert first.ids(Entity.SAVED_SEARCH) == {first.result_id}
    again = save_search(world.sales, " Müller in Köln ", {"text": "x", "descending": True})
    assert again.result_id == first.result_id
    save_search(world.other, "Fremd", {})
    with db.read() as s:
        mine = saved_searches(s, world.sales_id)
    assert [(r.name, r.criteria) for r in mine] == [
        ("Müller in Köln", RecordCriteria(text="x", descending=True))
    ]
    with pytest.raises(DomainError) as refused:
        delete_search(world.other, first.result_id)
    assert refused.value.rule_id == "input.not_found"
    delete_search(world.sales, first.result_id)
    with db.read() as s:
        assert saved_searches(s, world.sales_id) == ()


@pytest.mark.parametrize(
    ("name", "criteria", "rule"),
    [
        ("  ", {}, "input.required"),
        ("x" * 101, {}, "input.too_long"),
        ("ok", {"text": object()}, "input.invalid"),
        ("ok", {"text": "y" * 5000}, "input.too_long"),
    ],
)
def test_saved_search_refusals_write_nothing(world, db, name, criteria, rule):
    with pytest.raises(DomainError) as refused:
        save_search(world.sales, name, criteria)
    assert refused.value.rule_id == rule
    with db.read() as s:
        assert saved_searches(s, world.sales_id) == ()


def test_saved_search_is_audited(world, db):
    from sqlalchemy import select

    from akquise_desktop import models as m

    sid = save_search(world.sales, "Audit", {"text": "a"}).result_id
    with db.read() as s:
        ops = list(
            s.scalars(select(m.AuditEntry.operation).where(m.AuditEntry.entity == "saved_search"))
        )
    assert ops == ["save_search"]
    assert sid is not None


def test_criteria_from_dict_drops_garbage():
    crit = RecordCriteria.from_dict(
        {"text": "a", "sort": "nope", "owner_id": "3", "team_id": True, "campaign_id": 4, "x": 1}
    )
    assert crit == RecordCriteria(text="a", campaign_id=4)
    assert RecordCriteria(text="a").filtered and not RecordCriteria(sort="city").filtered
    assert RecordCriteria.from_dict(RecordCriteria(owner_id=2, sort="owner").to_dict()) == (
        RecordCriteria(owner_id=2, sort="owner")
    )


# --- keyset paging (record_page) ---------------------------------------------------------


def _page_through(db, criteria: RecordCriteria, limit: int) -> list[int]:
    """Every row of the list, page by page, as the view scrolls it."""
    found: list[int] = []
    after = None
    with db.read() as s:
        for _ in range(100):
            page = record_pages.record_page(s, criteria, after, limit)
            assert len(page.rows) <= limit
            found.extend(r.id for r in page.rows)
            if len(page.rows) < limit:
                return found
            after = page.rows[-1].key
    raise AssertionError("paging did not end")


@pytest.fixture
def varied(world, db):
    """Records with ties and NULLs in every sort column."""
    names = ["Meyer", "meyer", "Müller", "Mann & Co", "Zeta", "alpha", "Meyer", "Moos", "Berg"]
    ids = []
    for n, name in enumerate(names):
        rid = world.sales.create_record(
            RecordData(
                name=name,
                city=None if n % 3 == 0 else ("Köln" if n % 2 else "Bonn"),
                phone=None if n % 4 == 0 else f"0221 {n % 3}",
            )
        ).result_id
        ids.append(rid)
    for n in (1, 4, 6):
        world.sales.assign_to_campaign(
            ids[n], world.campaign_id, next_follow_up=NextFollowUp(world.today + timedelta(days=n))
        )
    world.sales.add_contact(ids[8], ContactData(last_name="Mertens", first_name="Ida"))
    other = world.in_campaign("Mittel KG", owner=world.other)
    return [*ids, other]


@pytest.mark.parametrize("path", ["small-result", "dense", "dense-narrow-window"])
def test_record_page_pages_through_exactly_the_sorted_result(varied, db, monkeypatch, path):
    if path != "small-result":  # every search counts as big: the sort order is walked
        monkeypatch.setattr(record_pages.limits, "SMALL_RESULT", 1)
        monkeypatch.setattr(record_pages.limits, "LARGE_RESULT", 1)
    if path == "dense-narrow-window":  # pages not filled in the window: all sorted
        monkeypatch.setattr(record_pages.limits, "PROBE_WINDOW", 2)
    criterias = [RecordCriteria(sort=key, descending=desc) for key in record_pages.SORT_KEYS
                 for desc in (False, True)]  # fmt: skip
    criterias += [
        RecordCriteria(text="m"),
        RecordCriteria(text="m", sort="city", descending=True),
        RecordCriteria(text="me", sort="phone"),
        RecordCriteria(text="mer"),  # a contact person's name
        RecordCriteria(text="meyer köln"),
        RecordCriteria(text="m 02", sort="next_follow_up"),
        RecordCriteria(campaign_id=_campaign(db)),
        RecordCriteria(campaign_id=_campaign(db), sort="next_follow_up", descending=True),
        RecordCriteria(campaign_id=_campaign(db), owner_id=_owner(db), sort="city"),
        RecordCriteria(status_id=_status(db), sort="phone"),
        RecordCriteria(status_id=_status(db), descending=True),
        RecordCriteria(text="e", campaign_id=_campaign(db), sort="status"),
        RecordCriteria(text="zzz"),
    ]
    for criteria in criterias:
        expected = _ids(db, **criteria.__dict__)
        for limit in (1, 2, 3, 100):
            assert _page_through(db, criteria, limit) == expected, (criteria, limit)


def _campaign(db) -> int:
    with db.read() as s:
        return lookups.campaigns(s)[0].id


def _status(db) -> int:
    """The status most records are in."""
    with db.read() as s:
        mem = m.CampaignMembership
        return s.scalars(
            select(mem.status_id).group_by(mem.status_id).order_by(func.count().desc()).limit(1)
        ).one()


def _owner(db) -> int:
    with db.read() as s:
        return s.scalars(select(m.Record.owner_id).where(m.Record.owner_id.is_not(None))).first()


def test_record_page_counts_a_small_result_and_record_total_caps(varied, db, monkeypatch):
    with db.read() as s:
        page = record_pages.record_page(s, RecordCriteria(text="meyer"))
        assert page.count == record_pages.RecordCount(3, exact=True)
        assert record_pages.record_total(s, RecordCriteria()) == record_pages.RecordCount(
            len(varied), exact=True
        )
        monkeypatch.setattr(record_pages.limits, "COUNT_CAP", 4)
        assert record_pages.record_total(s, RecordCriteria(text="m")) == record_pages.RecordCount(
            4, exact=False
        )
        assert record_pages.record_total(
            s, RecordCriteria(text="meyer")
        ) == record_pages.RecordCount(3, exact=True)


@pytest.mark.parametrize("sort", ["name", "city", "phone", "next_follow_up", "inactivity"])
@pytest.mark.parametrize("descending", [False, True])
def test_list_sort_orders_are_read_from_an_index(db, sort, descending):
    """The list's order by these columns comes from an index, instead of a sort
    of every record (the query plan, on both databases; the page statement
    itself is timed on the full data set by the benchmark)."""
    from sqlalchemy import select

    from akquise_desktop import models as m

    order = record_pages.criteria._order(RecordCriteria(sort=sort, descending=descending))
    statement = select(m.Record.id).order_by(*order).limit(100)
    with db.read() as s:
        conn = s.connection()
        sql = str(statement.compile(conn, compile_kwargs={"literal_binds": True}))
        if db.is_sqlite:
            # The statement's own steps (parent 0), not its per-row subqueries';
            # a tie-break sorted within equal values ("RIGHT PART") is fine.
            plan = [r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql) if r[1] == 0]
            assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan
        else:
            # Tiny test tables: make the planner show whether an index can give the order.
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            conn.exec_driver_sql("SET LOCAL enable_sort = off")
            plan = [r[0].strip() for r in conn.exec_driver_sql("EXPLAIN " + sql)]
            main = plan[: next((n for n, line in enumerate(plan) if "SubPlan" in line), None)]
            full_sorts = [line for line in main if line.startswith(("Sort  (", "->  Sort  ("))]
            assert not full_sorts, "\n".join(plan)


@pytest.fixture
def owners(world, db):
    """Records of two account managers of one name, of others, and of none;
    some in two campaigns (the status column shows the newer active one)."""
    admin = world.admin
    twins = [
        admin.create_user(login, "Anna Berg", role_group_id=_sales_group(db)).result_id
        for login in ("berg1", "berg2")
    ]
    ids = []
    for n in range(14):
        owner = [twins[0], twins[1], world.sales_id, world.other_id][n % 4]
        rid = world.admin.create_record(RecordData(name=f"Firma {n % 5}", owner_id=owner)).result_id
        ids.append(rid)
        if n % 3:
            world.admin.assign_to_campaign(
                rid, world.campaign_id, next_follow_up=NextFollowUp(world.today)
            )
    second = world.admin.create_campaign("Bestand", STATUSES).result_id
    for rid in ids[::4]:
        world.admin.assign_to_campaign(rid, second, next_follow_up=NextFollowUp(world.today))
    with db.write() as s:  # account manager gone (no owner): only the database does this
        s.execute(update(m.Record).where(m.Record.id.in_(ids[5:8])).values(owner_id=None))
    return ids


def _sales_group(db) -> int:
    with db.read() as s:
        return s.scalars(select(m.User.role_group_id).where(m.User.login == "sales")).one()


@pytest.mark.parametrize("path", ["small-groups", "walked", "walked-narrow-window"])
def test_grouped_sorts_page_through_exactly_the_sorted_result(owners, world, db, monkeypatch, path):
    """Sorted by account manager or status, a page goes group by group (ties of
    two managers' names, records without one, records in two campaigns); every
    way a group is read gives the one order of the whole sorted list."""
    if path != "small-groups":
        monkeypatch.setattr(record_pages.limits, "SMALL_RESULT", 1)
    if path == "walked-narrow-window":
        monkeypatch.setattr(record_pages.limits, "PROBE_WINDOW", 2)
    with db.read() as s:
        team = s.scalars(select(m.User.team_id).where(m.User.id == world.sales_id)).one()
    for sort in ("owner", "status"):
        for descending in (False, True):
            for extra in ({}, {"text": "firma"}, {"campaign_id": world.campaign_id},
                          {"owner_id": world.sales_id}, {"team_id": team},
                          {"status_id": world.status["Lead"]}):  # fmt: skip
                criteria = RecordCriteria(sort=sort, descending=descending, **extra)
                expected = _ids(db, **criteria.__dict__)
                assert expected or "owner_id" in extra or "team_id" in extra
                for limit in (1, 2, 3, 100):
                    assert _page_through(db, criteria, limit) == expected, (criteria, limit)


def test_a_renamed_account_manager_between_pages_continues_after_the_old_name(owners, db):
    """The group of the last row shown is gone when the next page is read (its
    manager renamed): the list goes on from where the old name stood, in the new
    order — here everything, as "Zora Zorn" now sorts after the other names."""
    criteria = RecordCriteria(sort="owner")
    with db.read() as s:
        first = record_pages.record_page(s, criteria, None, 2)
    assert [r.owner for r in first.rows] == ["Anna Berg"] * 2
    with db.write() as s:
        s.execute(
            update(m.User)
            .where(m.User.login.in_(["berg1", "berg2"]))
            .values(display_name="Zora Zorn")
        )
    rest: list[int] = []
    after = first.rows[-1].key
    with db.read() as s:
        while True:
            page = record_pages.record_page(s, criteria, after, 3)
            rest += [r.id for r in page.rows]
            if len(page.rows) < 3:
                break
            after = page.rows[-1].key
    assert rest == _ids(db, sort="owner")


def test_a_renamed_last_group_ends_the_list(owners, world, db):
    """No group follows the old name any more, and the filter leaves no records
    without a manager: the list ends (the renamed group lies before it now)."""
    criteria = RecordCriteria(sort="owner", owner_id=world.sales_id)
    with db.read() as s:
        first = record_pages.record_page(s, criteria, None, 2)
    assert [r.owner for r in first.rows] == ["Sven Sales"] * 2
    with db.write() as s:
        s.execute(
            update(m.User).where(m.User.id == world.sales_id).values(display_name="Aaron Alt")
        )
    with db.read() as s:
        assert record_pages.record_page(s, criteria, first.rows[-1].key, 2).rows == []
