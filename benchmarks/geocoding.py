#!/usr/bin/env python3
"""Geocoding on the shared gold: how many gold places the gazetteer knows, and how often the
engine's resolver puts them in the gold's governorate.

Prints figures; asserts nothing.

    .venv/bin/python benchmarks/geocoding.py [--shared ../shared] [--json]

For every event of ``corpus/gold`` and ``corpus/gold2``, grouped by the gold's country (Syria
first, then the others by number of events):

- known: the gold's ``location_ar`` (as written, then without a leading place word of the
  scorer's rules: مدينة، بلدة، قرية، حي، مخيم، ناحية، منطقة) has candidates in
  ``Gazetteer.load(user_store=False).lookup``;
- right governorate: of the known places whose gold ``admin1`` is given, the share the resolver
  places in it. The report's text is read the way the pipeline reads it (``Pipeline.mentions``:
  its places, country and dateline, then ``ArticlePlaces.from_mentions``); the mention named like
  the gold place (equal under the scorer's ``PlaceRules.name_key``) is resolved by
  ``PlaceResolver.resolve``; where no mention is named so, ``PlaceResolver.choose`` picks among
  the gazetteer's candidates in that context. Governorates compare with the scorer's
  ``PlaceRules.admin1_key``, which knows only the Syrian governorates' spellings; outside Syria
  the gold's and the gazetteer's spellings of one unit are made equal by ``ADMIN1_SAME`` below
  ("Nineveh" / "Ninewa", "Dhi Qar" / "Thi-Qar" ...). The country the place resolves to is
  counted too: outside Syria it is what the scorer compares (SCORING.md);
- namesakes: the known places whose candidates lie in more than one governorate, and how often
  the choice is right (the figure issue 9 asks for).

Then the ten most frequent unknown names and every wrong governorate per country (what to fix
in the data), and the gazetteer's load time and record count. Nothing of the shared corpus is
written anywhere.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ahdath.evaluate.rules import PlaceRules, Rules
from ahdath.evaluate.scoring import load_gold
from ahdath.geo import Gazetteer, PlaceRecord
from ahdath.lexicon import load_lexicons
from ahdath.pipeline import Options, Pipeline
from ahdath.resolve.places import ArticlePlaces, PlaceResolver, dateline_index
from ahdath.text.normalize import norm

REPO = Path(__file__).resolve().parents[1]
SETS = (("dev", "corpus/dev.jsonl", "corpus/gold"), ("dev2", "corpus/dev2.jsonl", "corpus/gold2"))
HOME = "Syria"
TODAY = date(2026, 11, 27)
TARGET_KNOWN, TARGET_RIGHT = 0.80, 0.95
TOP_UNKNOWN = 10
# the gold's spelling of an admin1 unit outside Syria -> the gazetteer's (both folded by
# ``PlaceRules.admin1_key``); the Gaza governorates are ACLED's admin1 "Gaza Strip"
ADMIN1_SAME = {
    "nineveh": "ninewa", "dhiqar": "thiqar", "jafara": "aljfara", "derna": "darnah", "gezira": "aljazirah",
    "taiz": "taizz", "southlebanon": "south", "rafah": "gazastrip", "khanyunis": "gazastrip",
    "northgaza": "gazastrip", "deiralbalah": "gazastrip", "gaza": "gazastrip",
}


@dataclass
class Tally:
    events: int = 0
    known: int = 0
    judged: int = 0  # known, with a gold admin1
    right: int = 0
    country_right: int = 0  # judged, placed in the gold's country (what the scorer compares outside Syria)
    namesakes: int = 0  # judged, with candidates in more than one governorate
    namesakes_right: int = 0
    by_mention: int = 0  # judged through the report's own mention (the rest through ``choose``)
    unknown: Counter[str] = field(default_factory=Counter)
    # report, name, gold admin1, chosen (admin1, country), how
    wrong: list[tuple[str, str, str, str, str]] = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        for k in ("events", "known", "judged", "right", "country_right", "namesakes", "namesakes_right",
                  "by_mention"):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def figures(self) -> dict[str, Any]:
        return {"events": self.events, "known": self.known, "known_share": _share(self.known, self.events),
                "judged": self.judged, "right": self.right, "right_share": _share(self.right, self.judged),
                "country_right": self.country_right, "country_share": _share(self.country_right, self.judged),
                "namesakes": self.namesakes, "namesakes_right": self.namesakes_right,
                "namesakes_share": _share(self.namesakes_right, self.namesakes), "by_mention": self.by_mention}


def _share(n: int, d: int) -> float | None:
    return round(n / d, 4) if d else None


def _lookup(gaz: Gazetteer, rules: PlaceRules, name: str) -> tuple[PlaceRecord, ...]:
    """The gazetteer's candidates for a gold name, as written or without its leading place word."""
    cands = gaz.lookup(name)
    if cands:
        return cands
    words = norm(name).split(" ")
    if len(words) > 1 and words[0] in rules.prefixes:
        return gaz.lookup(" ".join(words[1:]))
    return ()


def same_admin1(rules: PlaceRules, gold: str, chosen: str | None) -> bool:
    a, b = rules.admin1_key(gold), rules.admin1_key(chosen)
    return bool(a and b) and ADMIN1_SAME.get(a, a) == ADMIN1_SAME.get(b, b)


def _governorates(cands: tuple[PlaceRecord, ...]) -> set[tuple[str | None, str | None]]:
    return {(r.country, r.admin1) for r in cands if r.admin1}


def _texts(path: Path) -> dict[str, dict[str, Any]]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            out[str(d["id"])] = d
    return out


def measure(shared: Path) -> dict[str, Any]:
    t0 = time.perf_counter()
    gaz = Gazetteer.load(user_store=False)
    load_s = time.perf_counter() - t0
    lexicons = load_lexicons()
    pipe = Pipeline(Options(today=TODAY), lexicons, gaz)
    resolver = PlaceResolver.from_resources(gaz, lexicons)
    rules = Rules.packaged().places
    tallies: dict[str, Tally] = defaultdict(Tally)
    per_set: dict[str, Tally] = {}  # Syria's events of each set: dev grew the curated list, dev2 did not
    for set_name, corpus, gold_dir in SETS:
        texts = _texts(shared / corpus)
        for rid, gold in load_gold(shared / gold_dir).items():
            events = gold["events"]
            if not events:
                continue
            doc = texts.get(str(rid))
            context = ArticlePlaces()
            mentions: list[Any] = []
            if doc is not None:
                m, country, dateline = pipe.mentions(doc["text"])
                mentions = list(m.places)
                if dateline is None:
                    dateline = dateline_index(m.norm.text, mentions)
                context = ArticlePlaces.from_mentions(mentions, dateline=dateline, country=country)
            for ev in events:
                c = ev.get("country") or HOME
                t = tallies[c] if c != HOME else per_set.setdefault(set_name, Tally())
                t.events += 1
                name = ev.get("location_ar") or ""
                cands = _lookup(gaz, rules, name) if name else ()
                if not cands:
                    t.unknown[name or "(no name)"] += 1
                    continue
                t.known += 1
                gold_admin1 = ev.get("admin1")
                if not gold_admin1:
                    continue
                t.judged += 1
                key = rules.name_key(name)
                hit = next((mm for mm in mentions if rules.name_key(mm.name) == key), None)
                chosen: Any
                if hit is not None:
                    chosen = resolver.resolve(hit, context, mentions)
                    how = "mention"
                    t.by_mention += 1
                else:
                    chosen = resolver.choose(cands, context)
                    how = "choose"
                admin1, where = (chosen.admin1, chosen.country) if chosen is not None else (None, None)
                ok = same_admin1(rules, gold_admin1, admin1)
                t.right += ok
                t.country_right += where == c
                if len(_governorates(cands)) > 1:
                    t.namesakes += 1
                    t.namesakes_right += ok
                if not ok:
                    t.wrong.append((f"{set_name}/{rid}", name, gold_admin1, f"{admin1 or '-'} ({where or '-'})", how))
    for t in per_set.values():
        tallies[HOME].add(t)
        tallies[HOME].unknown.update(t.unknown)
        tallies[HOME].wrong.extend(t.wrong)
    order = sorted(tallies, key=lambda c: (c != HOME, -tallies[c].events, c))
    total = Tally()
    for c in order:
        total.add(tallies[c])
    return {
        "gazetteer": {"load_s": round(load_s, 3), "places": len(gaz), "main_records": len(gaz.records)},
        "countries": {c: {**tallies[c].figures(),
                          "unknown_top": tallies[c].unknown.most_common(TOP_UNKNOWN),
                          "unknown_names": len(tallies[c].unknown),
                          "wrong": tallies[c].wrong} for c in order},
        "total": total.figures(),
        HOME.lower() + "_by_set": {k: v.figures() for k, v in per_set.items()},
    }


def _pct(n: int, d: int) -> str:
    return f"{n:>3}/{d:<3} {100 * n / d:5.1f}%" if d else f"{n:>3}/{d:<3}    - "


def report(res: dict[str, Any]) -> None:
    g = res["gazetteer"]
    print(f"gazetteer: loaded in {g['load_s']:.3f} s, {g['places']} places "
          f"({g['main_records']} matched anywhere in text, the others after a place word or near a known place)")
    print(f"targets ({HOME}): known >= {TARGET_KNOWN:.0%}, right governorate >= {TARGET_RIGHT:.0%} of the known\n")
    head = (f"{'country':<10} {'events':>6}  {'known':<15} {'right governorate':<15}  {'namesakes right':<15}  "
            f"{'right country':<15}  via mention")
    print(head)
    print("-" * len(head))
    rows = [*res["countries"].items(), ("total", res["total"]),
            *((f"{HOME} {k}", v) for k, v in res[HOME.lower() + "_by_set"].items())]
    for c, f in rows:
        print(f"{c:<10} {f['events']:>6}  {_pct(f['known'], f['events'])} {_pct(f['right'], f['judged'])}  "
              f"{_pct(f['namesakes_right'], f['namesakes'])}  {_pct(f['country_right'], f['judged'])}  "
              f"{f['by_mention']}/{f['judged']}")
    for c, f in res["countries"].items():
        if f["unknown_top"]:
            top = ", ".join(f"{n} ({k})" if k > 1 else n for n, k in f["unknown_top"])
            print(f"\n{c}: unknown names ({f['unknown_names']} distinct, {f['events'] - f['known']} events): {top}")
        for rid, name, gold, chosen, how in f["wrong"]:
            print(f"{c}: wrong governorate: {rid} {name}: gold {gold}, chosen {chosen} (by {how})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = ap.parse_args()
    if not (args.shared / "corpus").is_dir():
        print(f"no shared corpus under {args.shared}", file=sys.stderr)
        return 2
    res = measure(args.shared)
    if args.json:
        print(json.dumps(res, ensure_ascii=False, indent=1))
    else:
        report(res)
    return 0


if __name__ == "__main__":
    sys.exit(main())
