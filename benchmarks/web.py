#!/usr/bin/env python3
"""The review app's speed over a large store: the overview's first load and an event page.

Prints figures; asserts nothing (targets in benchmarks/README.md: overview < 1 s, event page < 200 ms).

    .venv/bin/python benchmarks/web.py [--events 100000] [--runs 20] [--db URL] [--rebuild]

- The store: ``--events`` canonical events (default 100,000) written straight into the tables (a
  few minutes of ingest otherwise), each told by 1 to 4 reports with their own Arabic text, spread
  over Syria's fourteen governorates and five years, with history rows and a mix of review
  statuses and geo precisions. Built once and kept under the temporary folder
  (``ahdath-bench-web-N.sqlite``); ``--rebuild`` makes it again. ``--db URL`` benchmarks an existing
  store instead (PostgreSQL included).
- The server: ``ahdath serve`` in its own process (so the client's work does not share its GIL).
- Overview first load, as a browser does it: ``GET /`` (the HTML), then in parallel the first
  ``/api/events`` page, ``/api/map`` (every point) and ``/api/stats``. Event page: ``GET
  /events/ID`` then ``/api/events/ID``, a different event each run. Median and p95 over ``--runs``
  runs after two warm-up runs, with the bytes each response carried. Then one export of every event
  as ACLED CSV.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

# the governorates: ACLED admin1 name, Arabic name, a point near the middle (degrees)
GOVERNORATES = (
    ("Aleppo", "حلب", 36.20, 37.15), ("Idleb", "إدلب", 35.93, 36.63), ("Hama", "حماة", 35.13, 36.75),
    ("Homs", "حمص", 34.73, 36.72), ("Damascus", "دمشق", 33.51, 36.29), ("Rural Damascus", "ريف دمشق", 33.60, 36.50),
    ("Dar'a", "درعا", 32.62, 36.10), ("As-Sweida", "السويداء", 32.70, 36.57), ("Quneitra", "القنيطرة", 33.12, 35.82),
    ("Lattakia", "اللاذقية", 35.52, 35.78), ("Tartous", "طرطوس", 34.89, 35.89),
    ("Deir-ez-Zor", "دير الزور", 35.33, 40.14), ("Ar-Raqqa", "الرقة", 35.95, 39.01),
    ("Al-Hasakeh", "الحسكة", 36.50, 40.75),
)
# village names made of common place-name words (not real places: the figures need only their shape)
_HEADS = ("تل", "عين", "كفر", "دير", "بيت", "خربة", "مزرعة", "جسر")
_TAILS = ("الزيتون", "الحمرا", "البيضا", "النهر", "الشيخ", "العلي", "الصخر", "الورد", "التوت", "السنديان")
_KINDS = (  # sub-event type, event type, the verb a report uses, weight
    ("Shelling/artillery/missile attack", "Explosions/Remote violence", "قصفت قوات النظام بالمدفعية", 30),
    ("Air/drone strike", "Explosions/Remote violence", "شنت طائرات حربية غارات على", 25),
    ("Armed clash", "Battles", "اندلعت اشتباكات عنيفة في", 20),
    ("Remote explosive/landmine/IED", "Explosions/Remote violence", "انفجرت عبوة ناسفة في", 10),
    ("Attack", "Violence against civilians", "هاجم مسلحون مجهولون مدنيين في", 8),
    ("Arrests", "Strategic developments", "اعتقلت قوات الأمن شبانا في", 5),
    ("Peaceful protest", "Protests", "تظاهر العشرات في", 2),
)
_ACTORS = ("Military Forces of Syria (2000-)", "Military Forces of Russia (2000-)", "Hayat Tahrir al Sham",
           "Islamic State (Syria)", "Syrian Democratic Forces", "Unidentified Armed Group (Syria)",
           "Civilians (Syria)", "Military Forces of Turkey (2016-)", "Protesters (Syria)")
_OUTLETS = ("عنب بلدي", "المرصد السوري", "سمارت", "الدرر الشامية", "شبكة شام", "نداء سوريا")
_STATUSES = (("machine", 80), ("reviewed", 12), ("final", 4), ("flagged", 2), ("machine_updated", 2))


def _pick(rng: random.Random, weighted: tuple[tuple[Any, ...], ...]) -> tuple[Any, ...]:
    return rng.choices(weighted, weights=[w[-1] for w in weighted])[0]


def build_store(path: Path, n_events: int, seed: int = 20261205) -> None:
    """Write ``n_events`` events, their reports, mentions and history straight into a new store."""
    from sqlalchemy import insert

    from ahdath.store import Store
    from ahdath.store.browse import report_search_text
    from ahdath.store.schema import changes, events, id_counters, mentions, reports

    rng = random.Random(seed)
    villages = {g[0]: [(f"{rng.choice(_HEADS)} {rng.choice(_TAILS)}", g[2] + rng.uniform(-0.35, 0.35),
                        g[3] + rng.uniform(-0.35, 0.35)) for _ in range(40)] for g in GOVERNORATES}
    first_day, days = date(2020, 1, 1), 5 * 365
    now = time.time()
    store = Store.open(f"sqlite:///{path}", access="create")
    ev_rows: list[dict[str, Any]] = []
    rep_rows: list[dict[str, Any]] = []
    men_rows: list[dict[str, Any]] = []
    log_rows: list[dict[str, Any]] = []
    report_id = 0

    def flush(final: bool = False) -> None:
        if len(ev_rows) < 5000 and not final:
            return
        with store.engine.begin() as conn:
            for table, rows in ((events, ev_rows), (reports, rep_rows), (mentions, men_rows), (changes, log_rows)):
                if rows:
                    conn.execute(insert(table), rows)
                rows.clear()

    for n in range(1, n_events + 1):
        gov, gov_ar, _lat, _lon = GOVERNORATES[min(int(rng.paretovariate(1.2)) - 1, len(GOVERNORATES) - 1)]
        sub, typ, verb, _w = _pick(rng, _KINDS)
        village, lat, lon = rng.choice(villages[gov])
        precision = rng.choices((1, 2, 3), weights=(80, 12, 8))[0]
        if precision == 3:
            village, lat, lon = gov_ar, _lat, _lon
        day = first_day + timedelta(days=rng.randrange(days))
        fatalities = rng.choices((0, 1, 2, 3, 5, 8, 12), weights=(40, 20, 12, 10, 8, 6, 4))[0]
        actor1, actor2 = rng.sample(_ACTORS, 2)
        status = _pick(rng, _STATUSES)[0]
        confidence = round(rng.uniform(0.35, 0.97), 3)
        n_reports = rng.choices((1, 2, 3, 4), weights=(45, 30, 15, 10))[0]
        event_id = f"SYR{n}"
        common = {"event_date": day.isoformat(), "year": day.year, "time_precision": 1,
                  "disorder_type": "Political violence" if typ not in ("Protests", "Strategic developments")
                  else ("Demonstrations" if typ == "Protests" else "Strategic developments"),
                  "event_type": typ, "sub_event_type": sub, "actor1": actor1, "assoc_actor_1": None, "inter1": 1,
                  "actor2": actor2, "assoc_actor_2": None, "inter2": 7, "interaction": 17,
                  "civilian_targeting": "Civilian targeting" if actor2 == "Civilians (Syria)" else None,
                  "iso": 760, "region": "Middle East", "country": "Syria", "admin1": gov, "admin2": None,
                  "admin3": None, "location": village if precision < 3 else gov, "location_ar": village,
                  "latitude": round(lat, 4), "longitude": round(lon, 4), "geo_precision": precision,
                  "fatalities": fatalities, "tags": "unresolved_place" if precision == 3 and n % 3 == 0 else None,
                  "confidence": confidence}
        outlets = rng.sample(_OUTLETS, n_reports)
        ev_rows.append({"id": n, "event_id": event_id, **common, "source": "; ".join(outlets),
                        "source_url": f"https://news.example/{n}/1",
                        "notes": f"On {day.isoformat()}, {sub.lower()} in {village}, {gov}.",
                        "merge_reason": None if n_reports == 1 else "same day, place and sub-event type",
                        "n_reports": n_reports, "pinned": None, "created_at": now, "updated_at": now + n % 1000,
                        "deleted": False, "status": status, "status_note": None})
        log_rows.append({"event_id": event_id, "at": now, "actor": "bench (ahdath pid 0)", "action": "create",
                         "detail": "from report bench", "before": None, "after": {"fatalities": fatalities}})
        for k, outlet in enumerate(outlets):
            report_id += 1
            told = max(0, fatalities + (rng.choice((-1, 0, 0, 1)) if k else 0))
            lead = f"{verb} {village} في ريف {gov_ar}، "
            text = (f"{lead}يوم {day.isoformat()}، ما أسفر عن مقتل {told} أشخاص وإصابة آخرين بجروح، بحسب ما أفاد "
                    f"به مراسل {outlet}.\nوقال ناشطون إن الأهالي نزحوا من المنطقة خشية تجدد القصف، فيما "
                    f"تواصل فرق الدفاع المدني البحث عن ناجين تحت الأنقاض في {village}.")
            v0 = len(verb) + 1
            spans = {"trigger": [{"text": verb, "start": 0, "end": len(verb)}],
                     "location": [{"text": village, "start": v0, "end": v0 + len(village)}]}
            url = f"https://news.example/{n}/{k + 1}"
            rep_rows.append({"id": report_id, "article_id": f"bench-{n}-{k + 1}", "url": url,
                             "content_hash": hashlib.sha256(url.encode()).hexdigest(), "source": outlet,
                             "title": f"{sub} في {village}", "published": day.isoformat(), "text": text,
                             "extracted_at": now, "extractor_version": "bench", "n_events": 1, "ingested_at": now,
                             "search": report_search_text(f"{sub} في {village}", text)})
            record = {"article_id": f"bench-{n}-{k + 1}", "event_id": f"SYR-{report_id:010d}", **common,
                      "fatalities": told, "source": outlet, "source_url": url, "notes": "",
                      "evidence": {"text": lead, "start": 0, "end": len(lead), "spans": spans}}
            men_rows.append({"report_id": report_id, "event_id": n, "local_id": "e1", "record": record,
                             "merge_reason": None if k == 0 else "same day, place and sub-event type",
                             "added_at": now})
        flush()
    flush(final=True)
    with store.engine.begin() as conn:
        conn.execute(insert(id_counters), [{"prefix": "SYR", "next_value": n_events + 1}])
    store.close()


def _serve(db: str) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "ahdath", "serve", "--db", db, "--port", "0"],
                            stderr=subprocess.PIPE, text=True, env=env)
    line = proc.stderr.readline() if proc.stderr else ""
    m = re.search(r"at (http://[^ ]+/) ", line)
    if not m:
        proc.kill()
        raise SystemExit(f"the server did not start: {line}{proc.stderr.read() if proc.stderr else ''}")
    return proc, m.group(1).rstrip("/")


def _quantiles(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"median {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"


def bench(base: str, runs: int, event_ids: list[str]) -> None:
    import httpx

    headers = {"accept-encoding": "gzip"}
    clients = [httpx.Client(base_url=base, timeout=120, headers=headers) for _ in range(4)]
    api = ("/api/events?page=1&per_page=50&sort=event_date&order=desc", "/api/map", "/api/stats")
    sizes: dict[str, int] = {}

    def get(client: httpx.Client, path: str, parts: dict[str, list[float]]) -> float:
        t = time.perf_counter()
        r = client.get(path)
        r.raise_for_status()
        name = path.split("?")[0]
        sizes[name] = int(r.headers.get("content-length") or len(r.content))
        took = time.perf_counter() - t
        parts.setdefault(name, []).append(took)
        return took

    def overview(cold: bool) -> tuple[list[float], dict[str, list[float]]]:
        """Cold: each run's filter is new to the server (a confidence floor under every event, a different
        one each run), so nothing it kept answers it; warm: the same first view every time."""
        times: list[float] = []
        parts: dict[str, list[float]] = {}
        with concurrent.futures.ThreadPoolExecutor(3) as pool:
            for i in range(runs + 2):
                extra = f"conf_min={(i + 1) * 1e-9:.9f}" if cold else ""
                paths = [p + ("&" if "?" in p else "?") + extra if extra else p for p in api]
                t0 = time.perf_counter()
                get(clients[0], "/", parts)
                list(pool.map(lambda cp: get(cp[0], cp[1], parts), zip(clients[1:], paths)))
                if i >= 2 or cold:
                    times.append(time.perf_counter() - t0)
        return times[-runs:], {k: v[-runs:] for k, v in parts.items()}

    for label, cold in (("cold (a filter the server has not seen)", True), ("warm (the same view again)", False)):
        times, parts = overview(cold)
        print(f"overview first load, {label}, {runs} runs: {_quantiles(times)}   (target < 1000 ms)")
        for path in ("/", *api):
            name = path.split("?")[0]
            print(f"    {name:<14} {_quantiles(parts[name])}   {sizes.get(name, 0):>9,} bytes")
    page: list[float] = []
    for i, event_id in enumerate(event_ids[:runs + 2]):
        t0 = time.perf_counter()
        clients[0].get(f"/events/{event_id}").raise_for_status()
        clients[0].get(f"/api/events/{event_id}").raise_for_status()
        if i >= 2:
            page.append(time.perf_counter() - t0)
    print(f"event page (HTML + /api/events/ID), {runs} runs: {_quantiles(page)}   (target < 200 ms)")
    t0 = time.perf_counter()
    size = 0
    with clients[0].stream("GET", "/api/export?format=acled-csv") as r:
        r.raise_for_status()
        for chunk in r.iter_bytes():
            size += len(chunk)
    print(f"export of every event as ACLED CSV, once: {time.perf_counter() - t0:.1f} s, {size:,} bytes")
    for c in clients:
        c.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--db", default=None, help="an existing store to serve instead of the generated one")
    ap.add_argument("--rebuild", action="store_true", help="build the generated store again")
    args = ap.parse_args(argv)
    if args.db:
        db = args.db
    else:
        path = Path(tempfile.gettempdir()) / f"ahdath-bench-web-{args.events}.sqlite"
        if args.rebuild or not path.exists():
            for leftover in path.parent.glob(path.name + "*"):
                leftover.unlink()
            t = time.perf_counter()
            build_store(path.with_suffix(".partial"), args.events)
            path.with_suffix(".partial").rename(path)
            print(f"built {path} ({args.events:,} events) in {time.perf_counter() - t:.0f} s")
        db = f"sqlite:///{path}"
    from sqlalchemy import create_engine, text

    engine = create_engine(db)
    with engine.connect() as conn:
        total = conn.execute(text("SELECT count(*) FROM events WHERE NOT deleted")).scalar_one()
        ids = [r[0] for r in conn.execute(text("SELECT event_id FROM events WHERE NOT deleted"))]
    engine.dispose()
    rng = random.Random(7)
    print(f"store: {db} ({total:,} events); python {sys.version.split()[0]}; {os.cpu_count()} CPUs")
    proc, base = _serve(db)
    try:
        bench(base, args.runs, rng.sample(ids, min(len(ids), args.runs + 2)))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
