#!/usr/bin/env python3
"""Time ``DedupIndex.cluster`` on synthetic events: 10k and 100k keys, and the ratio.

Prints figures; asserts nothing. Target: near-linear, so 100k keys cost about 10x (and
never 100x) of 10k.

    .venv/bin/python benchmarks/dedup.py [--sizes 10000 100000] [--per-day 25] [--seed 7]

The synthetic data keep the density of a busy conflict (``--per-day`` incidents a day over
3,000 towns of a Syria-sized box), so a 10x larger set covers 10x more days, as a longer
archive does. Each incident is told by one to three reports; a retelling may be dated a day
later, placed only to the governorate, name the attacker as unknown, use a compatible
sub-event type or give other coordinates within a kilometre.
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from ahdath.store.dedup import DedupIndex, DedupRules, EventKey  # noqa: E402

START = date(2014, 1, 1)
ADMIN1 = ["Aleppo", "Al-Hasakeh", "Ar-Raqqa", "As-Sweida", "Damascus", "Dar'a", "Deir ez-Zor", "Hama", "Homs",
          "Idleb", "Lattakia", "Quneitra", "Rural Damascus", "Tartous"]
ACTORS = ["Military Forces of Syria (2000-2024)", "Islamic State (Syria)", "Hayat Tahrir al-Sham",
          "Syrian Democratic Forces", "Military Forces of Russia (2000-)", "Military Forces of Turkey (2016-)",
          "Syrian National Army", "Opposition Rebels (Syria)"]
UNKNOWN = "Unidentified Armed Group (Syria)"
TYPES = [("Battles", "Armed clash", 0.3), ("Explosions/Remote violence", "Shelling/artillery/missile attack", 0.3),
         ("Explosions/Remote violence", "Air/drone strike", 0.2), ("Violence against civilians", "Attack", 0.1),
         ("Explosions/Remote violence", "Remote explosive/landmine/IED", 0.1)]
RETOLD_AS = {"Armed clash": ("Battles", "Non-state actor overtakes territory"),
             "Remote explosive/landmine/IED": ("Explosions/Remote violence", "Suicide bomb")}


def synthetic(n: int, per_day: int, seed: int) -> tuple[list[EventKey], list[int]]:
    """``n`` keys in report order (by date) and the incident each one tells."""
    rnd = random.Random(seed)
    towns = [(f"Town{i:04d}", rnd.uniform(32.3, 37.3), rnd.uniform(35.7, 42.3), rnd.choice(ADMIN1))
             for i in range(3000)]
    keys: list[EventKey] = []
    truth: list[int] = []
    incident = 0
    while len(keys) < n:
        name, lat, lon, admin1 = rnd.choice(towns)
        event_type, sub, _w = rnd.choices(TYPES, weights=[t[2] for t in TYPES])[0]
        actor1, actor2 = rnd.sample(ACTORS, 2)
        told = EventKey(ref=0, iso=760, event_date=START + timedelta(days=incident // per_day), time_precision=1,
                        event_type=event_type, sub_event_type=sub, actor1=actor1, actor2=actor2, admin1=admin1,
                        location=name, latitude=lat, longitude=lon, geo_precision=1, fatalities=rnd.randint(0, 5))
        for _ in range(rnd.choice((1, 1, 1, 2, 2, 3))):
            k = told
            if rnd.random() < 0.3:
                k = replace(k, event_date=k.event_date + timedelta(days=1))  # type: ignore[operator]
            if rnd.random() < 0.15:
                k = replace(k, location=f"Rural {admin1}", geo_precision=3, latitude=None, longitude=None)
            elif rnd.random() < 0.5:
                k = replace(k, latitude=lat + rnd.uniform(-0.008, 0.008), longitude=lon + rnd.uniform(-0.008, 0.008))
            if rnd.random() < 0.1:
                k = replace(k, actor1=UNKNOWN)
            if sub in RETOLD_AS and rnd.random() < 0.1:
                k = replace(k, event_type=RETOLD_AS[sub][0], sub_event_type=RETOLD_AS[sub][1])
            ref = len(keys)
            keys.append(replace(k, ref=ref, report_refs=frozenset({ref})))
            truth.append(incident)
        incident += 1
    order = sorted(range(n), key=lambda i: (keys[i].event_date, rnd.random()))
    return [keys[i] for i in order], [truth[i] for i in order]


def agreement(clusters: list[list[int]], truth: dict[int, int]) -> tuple[float, float]:
    """Share of keys in a cluster whose majority tells their incident, and share of
    incidents told in one cluster only."""
    pure = 0
    homes: dict[int, set[int]] = {}
    for n, members in enumerate(clusters):
        counts = Counter(truth[ref] for ref in members)
        pure += counts.most_common(1)[0][1]
        for ref in members:
            homes.setdefault(truth[ref], set()).add(n)
    whole = sum(1 for h in homes.values() if len(h) == 1)
    return pure / sum(len(c) for c in clusters), whole / len(homes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--per-day", type=int, default=25, help="incidents a day (default 25)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    rules = DedupRules.from_data()
    print(f"rules: max_days {rules.max_days}, max_km {rules.max_km:g}; {args.per_day} incidents/day; "
          f"python {sys.version.split()[0]}")
    timings: list[tuple[int, float]] = []
    for n in args.sizes:
        keys, truth = synthetic(n, args.per_day, args.seed)
        DedupIndex(rules).cluster(keys[:500])  # warm-up: imports, caches
        t0 = time.perf_counter()
        clusters = DedupIndex(rules).cluster(keys)
        elapsed = time.perf_counter() - t0
        timings.append((n, elapsed))
        purity, whole = agreement(clusters, {k.ref: t for k, t in zip(keys, truth)})
        print(f"{n:>8,} keys: {elapsed:7.2f} s  {elapsed / n * 1e6:6.1f} us/key  {len(clusters):,} clusters "
              f"for {len(set(truth)):,} incidents  purity {purity:.3f}  incidents whole {whole:.3f}")
    if len(timings) >= 2:
        (n0, t0_), (n1, t1) = timings[0], timings[-1]
        print(f"ratio {n1:,}/{n0:,} keys: {t1 / t0_:.1f}x time for {n1 / n0:.0f}x keys "
              f"(linear = {n1 / n0:.0f}x, quadratic = {(n1 / n0) ** 2:.0f}x)")
    scale = 1 if sys.platform == "darwin" else 1024
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
