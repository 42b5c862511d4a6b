"""The bare SQL of each read operation: hand-written statements that return the
same rows as the application's query functions, run on the raw DB-API
connection (no ORM, no dataclasses). The benchmark times both in the same run;
the ratio shows what the layers above SQL cost, and whether the application
issues more or slower statements than the data needs.

Statements are written with ``?`` placeholders and converted for psycopg.
Each function returns plain tuples in the same shape as the matching
normalisation in :mod:`.operations`, so tests can check that both sides agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from akquise_desktop.queries import search


class Bare:
    def __init__(self, raw: Any, sqlite: bool) -> None:
        self.raw = raw  # a DB-API connection
        self.sqlite = sqlite

    # --- plumbing ------------------------------------------------------------------

    def _sql(self, sql: str) -> str:
        return sql if self.sqlite else sql.replace("?", "%s")

    def _in(self, column: str, values: Sequence[int]) -> tuple[str, list[Any]]:
        if self.sqlite:
            return f"{column} IN ({', '.join('?' * len(values))})", list(values)
        return f"{column} = ANY(?)", [list(values)]

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        cur = self.raw.cursor()
        try:
            cur.execute(self._sql(sql), tuple(params))
            return cur.fetchall()
        finally:
            cur.close()

    def _true(self, expr: str) -> str:
        return expr if not self.sqlite else f"{expr} = 1"

    # --- the record list ---------------------------------------------------------------

    def _search_where(self, text: str) -> tuple[list[str], list[Any]]:
        """The WHERE conditions on ``record r`` for a search text: each word as
        the OR of its forms (as typed, folded, a number's digits —
        ``search.forms``), on the search index directly."""
        terms = search.words(text)
        where: list[str] = []
        params: list[Any] = []
        if self.sqlite and terms:
            inner: list[str] = []
            inner_params: list[Any] = []
            long_words = [w for w in terms if all(len(f) >= search.TRIGRAM for f in
                                                  search.forms(w))]  # fmt: skip
            if long_words:
                inner.append("record_search MATCH ?")
                inner_params.append(search._match_query(long_words))
            for word in terms:
                if word in long_words:
                    continue
                forms = search.forms(word)
                likes = [f"{c} LIKE ? ESCAPE '\\'" for _f in forms for c in search.FTS_COLUMNS]
                inner.append("(" + " OR ".join(likes) + ")")
                inner_params.extend(search._like(f) for f in forms for _c in search.FTS_COLUMNS)
            where.append(f"r.id IN (SELECT rowid FROM record_search WHERE {' AND '.join(inner)})")
            params.extend(inner_params)
        if not self.sqlite and terms:  # PostgreSQL: record_search_text (0006, 0013)
            inner = []
            for word in terms:
                alternatives = []
                for column, found in (
                    ("doc", search.text_forms(word)),
                    ("numbers", search.number_forms(word)),
                ):
                    for form in found:
                        if len(form) >= search.TRIGRAM:
                            alternatives.append(f"{column} ILIKE ? ESCAPE '\\'")
                        else:
                            alternatives.append(f"lower({column}) LIKE ? ESCAPE '\\'")
                        params.append(search._like(form))
                inner.append("(" + " OR ".join(alternatives) + ")")
            where.append(
                f"r.id IN (SELECT record_id FROM record_search_text WHERE {' AND '.join(inner)})"
            )
        return where, params

    def record_ids(self, text: str) -> list[int]:
        """Ids matching the search text, sorted by name (case-insensitive), then id."""
        where, params = self._search_where(text)
        clause = f"WHERE {' AND '.join(where)} " if where else ""
        sql = f"SELECT r.id FROM record r {clause}ORDER BY lower(r.name), r.id"
        return [row[0] for row in self.rows(sql, params)]

    def record_page(
        self, text: str, after: tuple[str, int] | None = None, limit: int = 100
    ) -> list[tuple]:
        """One page of the list sorted by name, in list order, after the row with
        key (lower(name), id) — one statement, the search as a set, the rows joined
        in. It reads every column the list shows; it returns those that
        :func:`.operations.page_key` compares (the dates are left out: the raw
        driver gives SQLite's text)."""
        where, params = self._search_where(text)
        if after is not None:
            where.append("lower(r.name) >= ? AND (lower(r.name) > ? OR "
                         "(lower(r.name) = ? AND r.id > ?))")  # fmt: skip
            params.extend([after[0], after[0], after[0], after[1]])
        clause = f"WHERE {' AND '.join(where)} " if where else ""
        sql = f"""
            SELECT r.id, r.name, r.kind, r.city, r.phone, u.display_name, c.name, cs.name,
                   cs.color, cs.is_final,
                   (SELECT count(*) FROM campaign_membership x WHERE x.record_id = r.id),
                   r.next_follow_up_date, r.last_activity_at
            FROM record r
            LEFT JOIN app_user u ON u.id = r.owner_id
            LEFT JOIN campaign_membership cm ON cm.id = (
                SELECT m2.id FROM campaign_membership m2
                JOIN campaign c2 ON c2.id = m2.campaign_id
                WHERE m2.record_id = r.id
                ORDER BY c2.active DESC, m2.since DESC, m2.id DESC LIMIT 1)
            LEFT JOIN campaign c ON c.id = cm.campaign_id
            LEFT JOIN campaign_status cs ON cs.id = cm.status_id
            {clause}ORDER BY lower(r.name), r.id LIMIT {int(limit)}"""
        return [(*row[:9], bool(row[9]), row[10]) for row in self.rows(sql, params)]

    # --- the record view ----------------------------------------------------------------

    def open_record(self, record_id: int, limit: int = 50) -> dict[str, Any]:
        """Master data, contacts, memberships, open follow-ups, first timeline page:
        every column the record view shows."""
        detail = self.rows(
            "SELECT r.id, r.version, r.kind, r.name, r.street, r.postal_code, r.city, "
            "r.country, r.phone, r.email, r.website, r.industry, r.notes, r.owner_id, "
            "u.display_name, r.created_at, r.updated_at, r.last_activity_at, "
            "r.next_follow_up_date "
            "FROM record r LEFT JOIN app_user u ON u.id = r.owner_id WHERE r.id = ?",
            [record_id],
        )
        contacts = self.rows(
            "SELECT id, version, salutation, title, first_name, last_name, position, phone, "
            "mobile, email, notes FROM contact WHERE record_id = ? "
            "ORDER BY lower(last_name), lower(first_name), id",
            [record_id],
        )
        memberships = self.rows(
            "SELECT cm.id, cm.campaign_id, c.name, c.active, cm.status_id, cs.name, cs.color, "
            "cs.progress, cs.is_final, cm.since FROM campaign_membership cm "
            "JOIN campaign c ON c.id = cm.campaign_id "
            "JOIN campaign_status cs ON cs.id = cm.status_id "
            "WHERE cm.record_id = ? ORDER BY c.active DESC, cm.since DESC, cm.id DESC",
            [record_id],
        )
        open_fus = self.rows(
            "SELECT f.id, f.version, f.due_date, f.due_time, f.priority, f.instruction, "
            "f.assignee_id, u.display_name, f.source_activity_id, a.subject, f.recurrence "
            "FROM follow_up f "
            "JOIN app_user u ON u.id = f.assignee_id "
            "LEFT JOIN activity a ON a.id = f.source_activity_id "
            "WHERE f.record_id = ? AND f.state = 'open' "
            "ORDER BY f.due_date, f.due_time IS NULL, f.due_time, f.priority DESC, f.id",
            [record_id],
        )
        # Every status change and done follow-up happens at the time of an activity,
        # so the page lies within the newest limit + 1 activities' time window.
        n = limit + 1
        timeline = self.rows(
            f"""
            WITH acts AS (
                SELECT a.id, a.occurred_at, a.subject, a.user_id, a.type_id FROM activity a
                WHERE a.record_id = ? ORDER BY a.occurred_at DESC, a.id DESC LIMIT {n}),
            win AS (
                SELECT a.id, a.occurred_at, a.user_id FROM activity a
                WHERE a.record_id = ? AND a.occurred_at >= (SELECT min(occurred_at) FROM acts))
            SELECT 1 AS rank, acts.id AS id, acts.occurred_at AS at, acts.subject AS title,
                   u.display_name AS author, t.name AS type_name, t.icon AS icon,
                   CAST(NULL AS VARCHAR) AS old_status, CAST(NULL AS VARCHAR) AS new_status,
                   CAST(NULL AS VARCHAR) AS color, CAST(NULL AS DATE) AS due_date,
                   CAST(NULL AS INTEGER) AS priority
            FROM acts
            JOIN app_user u ON u.id = acts.user_id
            JOIN activity_type t ON t.id = acts.type_id
            UNION ALL
            SELECT 2, sc.id, win.occurred_at, c.name, u.display_name,
                   CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), o.name, s.name, s.color,
                   CAST(NULL AS DATE), CAST(NULL AS INTEGER)
            FROM win
            JOIN status_change sc ON sc.activity_id = win.id
            JOIN campaign c ON c.id = sc.campaign_id
            LEFT JOIN campaign_status o ON o.id = sc.from_status_id
            JOIN campaign_status s ON s.id = sc.to_status_id
            JOIN app_user u ON u.id = win.user_id
            WHERE sc.record_id = ?
            UNION ALL
            SELECT 3, f.id, win.occurred_at, f.instruction, u.display_name,
                   CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR),
                   CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), f.due_date, f.priority
            FROM win
            JOIN follow_up f ON f.completed_by_activity_id = win.id
            JOIN app_user u ON u.id = f.assignee_id
            WHERE f.record_id = ? AND f.state = 'done'
            ORDER BY 3 DESC, 1 DESC, 2 DESC LIMIT {limit}""",
            [record_id] * 4,
        )
        return {
            "record": [(r[0], r[3]) for r in detail],
            "contacts": [r[0] for r in contacts],
            "memberships": [r[0] for r in memberships],
            "open_follow_ups": [r[0] for r in open_fus],
            "timeline": [(r[0], r[1]) for r in timeline],
        }

    # --- the follow-up list ------------------------------------------------------------------

    def follow_ups(self, user_id: int, today: date, limit: int) -> dict[str, Any]:
        """Counts per due bucket and the first page (by due date) of a user's open list."""
        end = today + timedelta(days=6 - today.weekday())
        counts = self.rows(
            "SELECT count(*), "
            "coalesce(sum(CASE WHEN due_date < ? THEN 1 ELSE 0 END), 0), "
            "coalesce(sum(CASE WHEN due_date = ? THEN 1 ELSE 0 END), 0), "
            "coalesce(sum(CASE WHEN due_date > ? AND due_date <= ? THEN 1 ELSE 0 END), 0), "
            "coalesce(sum(CASE WHEN due_date > ? THEN 1 ELSE 0 END), 0) "
            "FROM follow_up WHERE assignee_id = ? AND state = 'open'",
            [today, today, today, end, end, user_id],
        )[0]
        page = self.rows(
            f"""
            SELECT f.id, f.version, f.record_id, r.name, r.city, f.due_date, f.due_time,
                   f.priority, f.instruction, f.assignee_id, u.display_name, f.recurrence,
                   f.source_activity_id, a.subject, a.occurred_at, t.icon
            FROM follow_up f
            JOIN record r ON r.id = f.record_id
            JOIN app_user u ON u.id = f.assignee_id
            LEFT JOIN activity a ON a.id = f.source_activity_id
            LEFT JOIN activity_type t ON t.id = a.type_id
            WHERE f.assignee_id = ? AND f.state = 'open'
            ORDER BY f.due_date, f.id LIMIT {int(limit)}""",
            [user_id],
        )
        return {"counts": tuple(int(c) for c in counts), "rows": [(r[0], r[5]) for r in page]}

    # --- dead records ---------------------------------------------------------------------

    def dead_records(self, limit: int) -> dict[str, Any]:
        """Count and first page of the dead records, longest silent first, with statuses."""
        page = self.rows(
            f"""
            SELECT r.id, r.name, r.city, u.display_name, r.last_activity_at, count(*) OVER ()
            FROM record r
            LEFT JOIN app_user u ON u.id = r.owner_id
            WHERE r.next_follow_up_date IS NULL
              AND EXISTS (SELECT 1 FROM campaign_membership cm
                          JOIN campaign_status cs ON cs.id = cm.status_id
                          JOIN campaign c ON c.id = cm.campaign_id
                          WHERE cm.record_id = r.id AND {self._true("c.active")}
                            AND NOT cs.is_final)
              AND NOT EXISTS (SELECT 1 FROM follow_up f
                              WHERE f.record_id = r.id AND f.state = 'open')
            ORDER BY r.last_activity_at IS NOT NULL, r.last_activity_at, r.id
            LIMIT {int(limit)}"""
        )
        ids = [r[0] for r in page]
        statuses: list[tuple] = []
        if ids:
            cond, params = self._in("cm.record_id", ids)
            statuses = self.rows(
                f"SELECT cm.record_id, c.name, cs.name, cs.color FROM campaign_membership cm "
                f"JOIN campaign c ON c.id = cm.campaign_id "
                f"JOIN campaign_status cs ON cs.id = cm.status_id "
                f"WHERE {cond} AND {self._true('c.active')} AND NOT cs.is_final "
                f"ORDER BY cm.record_id, c.name",
                params,
            )
        return {
            "count": int(page[0][5]) if page else 0,
            "rows": ids,
            "statuses": sorted((s[0], s[1], s[2]) for s in statuses),
        }

    # --- the activity stream -------------------------------------------------------------

    def stream(self, limit: int) -> list[int]:
        rows = self.rows(
            f"""
            WITH page AS (
                SELECT id FROM activity ORDER BY occurred_at DESC, id DESC LIMIT {int(limit)})
            SELECT a.id, a.occurred_at, u.display_name, t.name, t.icon, r.name, a.subject,
                   substr(a.text, 1, 200)
            FROM page
            JOIN activity a ON a.id = page.id
            JOIN app_user u ON u.id = a.user_id
            JOIN activity_type t ON t.id = a.type_id
            JOIN record r ON r.id = a.record_id
            ORDER BY a.occurred_at DESC, a.id DESC"""
        )
        ids = [r[0] for r in rows]
        if ids:
            cond, params = self._in("sc.activity_id", ids)
            self.rows(
                f"SELECT sc.activity_id, c.name, o.name, s.name, s.color FROM status_change sc "
                f"JOIN campaign c ON c.id = sc.campaign_id "
                f"LEFT JOIN campaign_status o ON o.id = sc.from_status_id "
                f"JOIN campaign_status s ON s.id = sc.to_status_id WHERE {cond} "
                f"ORDER BY sc.activity_id, sc.id",
                params,
            )
        return ids
