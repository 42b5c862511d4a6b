"""One simulated client of the load test (:mod:`.load`), run in a process of
its own: log in as its user's role, listen for the others' announcements,
save activities in a loop until its time is up, report what it measured."""

from __future__ import annotations

import random
import threading
import time
import uuid
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from akquise_desktop import models as m
from akquise_desktop.controller import Controller, LogActivity, NextFollowUp
from akquise_desktop.core.changes import ChangeSummary, Entity
from akquise_desktop.core.errors import DomainError
from akquise_desktop.storage import Database

CONNECT_TIMEOUT = 120.0  # s for every client to be connected and listening
GRACE = 10.0  # s at most after the last save for the others' last announcements


@dataclass
class ClientResult:
    index: int
    saves: int
    latencies: array  # s per save
    sent_ids: array  # activity ids saved, with ...
    sent_at: array  # ... time.time() when the save returned
    heard_ids: array  # activity ids announced by others, with ...
    heard_at: array  # ... time.time() when the announcement arrived
    refusals: dict[str, int]
    errors: dict[str, int]
    retries: dict[str, int]
    whole_refreshes: int  # announcements too big for ids, or a reconnect
    cpu_s: float  # the process's CPU time (both threads) while saving


def _open_follow_up(db: Database, record_id: int) -> tuple[int, int] | None:
    fu = m.FollowUp
    with db.read() as s:
        row = s.execute(
            select(fu.id, fu.version)
            .where(fu.record_id == record_id, fu.state == m.FollowUpState.OPEN)
            .order_by(fu.id)
            .limit(1)
        ).first()
    return (row[0], row[1]) if row is not None else None


def client_main(
    index: int,
    url: str,
    user_id: int,
    records: Sequence[int],
    seconds: float,
    pause: float,
    seed: int,
    start: Any,  # multiprocessing Barrier: all connected and listening
    done: Any,  # multiprocessing Barrier: all stopped saving
    total: Any,  # multiprocessing Value: the saves of all clients
    results: Any,  # multiprocessing Queue
) -> None:
    """A client process: connect as its role, listen, save in a loop, report."""
    try:
        result = _client(index, url, user_id, records, seconds, pause, seed, start, done, total)
    except BaseException as exc:  # reported to the parent, which fails the run
        start.abort()
        done.abort()
        results.put((index, f"{type(exc).__name__}: {exc}"))
        return
    results.put((index, result))


def _client(
    index: int,
    url: str,
    user_id: int,
    records: Sequence[int],
    seconds: float,
    pause: float,
    seed: int,
    start: Any,
    done: Any,
    total: Any,
) -> ClientResult:
    from akquise_desktop.desktop.live import Listener, LiveState

    rnd = random.Random(seed)
    committed = [0.0]  # time.time() when the last transaction's commit returned

    def on_commit(_session: Session) -> None:
        committed[0] = time.time()

    event.listen(Session, "after_commit", on_commit)  # this process's sessions only
    db = Database(url).open(create=False)
    ctl = Controller(db, user_id)
    heard_ids, heard_at = array("q"), array("d")
    whole = 0
    lock = threading.Lock()

    def on_summary(summary: ChangeSummary) -> None:
        nonlocal whole
        now = time.time()
        with lock:
            if summary.whole:
                whole += 1
            for aid in summary.created.get(Entity.ACTIVITY, ()):
                heard_ids.append(aid)
                heard_at.append(now)

    listener = Listener(db, on_summary)
    listener.start()
    waited = time.monotonic() + CONNECT_TIMEOUT
    while listener.state != LiveState.CONNECTED:
        if time.monotonic() > waited:
            raise RuntimeError("the listener did not connect")
        time.sleep(0.02)
    for rid in records:  # connected, and the statements prepared once
        _open_follow_up(db, rid)
    latencies, sent_ids, sent_at = array("d"), array("q"), array("d")
    refusals: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    today = ctl.clock.today()
    start.wait(CONNECT_TIMEOUT)
    deadline = time.monotonic() + seconds
    cpu_began = time.process_time()
    turn = 0
    while time.monotonic() < deadline:
        record_id = records[turn % len(records)]
        turn += 1
        seen = _open_follow_up(db, record_id)
        if seen is None:
            errors["no open follow-up"] += 1
            continue
        fu_id, version = seen
        cmd = LogActivity(
            record_id=record_id,
            subject="Telefonat",
            completes={fu_id: version},
            next_follow_up=NextFollowUp(today + timedelta(days=rnd.randint(1, 30))),
            client_key=str(uuid.uuid4()),
        )
        began = time.perf_counter()
        try:
            summary = ctl.log_activity(cmd)
        except DomainError as exc:
            refusals[exc.rule_id] += 1
            continue
        latencies.append(time.perf_counter() - began)
        sent_at.append(committed[0])
        sent_ids.append(summary.result_id or 0)
        if pause:
            time.sleep(pause * rnd.uniform(0.5, 1.5))
    cpu = time.process_time() - cpu_began
    with total.get_lock():
        total.value += len(latencies)
    done.wait(CONNECT_TIMEOUT + seconds)
    # Until every other client's save has been heard (or GRACE is over).
    others = total.value - len(latencies)
    waited = time.monotonic() + GRACE
    while time.monotonic() < waited:
        with lock:
            if len(heard_ids) >= others:
                break
        time.sleep(0.05)
    listener.stop()
    db.dispose()
    with lock:
        return ClientResult(
            index=index,
            saves=len(latencies),
            latencies=latencies,
            sent_ids=sent_ids,
            sent_at=sent_at,
            heard_ids=heard_ids,
            heard_at=heard_at,
            refusals=dict(refusals),
            errors=dict(errors),
            retries=dict(ctl.retries),
            whole_refreshes=whole,
            cpu_s=cpu,
        )
