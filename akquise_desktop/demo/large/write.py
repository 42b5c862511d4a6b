"""Writing the planned history in bulk.

The value formats each backend stores (:class:`_Formats`), the tables' columns
and :class:`_Writer` — rows buffered and written into one open transaction by
``executemany`` on SQLite, ``COPY`` on PostgreSQL — and :class:`_History`, which
writes the plan record by record (activities in time order, with their status
changes, contacts and follow-ups), ids assigned here.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.engine import Connection

from akquise_desktop.core.phones import stored_form

from ..generator import COMPETITORS, INSTRUCTIONS, POSITIONS, STREETS, SUBJECTS
from .plan import HISTORY_DAYS, _Plan, _World
from .vocabulary import (
    CITIES,
    DUE_TIMES,
    DURATIONS,
    GAPS,
    LEGAL,
    NOTES,
    PEOPLE,
    PREFIXES,
    SERIES,
    SERIES_INSTRUCTIONS,
    SUFFIXES,
    SURNAMES,
    TITLES,
    TRADES,
    TYPE_WEIGHTS,
    _split,
)

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
    "created_at updated_at last_activity_at next_follow_up_date version phone_normalized"
)
CONTACT_COLS = _split(
    "id record_id salutation title first_name last_name position phone mobile email "
    "created_at updated_at version phone_normalized mobile_normalized"
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
                raw: Any = self.conn.connection.driver_connection
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
            title, position = pick(TITLES), pick(POSITIONS)
            phone = f"{area} {100000 + int(rnd() * 900000)}"
            mobile = (
                f"01{51 + int(rnd() * 29)} {1000000 + int(rnd() * 9000000)}"
                if rnd() < 0.3 else None
            )  # fmt: skip
            contacts.append(
                (
                    cid, rid, sal, title, first, last, position, phone, mobile,
                    f"{first.lower().translate(_ASCII)}.{last.lower().translate(_ASCII)}"
                    f"@{slug}-{rid}.example",
                    stamp, stamp, 1, stored_form(phone), stored_form(mobile),
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
                    recurrence: tuple = (rule, "due", fmt.day(dues[0]), j + 1, previous_fu)
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
        street = f"{pick(STREETS)} {1 + int(rnd() * 140)}"
        postal_code = f"{plz}{100 + int(rnd() * 900)}"
        phone = f"{area} {100000 + int(rnd() * 9900000)}"
        w.buffers["record"].append(
            (
                rid, "person" if plan.person[i] else "company", name, street, postal_code,
                city, "DE", phone, email, website, industry,
                owner, ts(created), ts(last), ts(last),
                None if next_due is None else fmt.day(next_due), 1, stored_form(phone),
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
