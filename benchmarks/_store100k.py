#!/usr/bin/env python3
"""A store of N synthetic events for the browser benchmarks (``benchmarks/web.py``), and timings of
the store's browse reads on it.

    .venv/bin/python benchmarks/_store100k.py [--db sqlite:///tmp/100k.sqlite] [--events 100000] [--seed 5]

Writes the rows straight into the tables (no extraction, no dedup: the point is a store of the
right size and shape, made in seconds): each event is told by one or two reports of our own
template prose, over five years and the fourteen Syrian governorates, with statuses, tags and
confidences spread as a reviewed store's would be; each report's mention record carries the
fields and an evidence span, as the pipeline writes them. Then it times, best of five:
``browse_events`` first page (default sort, and by risk), a filtered page, a free-text page,
``map_points`` of everything, and ``stats``.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from ahdath.store import Store  # noqa: E402
from ahdath.store.browse import report_search_text  # noqa: E402
from ahdath.store.schema import events, id_counters, mentions, reports  # noqa: E402

START = date(2020, 1, 1)
GOVERNORATES = [("Aleppo", "حلب", 36.25, 37.60), ("Idleb", "إدلب", 35.75, 36.65), ("Hama", "حماة", 35.20, 37.00),
                ("Homs", "حمص", 34.60, 38.00), ("Dar'a", "درعا", 32.85, 36.20), ("Damascus", "دمشق", 33.51, 36.30),
                ("Rural Damascus", "ريف دمشق", 33.55, 36.90), ("Deir ez-Zor", "دير الزور", 35.00, 40.40),
                ("Ar-Raqqa", "الرقة", 35.85, 38.95), ("Al-Hasakeh", "الحسكة", 36.45, 40.95),
                ("Lattakia", "اللاذقية", 35.62, 35.95), ("Tartous", "طرطوس", 34.95, 36.05),
                ("Quneitra", "القنيطرة", 33.05, 35.85), ("As-Sweida", "السويداء", 32.70, 36.75)]
TYPES = [("Battles", "Armed clash", "اشتباكات عنيفة"),
         ("Explosions/Remote violence", "Shelling/artillery/missile attack", "قصف مدفعي"),
         ("Explosions/Remote violence", "Air/drone strike", "غارة جوية"),
         ("Violence against civilians", "Attack", "هجوم مسلح"),
         ("Explosions/Remote violence", "Remote explosive/landmine/IED", "انفجار عبوة ناسفة"),
         ("Protests", "Peaceful protest", "وقفة احتجاجية")]
ACTORS = ["Military Forces of Syria (2000-)", "Military Forces of Russia (2000-)", "Hayat Tahrir al-Sham",
          "Syrian Democratic Forces", "Unidentified Armed Group (Syria)", "Protesters (Syria)"]
STATUSES = ["machine"] * 14 + ["reviewed"] * 4 + ["final", "machine_updated", "flagged"]


def build(url: str, n: int = 100_000, seed: int = 5, batch: int = 5000) -> None:
    """Fill a new store at ``url`` with ``n`` events (``seed``: the same store each time)."""
    rnd = random.Random(seed)
    towns = [(f"Town{i:04d}", f"بلدة {i}", g) for i, g in
             ((i, GOVERNORATES[rnd.randrange(len(GOVERNORATES))]) for i in range(3000))]
    now = time.time()
    with Store.open(url, actor="benchmark") as store:
        report_id = mention_id = 0
        for lo in range(0, n, batch):
            ev_rows: list[dict[str, Any]] = []
            rep_rows: list[dict[str, Any]] = []
            men_rows: list[dict[str, Any]] = []
            for i in range(lo, min(n, lo + batch)):
                name, name_ar, (gov, gov_ar, glat, glon) = towns[rnd.randrange(len(towns))]
                etype, sub, words = TYPES[rnd.randrange(len(TYPES))]
                day = START + timedelta(days=rnd.randrange(5 * 365))
                precision = rnd.choices((1, 2, 3), (0.75, 0.15, 0.10))[0]
                lat, lon = (glat, glon) if precision == 3 else (glat + rnd.uniform(-0.4, 0.4),
                                                               glon + rnd.uniform(-0.4, 0.4))
                fat = rnd.choices((0, 1, 2, 3, 5, 10), (0.4, 0.2, 0.15, 0.1, 0.1, 0.05))[0]
                outlets = ["Outlet A"] if rnd.random() < 0.6 else ["Outlet A", "Outlet B"]
                actor1 = ACTORS[5] if etype == "Protests" else ACTORS[rnd.randrange(5)]
                fields = {
                    "event_date": day.isoformat(), "year": day.year, "time_precision": 1,
                    "disorder_type": "Demonstrations" if etype == "Protests" else "Political violence",
                    "event_type": etype, "sub_event_type": sub, "actor1": actor1, "assoc_actor_1": None,
                    "inter1": 6 if etype == "Protests" else 1, "actor2": "Civilians (Syria)", "assoc_actor_2": None,
                    "inter2": 7, "interaction": 17, "civilian_targeting": None, "iso": 760, "region": "Middle East",
                    "country": "Syria", "admin1": gov, "admin2": None, "admin3": None, "location": name,
                    "location_ar": name_ar, "latitude": round(lat, 4), "longitude": round(lon, 4),
                    "geo_precision": precision, "source": "; ".join(outlets),
                    "source_url": f"https://outlet-a.example/{i}", "notes": f"On {day}, {sub.lower()} in {name}.",
                    "fatalities": fat, "tags": "unresolved_place" if rnd.random() < 0.05 else None,
                    "confidence": round(rnd.uniform(0.2, 0.98), 3)}
                ev_rows.append({"id": i + 1, "event_id": f"SYR{i + 1}", **fields, "merge_reason": None,
                                "n_reports": len(outlets), "pinned": None, "created_at": now, "updated_at": now,
                                "deleted": False, "status": STATUSES[rnd.randrange(len(STATUSES))]})
                for outlet in outlets:
                    report_id += 1
                    mention_id += 1
                    text = (f"أفاد ناشطون بوقوع {words} في {name_ar} بمحافظة {gov_ar}، ما أدى إلى مقتل {fat} "
                            f"أشخاص بحسب مصادر محلية. (تقرير {report_id})")
                    rep_rows.append({"id": report_id, "article_id": f"r{report_id}",
                                     "url": f"https://{outlet[-1].lower()}.example/{report_id}",
                                     "content_hash": f"{report_id:064x}", "source": outlet, "title": None,
                                     "search": report_search_text(None, text),
                                     "published": day.isoformat(), "text": text, "extracted_at": now,
                                     "extractor_version": "benchmark", "n_events": 1, "ingested_at": now})
                    start = text.index(words)
                    record = {"article_id": f"r{report_id}", "event_id": f"SYR-{report_id:010d}", **fields,
                              "source": outlet, "evidence": {"text": text, "start": 0, "end": len(text), "spans": {
                                  "trigger": [{"start": start, "end": start + len(words), "text": words}]}}}
                    men_rows.append({"id": mention_id, "report_id": report_id, "event_id": i + 1,
                                     "local_id": record["event_id"], "record": record, "merge_reason": None,
                                     "added_at": now})
            with store.transaction() as conn:
                store.insert_many(conn, events, ev_rows)
                store.insert_many(conn, reports, rep_rows)
                store.insert_many(conn, mentions, men_rows)
        with store.transaction() as conn:
            conn.execute(id_counters.delete())
            conn.execute(id_counters.insert().values(prefix="SYR", next_value=n))
            if store.db.backend == "postgresql":  # the rows came with their ids: move the sequences on
                for table in ("events", "reports", "mentions"):
                    conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                         f"(SELECT max(id) FROM {table}))")
            else:
                conn.exec_driver_sql("ANALYZE")


def best(fn: Callable[[], Any], runs: int = 5) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> int:
    from ahdath.store.browse import Browse, browse_events, map_points, stats

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None, help="a new store (default: a file in a temporary folder)")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    if args.db is None:
        import tempfile

        args.db = f"sqlite:///{tempfile.mkdtemp()}/store100k.sqlite"
    t = time.perf_counter()
    build(args.db, args.events, args.seed)
    print(f"built {args.events} events in {time.perf_counter() - t:.1f} s: {args.db}")
    with Store.open(args.db, access="read") as store:
        engine = store.engine
        cases: list[tuple[str, Callable[[], Any]]] = [
            ("browse_events first page (newest first, 50)", lambda: browse_events(engine, Browse())),
            ("browse_events first page by risk", lambda: browse_events(engine, Browse(sort="risk"))),
            ("browse_events admin1=حلب + type + dates", lambda: browse_events(engine, Browse(
                admin1="حلب", event_type="Battles", since="2022-01-01", until="2022-12-31"))),
            ("browse_events tag=disagreement", lambda: browse_events(engine, Browse(tag="disagreement"))),
            ("browse_events text='غارة جوية'", lambda: browse_events(engine, Browse(text="غارة جوية"))),
            ("map_points (all)", lambda: map_points(engine, Browse())),
            ("map_points (one year)", lambda: map_points(engine, Browse(since="2023-01-01", until="2023-12-31"))),
            ("stats (all)", lambda: stats(engine, Browse())),
        ]
        for label, fn in cases:
            seconds, out = best(fn)
            size = out.total if hasattr(out, "total") else len(out)
            print(f"{label:48s} {seconds * 1000:8.1f} ms  ({size} events)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
