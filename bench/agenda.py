"""The Monday agenda at volume: build time and query count for 10, 100 and 1000 of everything.

Each size gets a pair with n open uppdrag, n open questions, n waiting cases and n
agenda points. The query count must stay the same at every size (no N+1), and the
time should grow about linearly. Run: `python -m bench agenda`.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from bot import db
from bot.domain.agenda import POINT_TYPES
from bot.i18n import translator
from bot.models import AgendaPoint, Arende, Pair, Uppdrag, UppdragFraga
from bot.presenters.agenda import render_messages
from bot.services.agenda import build_agenda, meeting_of_week
from bot.services.pairs import calendar_for

SIZES = (10, 100, 1000)
REPEAT = 5
MEETING = date(2026, 11, 30)
BEFORE = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def _fill(engine: Engine, n: int) -> int:
    sessions = db.make_session_factory(engine)
    with db.transaction(sessions) as s:
        pair = Pair(
            team_id="T", channel_id="GBENCH", kso_user="UKSO", kd_user="UKD", created_by="UKSO", created_at=BEFORE - timedelta(days=300)
        )
        s.add(pair)
        s.flush()
        uppdrag = [
            Uppdrag(
                pair_id=pair.id,
                nr=i,
                text=f"Uppdrag {i} " + "text " * 10,
                given_by="UKSO",
                given_at=BEFORE - timedelta(days=i % 20),
                status="open",
                deadline=MEETING + timedelta(days=(i % 30) - 15) if i % 4 else None,
            )
            for i in range(1, n + 1)
        ]
        s.add_all(uppdrag)
        s.flush()
        s.add_all(UppdragFraga(uppdrag_id=u.id, fraga=f"Fråga om {u.nr}?", asked_by="UKD", asked_at=BEFORE) for u in uppdrag)
        s.add_all(
            Arende(pair_id=pair.id, nr=i, titel=f"Ärende {i}", submitted_by="UKD", submitted_at=BEFORE, status="vantar")
            for i in range(1, n + 1)
        )
        s.add_all(
            AgendaPoint(
                pair_id=pair.id, typ=POINT_TYPES[i % 5], text=f"Punkt {i}", created_by="UKD", created_at=BEFORE - timedelta(days=i % 30)
            )
            for i in range(1, n + 1)
        )
        return pair.id


def _measure(engine: Engine, work: Callable[[], Any]) -> tuple[float, int]:
    times = []
    with db.count_queries(engine) as queries:
        for _ in range(REPEAT):
            start = time.perf_counter()
            work()
            times.append(time.perf_counter() - start)
    return statistics.median(times), queries.n // REPEAT


def _one_size(n: int) -> tuple[float, int, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = db.make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        db.upgrade(engine)
        pair_id = _fill(engine, n)
        sessions = db.make_session_factory(engine)
        with db.transaction(sessions) as s:
            pair = s.get(Pair, pair_id)
            assert pair is not None
            meeting = meeting_of_week(calendar_for(s, pair), pair, MEETING)
            assert meeting is not None
            build_time, queries = _measure(engine, lambda: build_agenda(s, pair, meeting))
            built = build_agenda(s, pair, meeting)
            render_time, _ = _measure(engine, lambda: render_messages(built, translator()))
            messages = len(render_messages(built, translator()))
        engine.dispose()
    return build_time, queries, render_time, messages


def main() -> None:
    print(f"{'n':>6} {'bygga (ms)':>11} {'frågor':>7} {'rendera (ms)':>13} {'meddelanden':>12}")
    results = {}
    for n in SIZES:
        build_time, queries, render_time, messages = _one_size(n)
        results[n] = (build_time, queries)
        print(f"{n:>6} {build_time * 1000:>11.2f} {queries:>7} {render_time * 1000:>13.2f} {messages:>12}")
    small, large = SIZES[0], SIZES[-1]
    time_ratio = results[large][0] / results[small][0]
    print(
        f"tid {large}/{small}: {time_ratio:.1f}x för {large // small}x så mycket data "
        f"(linjärt = {large // small}x); frågor {results[small][1]} → {results[large][1]} "
        f"({'oförändrat' if results[small][1] == results[large][1] else 'VÄXER: N+1'})"
    )


if __name__ == "__main__":
    main()
