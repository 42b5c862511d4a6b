"""Deterministic, realistic German demo data, written through the controller.

Every record, activity, status change and follow-up goes through the same
controller calls a user's input does, so the data obeys the chain rules by
construction; the invariant check confirms it afterwards. The history is
played forward in time with a simulated clock, ending today.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from akquise_desktop import models as m
from akquise_desktop.controller import (
    ContactData,
    Controller,
    LogActivity,
    NextFollowUp,
    RecordData,
    RoleGroupData,
    StatusSpec,
    bootstrap,
)
from akquise_desktop.core.changes import Entity
from akquise_desktop.core.clock import SYSTEM_CLOCK, Clock, FixedClock
from akquise_desktop.models import Module, Priority, Scope
from akquise_desktop.storage import Database

SURNAMES = [
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder",
    "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange",
    "Schmitt", "Werner", "Schmitz", "Krause", "Meier", "Lehmann", "Köhler", "Huber", "Kaiser",
    "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Vogel", "Keller",
]  # fmt: skip
FIRST_NAMES = [
    ("Herr", "Thomas"), ("Herr", "Michael"), ("Herr", "Andreas"), ("Herr", "Stefan"),
    ("Herr", "Markus"), ("Herr", "Jens"), ("Herr", "Jan"), ("Herr", "Tobias"), ("Herr", "Lukas"),
    ("Frau", "Sabine"), ("Frau", "Claudia"), ("Frau", "Andrea"), ("Frau", "Petra"),
    ("Frau", "Julia"), ("Frau", "Anna"), ("Frau", "Katharina"), ("Frau", "Laura"),
    ("Frau", "Nicole"), ("Frau", "Birgit"), ("Herr", "Florian"), ("Frau", "Miriam"),
]  # fmt: skip
TRADES = [
    ("Maschinenbau", "Maschinenbau"), ("Elektrotechnik", "Elektrotechnik"),
    ("Logistik", "Logistik"), ("Haustechnik", "Handwerk"), ("Metallbau", "Handwerk"),
    ("Druckerei", "Druck & Medien"), ("Software", "IT"), ("IT-Service", "IT"),
    ("Autohaus", "Automobil"), ("Steuerberatung", "Beratung"), ("Gartenbau", "Handwerk"),
    ("Holzbau", "Handwerk"), ("Kunststofftechnik", "Industrie"), ("Medizintechnik", "Gesundheit"),
    ("Lebensmittel", "Handel"), ("Baustoffe", "Handel"), ("Verpackung", "Industrie"),
]  # fmt: skip
LEGAL = ["GmbH", "GmbH", "GmbH & Co. KG", "AG", "KG", "e.K.", "OHG"]
CITIES = [
    ("Köln", "50667", "0221"), ("Düsseldorf", "40213", "0211"), ("Dortmund", "44135", "0231"),
    ("Essen", "45127", "0201"), ("Münster", "48143", "0251"), ("Bielefeld", "33602", "0521"),
    ("Hamburg", "20095", "040"), ("Bremen", "28195", "0421"), ("Hannover", "30159", "0511"),
    ("Berlin", "10115", "030"), ("Leipzig", "04109", "0341"), ("Dresden", "01067", "0351"),
    ("München", "80331", "089"), ("Nürnberg", "90402", "0911"), ("Stuttgart", "70173", "0711"),
    ("Frankfurt am Main", "60311", "069"), ("Mannheim", "68159", "0621"),
    ("Karlsruhe", "76133", "0721"), ("Freiburg im Breisgau", "79098", "0761"),
    ("Augsburg", "86150", "0821"), ("Aachen", "52062", "0241"), ("Kassel", "34117", "0561"),
]  # fmt: skip
STREETS = [
    "Hauptstraße", "Bahnhofstraße", "Industriestraße", "Gewerbering", "Am Markt", "Lindenweg",
    "Schillerstraße", "Goethestraße", "Mühlenweg", "Kirchplatz", "Hafenstraße", "Im Gewerbepark",
]  # fmt: skip
POSITIONS = [
    "Geschäftsführung", "Einkauf", "Einkaufsleitung", "Vertrieb", "Technische Leitung",
    "Assistenz der Geschäftsführung", "IT-Leitung", "Buchhaltung", "Inhaber/in",
]  # fmt: skip
SUBJECTS = {
    "Telefonat": ["Erstgespräch", "Rückruf", "Nachfassen Angebot", "Bedarf geklärt",
                  "Termin vereinbart", "Kurz nachgehakt", "Zufriedenheit abgefragt"],
    "E-Mail": ["Unterlagen zugesandt", "Angebot per E-Mail", "Rückfrage beantwortet",
               "Referenzen geschickt", "Terminbestätigung"],
    "Besuch": ["Termin vor Ort", "Produktvorführung", "Werksbesichtigung", "Jahresgespräch"],
    "Termin": ["Online-Präsentation", "Workshop Anforderungen", "Verhandlungstermin"],
    "Brief": ["Infomaterial per Post", "Weihnachtskarte", "Vertrag versandt"],
    "Notiz": ["Interne Notiz", "Info von Kollegen", "Messegespräch"],
}  # fmt: skip
NOTES = [
    "- Bedarf: {n} Arbeitsplätze\n- Entscheider: {c}\n- Budget für Q{q} eingeplant",
    "- Interesse an Wartungsvertrag\n- Preisliste gewünscht\n- Wettbewerber: {w}",
    "- {c} war im Urlaub, Vertretung erreicht\n- Rückruf erbeten",
    "- Angebot liegt beim Einkauf\n- Entscheidung bis Ende des Monats\n- Rabatt angefragt",
    "- Sehr zufrieden mit der Lieferung\n- Folgeauftrag möglich ({n} Stück)",
    "- Termin vor Ort bestätigt\n- Ansprechpartner: {c}\n- Muster mitbringen",
    "- Kein aktueller Bedarf\n- in {q} Monaten erneut melden",
]  # fmt: skip
INSTRUCTIONS = [
    "Angebot nachfassen", "Infomaterial schicken", "Termin bestätigen", "Zurückrufen",
    "Zufriedenheit abfragen", "Muster versenden", "Entscheidung erfragen",
    "Ansprechpartner im Einkauf anrufen", "Preisliste zusenden", "Referenzbesuch anbieten",
]  # fmt: skip
COMPETITORS = ["Pipedrive", "Odoo", "Salesforce", "eine Excel-Liste", "einen Wettbewerber"]
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})  # for the addresses

TEAMS = ["Vertrieb Nord", "Vertrieb Süd", "Innendienst"]
USERS = [  # login, name, team index, role group key
    ("kbecker", "Katrin Becker", 0, "admin"),
    ("tschulz", "Tobias Schulz", 0, "sales"),
    ("afischer", "Anna Fischer", 0, "sales"),
    ("mwagner", "Markus Wagner", 1, "sales"),
    ("jhoffmann", "Julia Hoffmann", 1, "sales"),
    ("sneumann", "Stefan Neumann", 1, "sales"),
    ("lkeller", "Laura Keller", 2, "office"),
    ("fbraun", "Florian Braun", 2, "office"),
]
CAMPAIGNS = [
    (
        "Neukundengewinnung",
        [
            StatusSpec("Lead", "#9E9E9E", 5, next=("Erstkontakt", "Kein Interesse"), is_start=True),
            StatusSpec("Erstkontakt", "#42A5F5", 15, next=("Bedarfsanalyse", "Kein Interesse",
                                                            "Wünscht keinen Kontakt")),
            StatusSpec("Bedarfsanalyse", "#26A69A", 35, next=("Angebot", "Kein Interesse")),
            StatusSpec("Angebot", "#FFA726", 60, next=("Verhandlung", "Kunde", "Kein Interesse")),
            StatusSpec("Verhandlung", "#EF6C00", 80, next=("Kunde", "Angebot", "Kein Interesse")),
            StatusSpec("Kunde", "#2E7D32", 100, is_final=True),
            StatusSpec("Kein Interesse", "#B71C1C", 0, is_final=True, next=("Lead",)),
            StatusSpec("Wünscht keinen Kontakt", "#4A148C", 0, is_final=True),
        ],
    ),
    (
        "Bestandskundenpflege",
        [
            StatusSpec("Aktiv", "#66BB6A", 50, next=("Cross-Selling", "Gefährdet"), is_start=True),
            StatusSpec("Cross-Selling", "#29B6F6", 70, next=("Aktiv", "Gefährdet")),
            StatusSpec("Gefährdet", "#FF7043", 30, next=("Aktiv", "Verloren")),
            StatusSpec("Verloren", "#616161", 0, is_final=True, next=("Aktiv",)),
        ],
    ),
    (
        "Messe Hannover 2026",
        [
            StatusSpec("Eingeladen", "#AB47BC", 10, next=("Zugesagt", "Abgesagt"), is_start=True),
            StatusSpec("Zugesagt", "#7E57C2", 60, next=("Besucht", "Abgesagt")),
            StatusSpec("Besucht", "#2E7D32", 100, is_final=True),
            StatusSpec("Abgesagt", "#757575", 0, is_final=True),
        ],
    ),
]  # fmt: skip


@dataclass(frozen=True)
class DemoResult:
    records: int
    activities: int
    follow_ups_open: int
    admin_user_id: int


def generate(
    db: Database,
    records: int = 300,
    *,
    seed: int = 1,
    today: date | None = None,
    clock: Clock = SYSTEM_CLOCK,
    progress: Callable[[int, int], None] | None = None,
) -> DemoResult:
    """Fill an empty (schema-current) database with ``records`` demo records."""
    rng = random.Random(seed)
    # The history ends now by ``clock`` (or at 17:00 UTC of a given day), never
    # in the future.
    now = datetime.combine(today, time(17, 0), tzinfo=UTC) if today else clock.now()
    with db.read() as s:
        if s.scalar(select(func.count()).select_from(m.Record)):
            raise ValueError("Die Datenbank enthält schon Datensätze; Demodaten nur in eine leere.")
    clock = FixedClock(now - timedelta(days=730))
    admin_id = bootstrap(db, USERS[0][0], USERS[0][1])
    admin = Controller(db, admin_id, clock=clock)
    groups = _role_groups(db, admin)
    team_ids = [admin.create_team(t).result_id for t in TEAMS]
    user_ids = [admin_id]
    with db.write() as s:
        first = s.get(m.User, admin_id)
        assert first is not None  # just created by bootstrap
        first.team_id = team_ids[0]
        first.email = first.email or "k.becker@example.com"  # (keeps a first run's e-mail)
        taken = {login: uid for uid, login in s.execute(select(m.User.id, m.User.login))}
    for login, name, team, group in USERS[1:]:
        if login in taken:  # the first run's administrator has a demo login
            user_ids.append(taken[login])
            continue
        user_id = admin.create_user(
            login,
            name,
            role_group_id=groups[group],
            team_id=team_ids[team],
            email=f"{login[0]}.{login[1:]}@example.com",
        ).result_id
        assert user_id is not None
        user_ids.append(user_id)
    users = {uid: Controller(db, uid, clock=clock) for uid in user_ids}
    # Who may act on a record of each owner: the same team, the office, the admin.
    team_of = {uid: USERS[k][2] for k, uid in enumerate(user_ids)}
    helpers = {
        owner: [u for u in user_ids if team_of[u] == team_of[owner] or USERS[user_ids.index(u)][3]
                in ("admin", "office")]
        for owner in user_ids
    }  # fmt: skip
    campaigns = [_create_campaign(db, admin, name, specs) for name, specs in CAMPAIGNS]
    with db.read() as s:
        types = {t.name: t.id for t in s.scalars(select(m.ActivityType))}
    counts = {"activities": 0}
    office_ids = {uid for k, uid in enumerate(user_ids) if USERS[k][3] == "office"}
    for i in range(records):
        owner = user_ids[rng.randrange(1, len(user_ids))] if i % 9 else admin_id
        ctx = _Context(users, campaigns, types, clock, now, counts, office_ids)
        _one_record(rng, i, ctx, owner, helpers[owner])
        if progress:
            progress(i + 1, records)
    with db.read() as s:
        open_count = s.scalar(
            select(func.count()).select_from(m.FollowUp).where(m.FollowUp.state == "open")
        )
    return DemoResult(records, counts["activities"], open_count or 0, admin_id)


def _role_groups(db: Database, admin: Controller) -> dict[str, int]:
    with db.read() as s:
        ids = {g.name: g.id for g in s.scalars(select(m.RoleGroup))}
    office_rights = {Module.RECORDS: Scope.ALL, Module.CONTACTS: Scope.ALL,
                     Module.ACTIVITIES: Scope.ALL, Module.STATISTICS: Scope.TEAM}  # fmt: skip
    office = admin.create_role_group(
        RoleGroupData("Innendienst", activity_requires_follow_up=False, rights=office_rights)
    ).result_id
    assert office is not None
    return {"admin": ids["Administratoren"], "sales": ids["Vertrieb"], "office": office}


@dataclass
class _Campaign:
    id: int
    name: str
    start: int
    statuses: dict[int, tuple[str, bool, list[int]]]  # id -> (name, final, next ids)


def _create_campaign(db: Database, admin: Controller, name: str, specs) -> _Campaign:
    with db.read() as s:  # a first run's campaign template of the same name is used
        cid = s.scalar(select(m.Campaign.id).where(m.Campaign.name == name))
    if cid is None:
        cid = admin.create_campaign(name, specs).result_id
    assert cid is not None
    with db.read() as s:
        statuses = {}
        start = 0
        for st in s.scalars(select(m.CampaignStatus).where(m.CampaignStatus.campaign_id == cid)):
            statuses[st.id] = (st.name, st.is_final, [n.id for n in st.next_statuses])
            if st.is_start:
                start = st.id
    return _Campaign(cid, name, start, statuses)


BERLIN = ZoneInfo("Europe/Berlin")


def _office_hours(at: datetime, rng: random.Random, latest: datetime) -> datetime:
    """``at`` moved to a weekday between 8:00 and 18:00 Berlin time, not after ``latest``."""
    local = at.astimezone(BERLIN)
    while local.weekday() >= 5:
        local -= timedelta(days=1)
    local = local.replace(
        hour=rng.randint(8, 17), minute=rng.choice([0, 10, 15, 30, 45, 50]), second=0, microsecond=0
    )
    result = local.astimezone(UTC)
    if result > latest:
        result = latest - timedelta(minutes=rng.randint(5, 120))
    return result


@dataclass
class _Context:
    users: dict[int, Controller]
    campaigns: list[_Campaign]
    types: dict[str, int]
    clock: FixedClock
    now: datetime
    counts: dict[str, int]
    office_ids: set[int]


def _one_record(rng: random.Random, i: int, ctx: _Context, owner: int, colleagues: list[int]):
    users, campaigns, types, clock, now = ctx.users, ctx.campaigns, ctx.types, ctx.clock, ctx.now
    ctl = users[owner]
    surname = rng.choice(SURNAMES)
    trade, industry = rng.choice(TRADES)
    city, plz, area = rng.choice(CITIES)
    is_person = rng.random() < 0.08
    name = (
        f"{rng.choice(FIRST_NAMES)[1]} {surname}"
        if is_person
        else f"{surname} {trade} {rng.choice(LEGAL)}"
    )
    slug = f"{surname.lower().translate(UMLAUTS)}"
    history_days = rng.choice([30, 90, 180, 365, 540, 700])
    clock.set(now - timedelta(days=history_days, hours=rng.randint(0, 8)))
    record_id = ctl.create_record(
        RecordData(
            name=name,
            kind=m.RecordKind.PERSON if is_person else m.RecordKind.COMPANY,
            street=f"{rng.choice(STREETS)} {rng.randint(1, 140)}",
            postal_code=plz,
            city=city,
            phone=f"{area} {rng.randint(100000, 9999999)}",
            email=f"info@{slug}-{i}.example" if not is_person else f"{slug}{i}@example.com",
            website=None if is_person else f"https://www.{slug}-{i}.example",
            industry=industry,
            owner_id=owner,
        )
    ).result_id
    assert record_id is not None
    contacts = []
    for _ in range(0 if is_person else rng.choice([1, 1, 2, 2, 3])):
        salutation, first = rng.choice(FIRST_NAMES)
        contacts.append(
            ctl.add_contact(
                record_id,
                ContactData(
                    last_name=rng.choice(SURNAMES),
                    first_name=first,
                    salutation=salutation,
                    position=rng.choice(POSITIONS),
                    phone=f"{area} {rng.randint(100000, 999999)}",
                    email=f"{first.lower()}@{slug}-{i}.example",
                ),
            ).result_id
        )
    n_activities = min(int(rng.paretovariate(1.3)) + 1, 40)
    roll = rng.random()
    campaign = campaigns[0] if roll < 0.6 else campaigns[1] if roll < 0.85 else None
    if roll > 0.95:
        campaign = campaigns[2]
    # Activity times, oldest first, ending up to 40 days ago.
    start = clock.now()
    last = _office_hours(now - timedelta(days=rng.randint(0, 40)), rng, now)
    span = max((last - start).total_seconds(), 3600)
    times = sorted(
        _office_hours(start + timedelta(seconds=rng.uniform(0, span)), rng, last)
        for _ in range(n_activities - 1)
    )
    times.append(last)
    open_fu: list[int] = []
    status = None

    def next_fu(at: datetime, final: bool) -> NextFollowUp | None:
        is_last = at == last
        if final and rng.random() < 0.7:
            return None
        if is_last:
            due = now.date() + timedelta(days=rng.randint(-12, 35))
        else:
            due = at.date() + timedelta(days=rng.randint(1, 30))
        due = max(due, at.date())
        recurring = final and rng.random() < 0.5
        return NextFollowUp(
            due_date=due,
            due_time=time(rng.choice([9, 10, 11, 14, 15, 16]), 0) if rng.random() < 0.3 else None,
            assignee_id=owner if rng.random() < 0.85 else rng.choice(colleagues),
            priority=rng.choice([Priority.NORMAL] * 6 + [Priority.HIGH, Priority.TIME_CRITICAL]),
            instruction="Zufriedenheit abfragen" if recurring else rng.choice(INSTRUCTIONS),
            recurrence="FREQ=MONTHLY;INTERVAL=6" if recurring else None,
        )

    for k, at in enumerate(times):
        clock.set(at)
        actor = users[owner] if rng.random() < 0.8 else users[rng.choice(colleagues)]
        changes: dict[int, int] = {}
        final = False
        if campaign is not None:
            if status is None:
                status = campaign.start
                changes = {campaign.id: status}
            elif campaign.statuses[status][2] and rng.random() < 0.45:
                nxt = campaign.statuses[status][2]
                # The default next status most often; later statuses as history grows.
                status = nxt[0] if rng.random() < 0.7 or k < 2 else rng.choice(nxt)
                changes = {campaign.id: status}
            final = campaign.statuses[status][1]
        type_name = rng.choice(["Telefonat"] * 5 + ["E-Mail"] * 3 + ["Besuch", "Termin", "Brief",
                                                                       "Notiz"])  # fmt: skip
        follow_up = next_fu(at, final)
        if follow_up is None and not final and campaign is not None:
            follow_up = NextFollowUp(due_date=at.date() + timedelta(days=7))
        # The office team (policy off) sometimes forgets the next follow-up.
        office_forgets = (
            actor.user_id in ctx.office_ids and at == last and not final and rng.random() < 0.15
        )
        if office_forgets:
            follow_up = None
        contact = rng.choice(contacts) if contacts and rng.random() < 0.8 else None
        c_name = "die Geschäftsführung" if contact is None else "der Ansprechpartner"
        text = rng.choice(NOTES).format(
            n=rng.randint(3, 80), c=c_name, q=rng.randint(1, 4), w=rng.choice(COMPETITORS)
        )
        completes = tuple(open_fu)
        summary = actor.log_activity(
            LogActivity(
                record_id=record_id,
                subject=rng.choice(SUBJECTS[type_name]),
                text=text,
                type_id=types[type_name],
                occurred_at=at,
                duration_minutes=rng.choice([None, 5, 10, 15, 30, 60, 90]),
                contact_id=contact,
                completes=completes,
                status_changes=changes,
                next_follow_up=follow_up,
            )
        )
        ctx.counts["activities"] += 1
        open_fu = sorted(summary.created.get(Entity.FOLLOW_UP, frozenset()))
