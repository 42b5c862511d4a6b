"""A large, deterministic data set: a mid-sized sales team's database after ten years.

At factor 1.0: 100,000 records, 250,000 contact persons, 2,000,000 activities,
1,500,000 done and 150,000 open follow-ups (some of them recurring series),
50 users in 6 teams, 5 campaigns with 6–10 statuses each. Every count scales
with the factor (``generate_large(db, factor=0.01)`` for tests); users, teams
and campaigns stay the same.

How it is built:

* Users, teams, role groups, activity types and campaigns are created through
  the controller, as an administrator would.
* The history is *planned* in Python first (how many activities, contacts,
  done and open follow-ups each record gets, and each campaign membership's
  walk through its allowed next statuses), with exact totals, and then
  *written* record by record in bulk: ``executemany`` on SQLite, ``COPY`` on
  PostgreSQL. Ids are assigned here, so rows refer to each other without
  round trips; on PostgreSQL the sequences are moved past them afterwards.
* The plan follows the chain rules by construction: every status change is
  carried by an activity and goes to an allowed next status; memberships hold
  the latest status change; every follow-up has a source activity of its
  record; a done follow-up is completed by the record's next activity; an
  activity that sets no follow-up while the record has a live status (active
  campaign, non-final status) is logged by a user of the "Innendienst" role
  group, whose "no activity without a follow-up" policy is off; recurring
  series continue from the activity that completed the previous occurrence;
  ``Record.last_activity_at`` and ``next_follow_up_date`` are the derived values.

So :func:`akquise_desktop.queries.invariants.check_invariants` finds nothing,
except *dead records* (about 1.5 % of the live records): their last activity
was logged by an Innendienst user (policy off) who set no follow-up — the
defect the dead-records view exists to surface.

Realistic shape: activities per record are log-normal (median about 8, a
handful of key accounts with thousands), spread over up to ten years; open
follow-ups are due around today (about a third overdue, a tail into the next
months); names, cities and contact persons are German.
"""

from __future__ import annotations

import random
import sys
import time as wall
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from akquise_desktop import models as m
from akquise_desktop.controller import Controller, RoleGroupData, StatusSpec, bootstrap
from akquise_desktop.core.clock import FixedClock
from akquise_desktop.models import Module, Scope
from akquise_desktop.queries import search
from akquise_desktop.storage import Database

from .generator import COMPETITORS, FIRST_NAMES, INSTRUCTIONS, POSITIONS, STREETS, SUBJECTS

# --- sizes ---------------------------------------------------------------------------

FULL_RECORDS = 100_000
CONTACTS_PER_RECORD = 2.5
ACTIVITIES_PER_RECORD = 20
DONE_PER_RECORD = 15
OPEN_PER_RECORD = 1.5
MIN_RECORDS = 20
HISTORY_DAYS = 3650


@dataclass(frozen=True)
class Targets:
    """Exact row counts the generator writes."""

    records: int
    contacts: int
    activities: int
    done_follow_ups: int
    open_follow_ups: int

    @classmethod
    def scaled(cls, factor: float) -> Targets:
        if not (isinstance(factor, int | float) and 0 < factor <= 10):
            raise ValueError(f"Faktor {factor!r} ungültig: erlaubt ist 0 < Faktor ≤ 10.")
        records = max(MIN_RECORDS, round(FULL_RECORDS * factor))
        return cls(
            records=records,
            contacts=round(records * CONTACTS_PER_RECORD),
            activities=records * ACTIVITIES_PER_RECORD,
            done_follow_ups=records * DONE_PER_RECORD,
            open_follow_ups=round(records * OPEN_PER_RECORD),
        )


@dataclass(frozen=True)
class LargeResult:
    targets: Targets
    users: int
    teams: int
    campaigns: int
    recurring_series: int
    dead_records: int
    admin_user_id: int
    seconds: float
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase


Progress = Callable[[str, int, int], None]

# --- vocabulary ------------------------------------------------------------------------


def _split(text: str) -> list[str]:
    return text.split()


SURNAMES = _split(
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch "
    "Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann "
    "Hartmann Lange Schmitt Werner Schmitz Krause Meier Lehmann Köhler Huber Kaiser Fuchs "
    "Peters Lang Scholz Möller Weiß Jung Hahn Vogel Keller Günther Frank Berger Winkler Roth "
    "Beck Lorenz Baumann Franke Albrecht Schuster Simon Ludwig Böhm Winter Kraus Martin "
    "Schumacher Krämer Vogt Stein Jäger Otto Sommer Groß Seidel Heinrich Brandt Haas Schreiber "
    "Graf Schulte Dietrich Ziegler Kuhn Kühn Pohl Engel Horn Busch Bergmann Thomas Voigt Sauer "
    "Arnold Wolff Pfeiffer Ernst Hübner Kühne Kirchner Brinkmann Lindner Ebert Wilhelm Nowak"
)
EXTRA_FIRST_NAMES = [
    ("Herr", "Peter"), ("Herr", "Christian"), ("Herr", "Alexander"), ("Herr", "Daniel"),
    ("Herr", "Matthias"), ("Herr", "Frank"), ("Herr", "Sebastian"), ("Herr", "Dirk"),
    ("Herr", "Uwe"), ("Herr", "Oliver"), ("Herr", "Martin"), ("Herr", "Bernd"),
    ("Herr", "Philipp"), ("Herr", "Holger"), ("Herr", "Kai"), ("Herr", "Björn"),
    ("Frau", "Susanne"), ("Frau", "Stefanie"), ("Frau", "Melanie"), ("Frau", "Christina"),
    ("Frau", "Monika"), ("Frau", "Tanja"), ("Frau", "Kerstin"), ("Frau", "Sandra"),
    ("Frau", "Heike"), ("Frau", "Jessica"), ("Frau", "Lena"), ("Frau", "Sophie"),
    ("Frau", "Ute"), ("Frau", "Silke"), ("Frau", "Jana"), ("Frau", "Carina"),
]  # fmt: skip
PEOPLE = list(FIRST_NAMES) + EXTRA_FIRST_NAMES
PREFIXES = _split(
    "Nord Süd West Ost Alpen Rhein Elbe Main Isar Spree Weser Ruhr Mosel Tech Pro Inno Opti "
    "Multi Euro Inter Delta Meta Vario Bio Eco Sol Terra Aqua Data Net Log Hansa Ems Lahn Saar "
    "Neckar Harz Eifel Taunus Baltic"
)
SUFFIXES = _split(
    "tec tronic plan bau form systems med log soft werk data line star met trans mobil"
)
TRADES = [
    ("Maschinenbau", "Maschinenbau"), ("Elektrotechnik", "Elektrotechnik"),
    ("Logistik", "Logistik"), ("Haustechnik", "Handwerk"), ("Metallbau", "Handwerk"),
    ("Druckerei", "Druck & Medien"), ("Software", "IT"), ("IT-Service", "IT"),
    ("Autohaus", "Automobil"), ("Steuerberatung", "Beratung"), ("Gartenbau", "Handwerk"),
    ("Holzbau", "Handwerk"), ("Kunststofftechnik", "Industrie"), ("Medizintechnik", "Gesundheit"),
    ("Lebensmittel", "Handel"), ("Baustoffe", "Handel"), ("Verpackung", "Industrie"),
    ("Spedition", "Logistik"), ("Zahntechnik", "Gesundheit"), ("Werbeagentur", "Druck & Medien"),
    ("Sanitär", "Handwerk"), ("Elektro", "Handwerk"), ("Immobilien", "Immobilien"),
    ("Personalberatung", "Beratung"), ("Feinmechanik", "Industrie"), ("Catering", "Gastronomie"),
]  # fmt: skip
LEGAL = ["GmbH", "GmbH", "GmbH", "GmbH & Co. KG", "AG", "KG", "e.K.", "OHG", "UG"]
CITIES = [
    ("Köln", "50", "0221"), ("Düsseldorf", "40", "0211"), ("Dortmund", "44", "0231"),
    ("Essen", "45", "0201"), ("Münster", "48", "0251"), ("Bielefeld", "33", "0521"),
    ("Hamburg", "20", "040"), ("Bremen", "28", "0421"), ("Hannover", "30", "0511"),
    ("Berlin", "10", "030"), ("Leipzig", "04", "0341"), ("Dresden", "01", "0351"),
    ("München", "80", "089"), ("Nürnberg", "90", "0911"), ("Stuttgart", "70", "0711"),
    ("Frankfurt am Main", "60", "069"), ("Mannheim", "68", "0621"), ("Karlsruhe", "76", "0721"),
    ("Freiburg im Breisgau", "79", "0761"), ("Augsburg", "86", "0821"), ("Aachen", "52", "0241"),
    ("Kassel", "34", "0561"), ("Bonn", "53", "0228"), ("Wuppertal", "42", "0202"),
    ("Bochum", "44", "0234"), ("Duisburg", "47", "0203"), ("Kiel", "24", "0431"),
    ("Lübeck", "23", "0451"), ("Rostock", "18", "0381"), ("Magdeburg", "39", "0391"),
    ("Erfurt", "99", "0361"), ("Jena", "07", "03641"), ("Halle (Saale)", "06", "0345"),
    ("Potsdam", "14", "0331"), ("Braunschweig", "38", "0531"), ("Osnabrück", "49", "0541"),
    ("Oldenburg", "26", "0441"), ("Göttingen", "37", "0551"), ("Würzburg", "97", "0931"),
    ("Regensburg", "93", "0941"), ("Ingolstadt", "85", "0841"), ("Ulm", "89", "0731"),
    ("Heidelberg", "69", "06221"), ("Mainz", "55", "06131"), ("Wiesbaden", "65", "0611"),
    ("Darmstadt", "64", "06151"), ("Koblenz", "56", "0261"), ("Trier", "54", "0651"),
    ("Saarbrücken", "66", "0681"), ("Siegen", "57", "0271"), ("Paderborn", "33", "05251"),
    ("Gütersloh", "33", "05241"), ("Hildesheim", "31", "05121"), ("Wolfsburg", "38", "05361"),
    ("Chemnitz", "09", "0371"), ("Zwickau", "08", "0375"), ("Bayreuth", "95", "0921"),
    ("Passau", "94", "0851"), ("Rosenheim", "83", "08031"), ("Kempten", "87", "0831"),
    ("Konstanz", "78", "07531"), ("Reutlingen", "72", "07121"), ("Pforzheim", "75", "07231"),
    ("Offenburg", "77", "0781"), ("Fulda", "36", "0661"), ("Gießen", "35", "0641"),
]  # fmt: skip
TITLES = [None] * 18 + ["Dr.", "Prof. Dr."]
NOTES = [
    "- Bedarf: {n} Arbeitsplätze\n- Entscheider: {c}\n- Budget für Q{q} eingeplant",
    "- Interesse an Wartungsvertrag\n- Preisliste gewünscht\n- Wettbewerber: {w}",
    "- {c} war im Urlaub, Vertretung erreicht\n- Rückruf erbeten",
    "- Angebot liegt beim Einkauf\n- Entscheidung bis Ende des Monats\n- Rabatt angefragt",
    "- Sehr zufrieden mit der Lieferung\n- Folgeauftrag möglich ({n} Stück)",
    "- Termin vor Ort bestätigt\n- Ansprechpartner: {c}\n- Muster mitbringen",
    "- Kein aktueller Bedarf\n- in {q} Monaten erneut melden",
    "- Nicht erreicht, Mailbox\n- neuer Versuch",
    "- Unterlagen angekommen\n- Rückfragen zu Lieferzeiten ({n} Tage)",
    "- Rahmenvertrag läuft Ende Q{q} aus\n- Verlängerung besprechen",
    "- Reklamation erledigt\n- {c} zufrieden",
    "",
]  # fmt: skip
TYPE_WEIGHTS = {"Telefonat": 45, "E-Mail": 25, "Besuch": 7, "Termin": 8, "Brief": 5, "Notiz": 10}
DURATIONS = [None, None, 5, 10, 10, 15, 15, 30, 45, 60, 90]
DUE_TIMES = ["09:00", "09:30", "10:00", "11:00", "13:30", "14:00", "15:00", "16:00"]
GAPS = [0, 1, 1, 2, 3, 3, 5, 7, 7, 7, 7, 10, 14, 14, 14, 21, 28, 30, 42, 60]

TEAMS = ["Vertrieb Nord", "Vertrieb Süd", "Vertrieb West", "Vertrieb Ost", "Key Account"]
OFFICE_TEAM = "Innendienst"
SALES_PER_TEAM = 8
OFFICE_USERS = 8
ADMIN_USERS = 2  # 2 + 5 x 8 + 8 = 50
LEADER_RIGHTS = {
    Module.RECORDS: Scope.TEAM, Module.CONTACTS: Scope.TEAM, Module.ACTIVITIES: Scope.TEAM,
    Module.CANCEL_FOLLOW_UPS: Scope.TEAM, Module.BULK_EDIT: Scope.TEAM,
    Module.STATISTICS: Scope.TEAM,
}  # fmt: skip
OFFICE_RIGHTS = {
    Module.RECORDS: Scope.ALL, Module.CONTACTS: Scope.ALL, Module.ACTIVITIES: Scope.ALL,
    Module.STATISTICS: Scope.TEAM,
}  # fmt: skip


def _s(name, color, progress, *nxt, final=False, start=False) -> StatusSpec:
    return StatusSpec(name, color, progress, is_final=final, is_start=start, next=tuple(nxt))


# (name, active, share of records, share of memberships that start at the first activity,
#  statuses)
CAMPAIGNS = [
    ("Neukundengewinnung", True, 0.55, 0.85, [
        _s("Lead", "#9E9E9E", 5, "Erstkontakt", "Kein Interesse", start=True),
        _s("Erstkontakt", "#42A5F5", 15, "Bedarfsanalyse", "Zurückgestellt", "Kein Interesse",
           "Wünscht keinen Kontakt"),
        _s("Bedarfsanalyse", "#26A69A", 35, "Angebot", "Zurückgestellt", "Kein Interesse"),
        _s("Angebot", "#FFA726", 60, "Verhandlung", "Kunde", "Kein Interesse"),
        _s("Verhandlung", "#EF6C00", 80, "Kunde", "Angebot", "Kein Interesse"),
        _s("Zurückgestellt", "#8D6E63", 10, "Erstkontakt", "Kein Interesse"),
        _s("Kunde", "#2E7D32", 100, final=True),
        _s("Kein Interesse", "#B71C1C", 0, "Lead", final=True),
        _s("Wünscht keinen Kontakt", "#4A148C", 0, final=True),
    ]),
    ("Bestandskundenpflege", True, 0.30, 0.3, [
        _s("Aktiv", "#66BB6A", 50, "Cross-Selling", "Gefährdet", "Ruhend", start=True),
        _s("Cross-Selling", "#29B6F6", 70, "Aktiv", "Upgrade", "Gefährdet"),
        _s("Upgrade", "#1565C0", 90, "Aktiv"),
        _s("Gefährdet", "#FF7043", 30, "Aktiv", "Verloren"),
        _s("Ruhend", "#BDBDBD", 20, "Aktiv", "Verloren"),
        _s("Verloren", "#616161", 0, "Aktiv", final=True),
    ]),
    ("Reaktivierung Altkunden", True, 0.08, 0.1, [
        _s("Identifiziert", "#90A4AE", 5, "Angeschrieben", start=True),
        _s("Angeschrieben", "#7986CB", 20, "Telefoniert", "Kein Interesse"),
        _s("Telefoniert", "#5C6BC0", 40, "Angebot", "Kein Interesse"),
        _s("Angebot", "#FFB300", 70, "Reaktiviert", "Kein Interesse"),
        _s("Reaktiviert", "#43A047", 100, final=True),
        _s("Kein Interesse", "#C62828", 0, final=True),
    ]),
    ("Partnerprogramm", True, 0.04, 0.2, [
        _s("Interessent", "#B0BEC5", 5, "Erstgespräch", "Abgelehnt", start=True),
        _s("Erstgespräch", "#4DD0E1", 15, "Unterlagen", "Abgelehnt"),
        _s("Unterlagen", "#26C6DA", 30, "Prüfung"),
        _s("Prüfung", "#00ACC1", 45, "Vertrag", "Unterlagen", "Abgelehnt"),
        _s("Vertrag", "#00897B", 65, "Onboarding", "Abgelehnt"),
        _s("Onboarding", "#00796B", 80, "Aktiver Partner"),
        _s("Aktiver Partner", "#2E7D32", 100, "Pausiert", final=True),
        _s("Pausiert", "#9E9D24", 50, "Aktiver Partner", "Beendet"),
        _s("Abgelehnt", "#6D4C41", 0, final=True),
        _s("Beendet", "#424242", 0, final=True),
    ]),
    ("Messe Hannover 2019", False, 0.10, 0.0, [
        _s("Eingeladen", "#AB47BC", 10, "Zugesagt", "Nachfassen", "Abgesagt", start=True),
        _s("Nachfassen", "#BA68C8", 20, "Zugesagt", "Abgesagt"),
        _s("Zugesagt", "#7E57C2", 60, "Termin vereinbart", "Besucht", "Abgesagt"),
        _s("Termin vereinbart", "#5E35B1", 80, "Besucht", "Abgesagt"),
        _s("Besucht", "#2E7D32", 100, final=True),
        _s("Abgesagt", "#757575", 0, final=True),
    ]),
]  # fmt: skip

# Recurring series: (rule, months, days) — the interval in calendar months or days.
SERIES = [
    ("FREQ=MONTHLY;INTERVAL=6", 6, 0),
    ("FREQ=MONTHLY;INTERVAL=3", 3, 0),
    ("FREQ=MONTHLY", 1, 0),
    ("FREQ=WEEKLY;INTERVAL=2", 0, 14),
]
SERIES_INSTRUCTIONS = {
    6: "Zufriedenheit abfragen",
    3: "Quartalsgespräch",
    1: "Monatlicher Bestellrhythmus",
    0: "Lagerbestand abfragen",
}
RECURRING_SHARE = 0.05
KEY_ACCOUNT_RECORDS = 20_000  # one key account per this many records
DEAD_SHARE = 0.015

# --- the set-up through the controller ----------------------------------------------------


@dataclass
class _Campaign:
    id: int
    name: str
    active: bool
    share: float
    first_share: float
    start: int
    final: dict[int, bool]
    next: dict[int, list[int]]


@dataclass
class _World:
    admin_id: int
    users: list[int]
    owners: list[int]  # who owns records (sales, team leads, admins)
    owner_weights: list[float]
    team_of: dict[int, int]
    team_members: dict[int, list[int]]
    office: list[int]
    campaigns: list[_Campaign]
    types: dict[str, int]


def _login(first: str, last: str, taken: set[str]) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe"})
    base = (first[0] + last).lower().translate(table)
    login, k = base, 1
    while login in taken:
        k += 1
        login = f"{base}{k}"
    taken.add(login)
    return login


def _setup(db: Database, rng: random.Random, now: datetime) -> _World:
    """Users, teams, role groups and campaigns through the controller."""
    clock_at = now - timedelta(days=HISTORY_DAYS + 1)
    admin_id = bootstrap(db, "kbecker", "Katrin Becker")
    admin = Controller(db, admin_id, clock=FixedClock(clock_at))
    with db.read() as s:
        groups = {g.name: g.id for g in s.scalars(select(m.RoleGroup))}
        types = {t.name: t.id for t in s.scalars(select(m.ActivityType))}
    leader_group = admin.create_role_group(
        RoleGroupData("Teamleitung", rights=LEADER_RIGHTS)
    ).result_id
    office_group = admin.create_role_group(
        RoleGroupData("Innendienst", activity_requires_follow_up=False, rights=OFFICE_RIGHTS)
    ).result_id
    team_ids = [admin.create_team(name).result_id for name in [*TEAMS, OFFICE_TEAM]]
    taken = {"kbecker"}
    names = set()

    def person() -> tuple[str, str]:
        while True:
            first, last = rng.choice(PEOPLE)[1], rng.choice(SURNAMES)
            if (first, last) not in names and (first, last) != ("Katrin", "Becker"):
                names.add((first, last))
                return first, last

    def user(group: int, team: int) -> int:
        first, last = person()
        login = _login(first, last, taken)
        uid = admin.create_user(
            login,
            f"{first} {last}",
            role_group_id=group,
            team_id=team,
            email=f"{login}@example.com",
        ).result_id
        assert uid is not None
        return uid

    with db.write() as s:
        first_user = s.get(m.User, admin_id)
        first_user.team_id = team_ids[0]
        first_user.email = "kbecker@example.com"
    team_of = {admin_id: team_ids[0]}
    second_admin = user(groups["Administratoren"], team_ids[4])
    team_of[second_admin] = team_ids[4]
    sales = []
    for t in range(len(TEAMS)):
        for k in range(SALES_PER_TEAM):
            uid = user(leader_group if k == 0 else groups["Vertrieb"], team_ids[t])
            team_of[uid] = team_ids[t]
            sales.append(uid)
    office = []
    for _ in range(OFFICE_USERS):
        uid = user(office_group, team_ids[-1])
        team_of[uid] = team_ids[-1]
        office.append(uid)
    campaigns = []
    for name, active, share, first_share, specs in CAMPAIGNS:
        cid = admin.create_campaign(name, specs).result_id
        assert cid is not None
        with db.read() as s:
            rows = s.scalars(
                select(m.CampaignStatus)
                .where(m.CampaignStatus.campaign_id == cid)
                .order_by(m.CampaignStatus.position)
            ).all()
            final = {st.id: st.is_final for st in rows}
            nxt = {st.id: [x.id for x in st.next_statuses] for st in rows}
            start = next(st.id for st in rows if st.is_start)
        campaigns.append(_Campaign(cid, name, active, share, first_share, start, final, nxt))
    for c in campaigns:
        if not c.active:
            admin.set_campaign_active(c.id, False)
    owners = [admin_id, second_admin, *sales]
    # Some account managers own far more records than others.
    weights = [0.3, 0.3] + [rng.uniform(0.4, 2.0) for _ in sales]
    members: dict[int, list[int]] = {}
    for uid, team in team_of.items():
        members.setdefault(team, []).append(uid)
    return _World(
        admin_id,
        [admin_id, second_admin, *sales, *office],
        owners,
        weights,
        team_of,
        members,
        office,
        campaigns,
        types,
    )


# --- the plan: exact counts with realistic spreads ---------------------------------------


def _fit(values: list[int], target: int, lo: Sequence[int], hi: Sequence[int], rng) -> None:
    """Nudge ``values`` (within lo..hi per item) until they sum to ``target``."""
    diff = target - sum(values)
    n = len(values)
    if diff > 0 and sum(h - v for h, v in zip(hi, values, strict=True)) < diff:
        raise ValueError("plan infeasible: too few slots")
    if diff < 0 and sum(v - low for low, v in zip(lo, values, strict=True)) < -diff:
        raise ValueError("plan infeasible: too many items")
    step = 1 if diff > 0 else -1
    misses = 0
    while diff:
        i = rng.randrange(n)
        if (step > 0 and values[i] < hi[i]) or (step < 0 and values[i] > lo[i]):
            values[i] += step
            diff -= step
            misses = 0
        else:
            misses += 1
            if misses > 50:  # few candidates left: walk them in order
                for j in range(n):
                    while diff and lo[j] <= values[j] + step <= hi[j]:
                        values[j] += step
                        diff -= step
                return


def _apportion(weights: Sequence[float], total: int) -> list[int]:
    """Integers proportional to ``weights`` summing to ``total`` (largest remainder)."""
    w_sum = sum(weights)
    quotas = [w * total / w_sum for w in weights]
    result = [int(q) for q in quotas]
    rest = total - sum(result)
    order = sorted(range(len(weights)), key=lambda i: quotas[i] - result[i], reverse=True)
    for i in order[:rest]:
        result[i] += 1
    return result


@dataclass
class _Plan:
    activities: list[int]
    contacts: list[int]
    person: list[bool]
    owner: list[int]
    series: list[int | None]  # index into SERIES for recurring records
    # per record: [(campaign index, [(activity index, from status, to status), ...]), ...]
    memberships: list[list[tuple[int, list[tuple[int, int | None, int]]]]]
    dead: list[bool]
    done: list[int]
    open: list[int]


def _walk(rng: random.Random, c: _Campaign, n: int) -> list[tuple[int, int | None, int]]:
    start = 0 if rng.random() < c.first_share else rng.randrange(n)
    changes: list[tuple[int, int | None, int]] = [(start, None, c.start)]
    later = n - start - 1
    steps = min(later, int(rng.expovariate(1 / 2.2)))
    status = c.start
    for idx in sorted(rng.sample(range(start + 1, n), steps)) if steps else ():
        options = c.next[status]
        if not options:
            break
        new = options[0] if rng.random() < 0.55 else rng.choice(options)
        changes.append((idx, status, new))
        status = new
    return changes


def _plan(rng: random.Random, t: Targets, world: _World) -> _Plan:
    n = t.records
    # Activities: log-normal, a few key accounts with thousands.
    weights = [rng.lognormvariate(0.0, 1.34) for _ in range(n)]
    normal = sum(weights)
    for i in rng.sample(range(n), max(1, n // KEY_ACCOUNT_RECORDS)):
        weights[i] = normal * rng.uniform(0.0012, 0.0028)  # ~ 0.2 % of all activities each
    activities = [1 + a for a in _apportion(weights, t.activities - n)]
    person = [rng.random() < 0.08 for _ in range(n)]
    companies = n - sum(person)
    if companies == 0 or t.contacts < companies:
        raise ValueError("too few contacts for the companies")
    contacts = [0 if p else 1 + int(rng.expovariate(1 / 1.7)) for p in person]
    _fit(
        contacts, t.contacts, [0 if p else 1 for p in person], [0 if p else 12 for p in person], rng
    )
    owner = rng.choices(world.owners, world.owner_weights, k=n)
    series: list[int | None] = []
    for a in activities:
        if a <= 257 and rng.random() < RECURRING_SHARE:
            series.append(0 if a <= 19 else 1 if a <= 39 else 2 if a <= 118 else 3)
        else:
            series.append(None)
    memberships = []
    live = []
    for i in range(n):
        mine = []
        for ci, c in enumerate(world.campaigns):
            if rng.random() < c.share:
                mine.append((ci, _walk(rng, c, activities[i])))
        memberships.append(mine)
        live.append(
            any(
                world.campaigns[ci].active and not world.campaigns[ci].final[walk[-1][2]]
                for ci, walk in mine
            )
        )
    dead = [
        series[i] is None and live[i] and rng.random() < DEAD_SHARE for i in range(n)
    ]  # fmt: skip
    # Done follow-ups: each recurring record's whole series; the rest spread over the
    # other records' activities (one follow-up per activity but the last).
    done = [activities[i] - 1 if series[i] is not None else 0 for i in range(n)]
    rest = t.done_follow_ups - sum(done)
    slots = [activities[i] - 1 if series[i] is None else 0 for i in range(n)]
    share = rest / max(1, sum(slots))
    for i in range(n):
        if series[i] is None:
            done[i] = min(slots[i], int(share * slots[i] + rng.random()))
    fixed = [s is not None for s in series]
    low = [d if f else 0 for d, f in zip(done, fixed, strict=True)]
    high = [d if f else sl for d, f, sl in zip(done, fixed, slots, strict=True)]
    _fit(done, t.done_follow_ups, low, high, rng)
    # Open follow-ups: a live record has at least one (unless it is one of the dead);
    # some have a second or third for a colleague; others keep one for later.
    opened, lo, hi = [], [], []
    for i in range(n):
        if series[i] is not None:
            k = low = high = 1
        elif dead[i]:
            k = low = high = 0
        elif live[i]:
            k = 1 + (rng.random() < 0.4) + (rng.random() < 0.1)
            low, high = 1, 4
        else:
            k = int(rng.random() < 0.5) + (rng.random() < 0.1)
            low, high = 0, 3
        opened.append(int(k))
        lo.append(low)
        hi.append(high)
    _fit(opened, t.open_follow_ups, lo, hi, rng)
    return _Plan(activities, contacts, person, owner, series, memberships, dead, done, opened)


# --- value formats ------------------------------------------------------------------------

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_TOD = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)]


class _Formats:
    """Timestamps, dates and times as the text each backend stores or accepts."""

    def __init__(self, sqlite: bool) -> None:
        self.ts_suffix = ".000000" if sqlite else "+00"
        self.time_suffix = ":00.000000" if sqlite else ""
        self._days: dict[int, str] = {}

    def day(self, day: int) -> str:
        """Days since 1970-01-01 as ISO date."""
        text = self._days.get(day)
        if text is None:
            text = self._days[day] = date.fromordinal(day + EPOCH_ORDINAL).isoformat()
        return text

    def ts(self, seconds: int) -> str:
        """Seconds since the epoch (UTC) as a timestamp."""
        return f"{self.day(seconds // 86400)} {_TOD[seconds % 86400]}{self.ts_suffix}"

    def clock(self, hhmm: str | None) -> str | None:
        return None if hhmm is None else hhmm + self.time_suffix


def _add_months(day: int, months: int) -> int:
    d = date.fromordinal(day + EPOCH_ORDINAL)
    total = d.year * 12 + d.month - 1 + months
    return date(total // 12, total % 12 + 1, d.day).toordinal() - EPOCH_ORDINAL


# --- writing --------------------------------------------------------------------------------

RECORD_COLS = _split(
    "id kind name street postal_code city country phone email website industry owner_id "
    "created_at updated_at last_activity_at next_follow_up_date version"
)
CONTACT_COLS = _split(
    "id record_id salutation title first_name last_name position phone mobile email "
    "created_at updated_at version"
)
ACTIVITY_COLS = _split(
    "id record_id contact_id user_id type_id occurred_at duration_minutes subject text created_at"
)
STATUS_CHANGE_COLS = _split("id activity_id record_id campaign_id from_status_id to_status_id")
FOLLOW_UP_COLS = _split(
    "id record_id assignee_id created_by_id due_date due_time time_zone priority instruction "
    "source_activity_id completed_by_activity_id completed_at recurrence recurrence_anchor "
    "series_start_date occurrence previous_id state created_at updated_at version"
)
MEMBERSHIP_COLS = _split("id record_id campaign_id status_id since version")
TABLES = [
    ("record", RECORD_COLS),
    ("contact", CONTACT_COLS),
    ("activity", ACTIVITY_COLS),
    ("status_change", STATUS_CHANGE_COLS),
    ("follow_up", FOLLOW_UP_COLS),
    ("campaign_membership", MEMBERSHIP_COLS),
]
FLUSH_ROWS = 60_000


class _Writer:
    """Bulk rows into one open transaction: executemany (SQLite) or COPY (PostgreSQL)."""

    def __init__(self, conn: Connection, sqlite: bool) -> None:
        self.conn = conn
        self.sqlite = sqlite
        self.buffers: dict[str, list[tuple]] = {name: [] for name, _ in TABLES}
        self.rows = 0

    def flush(self) -> None:
        for name, cols in TABLES:
            rows = self.buffers[name]
            if not rows:
                continue
            if self.sqlite:
                marks = ", ".join("?" * len(cols))
                self.conn.exec_driver_sql(
                    f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({marks})", rows
                )
            else:
                raw = self.conn.connection.driver_connection
                with (
                    raw.cursor() as cur,
                    cur.copy(f"COPY {name} ({', '.join(cols)}) FROM STDIN") as copy,
                ):
                    for row in rows:
                        copy.write_row(row)
            rows.clear()
        self.rows = 0


# --- the history, record by record -------------------------------------------------------


class _History:
    """Writes the planned history record by record (activities in time order).

    The hot loop draws from ``random()`` directly: two million activities make
    ``choice``/``randint`` overhead count.
    """

    def __init__(
        self, rng: random.Random, world: _World, plan: _Plan, fmt: _Formats, today: date
    ) -> None:
        self.rng = rng
        self.rnd = rng.random
        self.world = world
        self.plan = plan
        self.fmt = fmt
        self.today = today.toordinal() - EPOCH_ORDINAL
        self.ids = dict.fromkeys([name for name, _ in TABLES], 0)
        # Activity types by weight: (type id, subjects)
        self.type_pool = [
            (world.types[name], SUBJECTS[name])
            for name, weight in TYPE_WEIGHTS.items()
            for _ in range(weight)
        ]
        self.campaign_type = world.types["Kampagne"]
        self.notes = [
            rng.choice(NOTES).format(
                n=rng.randint(3, 80),
                c=rng.choice(["die Geschäftsführung", "der Ansprechpartner", "Frau Weber"]),
                q=rng.randint(1, 4),
                w=rng.choice(COMPETITORS),
            )
            for _ in range(600)
        ]
        self.due_times = [fmt.clock(t) for t in DUE_TIMES]
        self.recurring = 0
        self.dead = 0

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def pick(self, seq: Sequence):
        return seq[int(self.rnd() * len(seq))]

    def due_offset(self) -> int:
        """Days from today to an open follow-up's due date: clustered around today."""
        r = self.rnd()
        if r < 0.30:
            return -1 - int(self.rng.expovariate(1 / 9))  # overdue
        if r < 0.40:
            return 0
        return 1 + int(self.rng.expovariate(1 / 16))

    def actor(self, owner: int) -> int:
        r = self.rnd()
        if r < 0.72:
            return owner
        if r < 0.86:
            return self.pick(self.world.team_members[self.world.team_of[owner]])
        return self.pick(self.world.office)

    def record(self, i: int, w: _Writer) -> None:
        rng, rnd, pick, plan, fmt = self.rng, self.rnd, self.pick, self.plan, self.fmt
        ts = fmt.ts
        n = plan.activities[i]
        owner = plan.owner[i]
        series = plan.series[i]
        rid = self.next_id("record")
        # --- times of the activities -------------------------------------------------------
        if series is not None:
            times, dues = self._series_times(n, SERIES[series])
            open_due = 0
        else:
            times, open_due = self._chain_times(i, n)
            dues = []
        created = times[0] - 60 - int(rnd() * 7 * 86400)
        created = min(max(created, (self.today - HISTORY_DAYS) * 86400), times[0])
        # --- record and contacts -----------------------------------------------------------
        city, plz, area = pick(CITIES)
        surname = pick(SURNAMES)
        slug = surname.lower().translate(_ASCII)
        if plan.person[i]:
            first = pick(PEOPLE)[1]
            name = f"{first} {surname}"
            email = f"{first.lower().translate(_ASCII)}.{slug}{rid}@example.com"
            website = industry = None
        else:
            trade, industry = pick(TRADES)
            style = rnd()
            if style < 0.45:
                name = f"{surname} {trade} {pick(LEGAL)}"
            elif style < 0.65:
                name = f"{surname} & {pick(SURNAMES)} {pick(LEGAL)}"
            else:
                prefix = f"{pick(PREFIXES)}{pick(SUFFIXES)}"
                name = f"{prefix} {trade} {pick(LEGAL)}"
                slug = prefix.lower().translate(_ASCII)
            email = f"info@{slug}-{rid}.example"
            website = f"https://www.{slug}-{rid}.example"
        contact_ids = []
        contacts = w.buffers["contact"]
        for _ in range(plan.contacts[i]):
            cid = self.next_id("contact")
            sal, first = pick(PEOPLE)
            last = pick(SURNAMES)
            stamp = ts(created + int(rnd() * 3600))
            contact_ids.append(cid)
            contacts.append(
                (
                    cid, rid, sal, pick(TITLES), first, last, pick(POSITIONS),
                    f"{area} {100000 + int(rnd() * 900000)}",
                    f"01{51 + int(rnd() * 29)} {1000000 + int(rnd() * 9000000)}"
                    if rnd() < 0.3 else None,
                    f"{first.lower().translate(_ASCII)}.{last.lower().translate(_ASCII)}"
                    f"@{slug}-{rid}.example",
                    stamp, stamp, 1,
                )
            )  # fmt: skip
        # --- campaign status changes by activity index ------------------------------------
        changes_at: dict[int, list[tuple[int, int | None, int]]] = {}
        for ci, walk in plan.memberships[i]:
            for idx, frm, to in walk:
                changes_at.setdefault(idx, []).append((ci, frm, to))
        status: dict[int, int] = {}  # campaign index -> current status
        since: dict[int, int] = {}
        # --- activities, status changes, follow-ups -----------------------------------------
        if series is None:
            creating = set(rng.sample(range(n - 1), plan.done[i])) if plan.done[i] else set()
        else:
            creating = set(range(n - 1))
        n_open = plan.open[i]
        campaigns = self.world.campaigns
        office = self.world.office
        acts = w.buffers["activity"]
        fus = w.buffers["follow_up"]
        scs = w.buffers["status_change"]
        type_pool, notes, due_times = self.type_pool, self.notes, self.due_times
        n_types, n_notes, n_contacts = len(type_pool), len(notes), len(contact_ids)
        aid = self.ids["activity"]
        fid = self.ids["follow_up"]
        pending: list[tuple] = []  # follow-ups the next activity completes
        previous_fu = None
        next_due = None
        for j in range(n):
            at = times[j]
            at_text = ts(at)
            at_day = at // 86400
            aid += 1
            is_last = j == n - 1
            here = changes_at.get(j, ())
            for ci, frm, to in here:
                status[ci] = to
                since[ci] = at
                scs.append((self.next_id("status_change"), aid, rid, campaigns[ci].id, frm, to))
            sets_follow_up = j in creating or (is_last and n_open > 0)
            if not sets_follow_up and any(
                not campaigns[ci].final[st] and (campaigns[ci].active or not is_last)
                for ci, st in status.items()
            ):
                user = office[int(rnd() * len(office))]  # policy off: no follow-up needed
                if is_last:
                    self.dead += 1
            elif pending and rnd() < 0.8:
                user = pending[0][2]  # the assignee completes the follow-up
            else:
                user = self.actor(owner)
            for row in pending:  # completed by this activity
                fus.append((*row[:10], aid, at_text, *row[12:17], "done", row[18], at_text, 2))
            pending = []
            if here and j == 0 and here[0][1] is None and rnd() < 0.5:
                type_id = self.campaign_type
                subject = f"Kampagne „{campaigns[here[0][0]].name}“ zugeordnet"
            else:
                type_id, subjects = type_pool[int(rnd() * n_types)]
                subject = subjects[int(rnd() * len(subjects))]
            acts.append(
                (
                    aid, rid,
                    contact_ids[int(rnd() * n_contacts)] if n_contacts and rnd() < 0.75 else None,
                    user, type_id, at_text, DURATIONS[int(rnd() * len(DURATIONS))], subject,
                    notes[int(rnd() * n_notes)], ts(at + int(rnd() * 600)),
                )
            )  # fmt: skip
            if not sets_follow_up:
                continue
            for k in range(n_open if is_last else 1):
                fid += 1
                if series is not None:
                    rule, months, _days = SERIES[series]
                    due = dues[j]
                    assignee = owner
                    instruction = SERIES_INSTRUCTIONS[months]
                    recurrence = (rule, "due", fmt.day(dues[0]), j + 1, previous_fu)
                    previous_fu = fid
                    priority = 0
                else:
                    if is_last:
                        due = open_due if k == 0 else max(at_day, open_due - 3 + int(rnd() * 18))
                    else:
                        due = max(at_day, times[j + 1] // 86400 - 3 + int(rnd() * 7))
                    assignee = owner if k == 0 and rnd() < 0.85 else self.actor(owner)
                    instruction = INSTRUCTIONS[int(rnd() * len(INSTRUCTIONS))]
                    recurrence = (None, "due", None, 1, None)
                    r = rnd()
                    priority = 0 if r < 0.8 else 1 if r < 0.93 else 2
                row = (
                    fid, rid, assignee, user, fmt.day(due),
                    due_times[int(rnd() * len(due_times))] if rnd() < 0.25 else None,
                    "Europe/Berlin", priority, instruction, aid, None, None, *recurrence,
                    "open", at_text, at_text, 1,
                )  # fmt: skip
                if is_last:
                    fus.append(row)
                    next_due = due if next_due is None else min(next_due, due)
                else:
                    pending.append(row)
        self.ids["activity"] = aid
        self.ids["follow_up"] = fid
        if series is not None:
            self.recurring += 1
        last = times[-1]
        w.buffers["record"].append(
            (
                rid, "person" if plan.person[i] else "company", name,
                f"{pick(STREETS)} {1 + int(rnd() * 140)}", f"{plz}{100 + int(rnd() * 900)}",
                city, "DE", f"{area} {100000 + int(rnd() * 9900000)}", email, website, industry,
                owner, ts(created), ts(last), ts(last),
                None if next_due is None else fmt.day(next_due), 1,
            )
        )  # fmt: skip
        mems = w.buffers["campaign_membership"]
        for ci, st in status.items():
            mems.append(
                (self.next_id("campaign_membership"), rid, campaigns[ci].id, st,
                 ts(since[ci]), 1)
            )  # fmt: skip
        w.rows += n

    def _chain_times(self, i: int, n: int) -> tuple[list[int], int]:
        """Activity times, oldest first, and the main open follow-up's due day."""
        rng, rnd = self.rng, self.rnd
        open_due = 0
        if self.plan.open[i] > 0:
            open_due = self.today + self.due_offset()
            last_day = min(open_due - self.pick(GAPS), self.today - 1)
        else:
            last_day = self.today - 1 - min(HISTORY_DAYS // 2, int(rng.expovariate(1 / 150)))
        oldest = self.today - HISTORY_DAYS
        last_day = max(last_day, oldest)
        open_due = max(open_due, last_day)
        room = last_day - oldest
        if n > 400:
            span = room
        else:
            span = min(room, int(rng.uniform(0.3, 1.0) * (30 + n * rng.uniform(20, 90))))
        first_day = last_day - span
        # 06:30–17:00 UTC: office hours in Germany
        times = [last_day * 86400 + WORK_START + int(rnd() * WORK_SECONDS)]
        times.extend(
            (first_day + int(rnd() * (span + 1))) * 86400 + WORK_START + int(rnd() * WORK_SECONDS)
            for _ in range(n - 1)
        )
        times.sort()
        return times, open_due

    def _series_times(self, n: int, spec: tuple[str, int, int]) -> tuple[list[int], list[int]]:
        """Occurrence due days ending around today, and the activities completing them."""
        rng = self.rng
        _rule, months, days = spec
        interval = days or months * 30
        last_due = self.today + min(self.due_offset(), interval - 8)
        d = date.fromordinal(last_due + EPOCH_ORDINAL)
        if d.day > 28:  # a monthly series keeps its day of the month
            last_due -= d.day - 28
        if months:
            dues = [_add_months(last_due, -months * (n - 1 - k)) for k in range(n)]
        else:
            dues = [last_due - days * (n - 1 - k) for k in range(n)]
        days_of = [dues[0] - rng.randint(1, min(14, interval - 1))]
        for k in range(1, n):
            day = dues[k - 1] + rng.randint(-5, 7)
            days_of.append(min(max(day, days_of[-1] + 1), self.today - 1))
        times = [day * 86400 + WORK_START + int(self.rnd() * WORK_SECONDS) for day in days_of]
        for k in range(1, n):  # the same day: keep the order
            if times[k] <= times[k - 1]:
                times[k] = times[k - 1] + 60
        return times, dues


WORK_START = 23_400
WORK_SECONDS = 37_800


_ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", " ": "-", "&": "und"})


# --- entry point ------------------------------------------------------------------------------


def generate_large(
    db: Database,
    factor: float = 1.0,
    *,
    seed: int = 1,
    today: date | None = None,
    progress: Progress | None = None,
) -> LargeResult:
    """Fill an empty, schema-current database with the large data set."""
    started = wall.perf_counter()
    targets = Targets.scaled(factor)
    today = today or date.today()
    with db.read() as s:
        if s.scalar(select(func.count()).select_from(m.Record)) or s.scalar(
            select(func.count()).select_from(m.Activity)
        ):
            raise ValueError("Die Datenbank enthält schon Datensätze; Demodaten nur in eine leere.")
    rng = random.Random(seed)
    now = datetime.combine(today, time(5, 0), tzinfo=UTC)
    phases: dict[str, float] = {}
    mark = started

    def phase(name: str) -> None:
        nonlocal mark
        at = wall.perf_counter()
        phases[name] = round(at - mark, 1)
        mark = at

    world = _setup(db, rng, now)
    plan = _plan(rng, targets, world)
    phase("setup_and_plan")
    if progress:
        progress("plan", 0, targets.records)
    fmt = _Formats(db.is_sqlite)
    history = _History(rng, world, plan, fmt, today)
    with db.engine.connect() as conn:
        restore = _prepare(conn, db.is_sqlite)
        with conn.begin():
            _drop(conn, restore)
            writer = _Writer(conn, db.is_sqlite)
            for i in range(targets.records):
                history.record(i, writer)
                if writer.rows >= FLUSH_ROWS:
                    writer.flush()
                    if progress:
                        progress("write", i + 1, targets.records)
            writer.flush()
            if progress:
                progress("write", targets.records, targets.records)
                progress("index", 0, 1)
            phase("write")
            if not db.is_sqlite:  # before its trigram index is back (a GIN build is faster)
                search.rebuild_index(conn)
            _finish(conn, db.is_sqlite, restore)
            if db.is_sqlite:  # its contact look-ups need the index on contact.record_id
                search.rebuild_index(conn)
        phase("indexes_and_commit")
        if progress:
            progress("analyze", 0, 1)
        _after(conn, db.is_sqlite)
        phase("statistics")
    return LargeResult(
        targets=targets,
        users=len(world.users),
        teams=len(TEAMS) + 1,
        campaigns=len(world.campaigns),
        recurring_series=history.recurring,
        dead_records=history.dead,
        admin_user_id=world.admin_id,
        seconds=wall.perf_counter() - started,
        phases=phases,
    )


BULK_TABLES = [name for name, _cols in TABLES]


def _prepare(conn: Connection, sqlite: bool) -> list[str]:
    """Set the connection up for the bulk load and take the secondary indexes (and,
    on PostgreSQL, the foreign keys) of the tables it fills off: building them once
    afterwards is much faster than keeping them up to date row by row. Returns the
    statements that put them back, exactly as they were (from the catalog)."""
    tables = ", ".join(f"'{t}'" for t in BULK_TABLES)
    if sqlite:
        raw = conn.connection.driver_connection
        raw.execute("PRAGMA cache_size = -1000000")
        raw.execute("PRAGMA foreign_keys = OFF")
        rows = conn.exec_driver_sql(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
            f"AND tbl_name IN ({tables}) AND sql IS NOT NULL"
        ).all()
        conn.commit()
        return [
            *(f'DROP {kind.upper()} "{name}"' for kind, name, _sql in rows),
            "--",
            *(sql for _kind, _name, sql in rows),
        ]
    rows = conn.exec_driver_sql(
        "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
        "FROM pg_constraint c WHERE c.contype = 'f' "
        f"AND c.conrelid::regclass::text IN ({tables})"
    ).all()
    indexes = conn.exec_driver_sql(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
        f"AND i.tablename IN ({tables}, '{search.PG_TABLE}') AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
    ).all()
    # The search table's triggers (0006) would refresh its row per COPY row: off,
    # the table is refilled once afterwards (search.rebuild_index).
    triggers = conn.exec_driver_sql(
        "SELECT t.tgrelid::regclass::text, t.tgname FROM pg_trigger t "
        f"WHERE NOT t.tgisinternal AND t.tgrelid::regclass::text IN ({tables}) "
        f"AND starts_with(t.tgname, '{search.PG_TABLE}')"
    ).all()
    conn.commit()
    return [
        *(f'ALTER TABLE {t} DROP CONSTRAINT "{name}"' for t, name, _d in rows),
        *(f'DROP INDEX "{name}"' for name, _d in indexes),
        *(f'ALTER TABLE {t} DISABLE TRIGGER "{name}"' for t, name in triggers),
        "--",
        "SET LOCAL maintenance_work_mem = '256MB'",
        *(ddl for _name, ddl in indexes),
        *(f'ALTER TABLE {t} ADD CONSTRAINT "{name}" {ddl}' for t, name, ddl in rows),
        *(f'ALTER TABLE {t} ENABLE TRIGGER "{name}"' for t, name in triggers),
    ]


def _drop(conn: Connection, statements: list[str]) -> None:
    for sql in statements[: statements.index("--")]:
        conn.exec_driver_sql(sql)


def _finish(conn: Connection, sqlite: bool, statements: list[str]) -> None:
    for sql in statements[statements.index("--") + 1 :]:
        conn.exec_driver_sql(sql)
    if not sqlite:
        for name in BULK_TABLES:
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
            )


def _after(conn: Connection, sqlite: bool) -> None:
    """Statistics for the query planner, outside the load's transaction."""
    if sqlite:
        raw = conn.connection.driver_connection
        raw.execute("PRAGMA cache_size = -2000")
        raw.execute("PRAGMA foreign_keys = ON")
        raw.execute("PRAGMA analysis_limit = 1000")
        raw.execute("ANALYZE")
    else:
        conn.connection.driver_connection.autocommit = True
        try:
            found = conn.exec_driver_sql(f"SELECT to_regclass('{search.PG_TABLE}')").scalar()
            extra = [search.PG_TABLE] if found is not None else []
            conn.exec_driver_sql("VACUUM (ANALYZE) " + ", ".join([*BULK_TABLES, *extra]))
        finally:
            conn.connection.driver_connection.autocommit = False


def command(db: Database, factor: float, seed: int) -> int:
    """``akquise-desktop demo --scale large [--factor F]``: progress on stderr, a summary."""
    from akquise_desktop.core.errors import AkquiseError

    stages = {"plan": "Planung", "write": "Schreiben", "index": "Indizes", "analyze": "Statistik"}

    def progress(stage: str, done: int, total: int) -> None:
        label = stages.get(stage, stage)
        if stage == "write":
            text = f"{label}: {done:,}/{total:,} Datensätze".replace(",", ".")
            print(f"\r{text}", end="" if done < total else "\n", file=sys.stderr, flush=True)
        else:
            print(f"{label} …", file=sys.stderr, flush=True)

    try:
        result = generate_large(db, factor, seed=seed, progress=progress)
    except ValueError as exc:
        raise AkquiseError(str(exc)) from None
    t = result.targets
    print(
        f"{t.records} Datensätze, {t.contacts} Ansprechpartner, {t.activities} Aktivitäten, "
        f"{t.done_follow_ups} erledigte und {t.open_follow_ups} offene Wiedervorlagen "
        f"({result.recurring_series} wiederkehrende Serien), {result.users} Benutzer in "
        f"{result.teams} Teams, {result.campaigns} Kampagnen; {result.dead_records} tote Kunden "
        f"(Innendienst ohne Wiedervorlage) — {result.seconds:.0f} s, {db.describe()}."
    )
    print("Phasen (s): " + ", ".join(f"{k} {v}" for k, v in result.phases.items()))
    return 0


__all__ = ["LargeResult", "Targets", "command", "generate_large"]
