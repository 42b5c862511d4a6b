from akquise_desktop.queries.invariants import check_invariants

from .factories import make_world


def test_world_builds_and_holds_invariants(db):
    world = make_world(db)
    world.in_campaign()
    with db.read() as s:
        assert check_invariants(s) == []
